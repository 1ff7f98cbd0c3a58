import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { outputVariable } from "../AzureMLWorkspace/workspaceTaskBed";
import { assertOneSentenceFailure, assertSucceeded } from "./deployAssertions";
import { DeployTaskBed, managedSample, sampleRequest } from "./deployTaskBed";

/** The folder under which pipelines stage what they publish, inside the bed's build folder. */
const staging = "a";

describe("AzureMLDeploy task: the Docker build context (target dockerContext)", function () {
  this.timeout(60_000);
  let bed: DeployTaskBed;
  const inputs = { target: "dockerContext", deploymentFile: managedSample.blue };

  beforeEach(() => {
    bed = DeployTaskBed.create();
    fs.mkdirSync(path.join(bed.workDir, staging));
  });
  afterEach(() => bed.remove());

  const variables = () => ({ BUILD_ARTIFACTSTAGINGDIRECTORY: path.join(bed.workDir, staging) });
  const context = (...parts: string[]) => path.join(bed.workDir, staging, "scoring-image-context", ...parts);

  it("writes the context with the registered model named by input 'model', publishes it as an artifact, and touches no endpoint", async () => {
    bed.addModel("churn", "3");
    const runner = await bed.run({ inputs: { ...inputs, model: "churn:3", smokeTestRequestFile: sampleRequest }, variables: variables() });
    assertSucceeded(runner);
    for (const file of [
      "Dockerfile",
      "app.py",
      "requirements.txt",
      "README.md",
      path.join("code", "score.py"),
      path.join("azureml-models", "churn", "3", "model", "model.bin"),
    ]) {
      assert.ok(fs.existsSync(context(file)), `${file} is missing from the context`);
    }
    assert.match(fs.readFileSync(context("README.md"), "utf8"), /"data": ?\[\[1, ?2, ?3, ?4/, "the README's example request is the sample request");
    assert.ok(
      runner.stdout.includes(`##vso[artifact.upload containerfolder=scoring-image-context;artifactname=scoring-image-context;]${context()}`),
      runner.stdout,
    );
    assert.equal(outputVariable(runner, "contextPath"), context());
    assert.deepEqual(bed.endpointCalls(), []);
    assert.deepEqual(
      bed
        .assets()
        .calls.filter((call) => call.operation === "downloadModel")
        .map((call) => call.target),
      ["churn:3"],
    );
    const [summary] = bed.summaries();
    assert.match(summary, /### Docker build context: model churn:3/);
    assert.match(summary, /- Dockerfile/);
    assert.ok(summary.includes("- azureml\\-models\\/churn\\/3\\/model\\/model\\.bin"), summary);
    assert.ok(runner.stdout.includes("Docker build context for model churn:3 written to"), runner.stdout);
  });

  it("registers the deployment file's local model first, as an online deployment would, and carries that version", async () => {
    const runner = await bed.run({ inputs, variables: variables() });
    assertSucceeded(runner);
    const [name] = Object.keys(bed.assets().models);
    assert.match(name, /^[0-9a-f-]{36}:1$/);
    const [model, version] = name.split(":");
    assert.ok(fs.existsSync(context("azureml-models", model, version, "model", "model.bin")), runner.stdout);
  });

  it("writes where input 'contextPath' says, and a second run replaces the context it wrote", async () => {
    bed.addModel("churn", "3");
    const run = () => bed.run({ inputs: { ...inputs, model: "churn:3", contextPath: "out/context", artifactName: "image" }, variables: variables() });
    assertSucceeded(await run());
    const second = await run();
    assertSucceeded(second);
    assert.ok(fs.existsSync(path.join(bed.workDir, "out", "context", "Dockerfile")));
    assert.ok(second.stdout.includes(`artifactname=image;]${path.join(bed.workDir, "out", "context")}`), second.stdout);
  });

  it("refuses a context folder outside the job's folders before any call", async () => {
    const runner = await bed.run({ inputs: { ...inputs, model: "churn:3", contextPath: "/etc/context" }, variables: variables() });
    assertOneSentenceFailure(runner, /^Input 'contextPath' is '\/etc\/context', which resolves to '\/etc\/context', outside the job's folders/);
    assert.deepEqual(bed.assets().calls, []);
  });

  it("refuses a deployment without a model in one sentence, writing nothing", async () => {
    bed.write("online/no-model.yml", "name: blue\nendpoint_name: my-endpoint\nenvironment: azureml:env:1\ninstance_type: Standard_DS3_v2\ninstance_count: 1\n");
    const runner = await bed.run({ inputs: { ...inputs, deploymentFile: "online/no-model.yml" }, variables: variables() });
    assertOneSentenceFailure(runner, /^The Docker build context carries a registered model, and none is named: set input 'model'/);
    assert.ok(!fs.existsSync(context()));
  });

  it("refuses a folder that holds someone else's files, naming input 'contextPath'", async () => {
    bed.addModel("churn", "3");
    bed.write("mine/notes.txt", "keep");
    const runner = await bed.run({ inputs: { ...inputs, model: "churn:3", contextPath: "mine" }, variables: variables() });
    assertOneSentenceFailure(runner, /Input 'contextPath' names '.*mine', which is not empty and is not a Docker context this task wrote/);
    assert.equal(fs.readFileSync(path.join(bed.workDir, "mine", "notes.txt"), "utf8"), "keep");
  });
});
