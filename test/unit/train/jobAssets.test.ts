import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { readCommandJobFile } from "../../../tasks/AzureMLTrain/src/jobFile/commandJob";
import { anonymousEnvironmentName } from "../../../tasks/common/src/assets/anonymousEnvironment";
import { computeIdFor, JobAssetResolver } from "../../../tasks/AzureMLTrain/src/submission/resolveJobAssets";
import { withEnvironment } from "../../support/processEnvironment";
import { assetsStateFileVariable, emptyAssetsState, InMemoryAssetGateway, readAssetsState } from "../../tasks/support/inMemoryAssetGateway";
import { YamlFolder } from "../azureml/yamlFixtures";

const workspaceId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws";

describe("AzureMLTrain: resolving a job's compute, environment, code and inputs", () => {
  let folder: YamlFolder;
  let stateFile: string;
  let restore: () => void;
  let lines: string[];

  beforeEach(() => {
    folder = new YamlFolder();
    stateFile = path.join(folder.root, "assets.json");
    fs.writeFileSync(stateFile, JSON.stringify(emptyAssetsState()));
    restore = withEnvironment({ [assetsStateFileVariable]: stateFile });
    lines = [];
  });
  afterEach(() => {
    restore();
    folder.remove();
  });

  function resolve(yaml: string) {
    const job = readCommandJobFile(folder.write("job.yml", yaml), "jobFile", { defaultExperimentName: "p" });
    return new JobAssetResolver(new InMemoryAssetGateway(), workspaceId, (line) => lines.push(line)).resolve(job);
  }

  function calls(operation: string): string[] {
    return readAssetsState(stateFile)
      .calls.filter((call) => call.operation === operation)
      .map((call) => call.target);
  }

  describe("compute", () => {
    it("is the compute's ARM id in the workspace, or none for serverless", () => {
      assert.equal(computeIdFor({ kind: "named", name: "cpu", text: "azureml:cpu" }, workspaceId), `${workspaceId}/computes/cpu`);
      assert.equal(computeIdFor({ kind: "serverless" }, workspaceId), undefined);
      const other = "/subscriptions/s/resourceGroups/rg2/providers/Microsoft.MachineLearningServices/workspaces/w2/computes/gpu";
      assert.equal(computeIdFor({ kind: "named", name: "gpu", text: `azureml:${other}`, resourceId: other }, workspaceId), other);
    });
  });

  describe("environment", () => {
    it("turns azureml:<name>:<version> into the version's ARM id without a call", async () => {
      const { assets } = await resolve("command: x\nenvironment: azureml:sklearn:3\n");
      assert.equal(assets.environmentId, `${workspaceId}/environments/sklearn/versions/3`);
      assert.deepEqual(readAssetsState(stateFile).calls, []);
    });

    it("resolves azureml:<name>@latest to the newest version, and says so", async () => {
      const state = emptyAssetsState();
      state.environments["sklearn:1"] = { body: { properties: {} }, created: 1 };
      state.environments["sklearn:7"] = { body: { properties: {} }, created: 3 };
      state.environments["sklearn:10"] = { body: { properties: {} }, created: 2 };
      fs.writeFileSync(stateFile, JSON.stringify(state));
      const { assets } = await resolve("command: x\nenvironment: azureml:sklearn@latest\n");
      assert.equal(assets.environmentId, `${workspaceId}/environments/sklearn/versions/7`);
      assert.ok(lines.includes("Environment azureml:sklearn@latest is version 7."), lines.join("\n"));
    });

    it("fails in one sentence when @latest finds no version", async () => {
      await assert.rejects(resolve("command: x\nenvironment: azureml:missing@latest\n"), /environment 'missing' has no version in the workspace/);
    });

    it("passes a registry environment as its registry asset id", async () => {
      const reference = "azureml://registries/azureml/environments/sklearn-1.5/versions/12";
      const { assets } = await resolve(`command: x\nenvironment: ${reference}\n`);
      assert.equal(assets.environmentId, reference);
    });

    it("creates an inline environment once, content-addressed, and reuses it while it is unchanged", async () => {
      folder.write("conda.yml", "name: train\ndependencies: [python=3.10]\n");
      const yaml = "command: x\nenvironment:\n  image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04\n  conda_file: conda.yml\n";
      const first = await resolve(yaml);
      const second = await resolve(yaml);
      assert.equal(first.assets.environmentId, second.assets.environmentId);
      assert.match(first.assets.environmentId, new RegExp(`/environments/${anonymousEnvironmentName}/versions/[0-9a-f]{32}$`));
      assert.equal(calls("createEnvironment").length, 1);
      assert.match(first.outcomes.environment, /\(created\)$/);
      assert.match(second.outcomes.environment, /\(reused\)$/);
      assert.ok(lines.some((line) => line.startsWith(`Environment unchanged: reusing ${anonymousEnvironmentName}:`)));
      const created = Object.values(readAssetsState(stateFile).environments)[0].body.properties;
      assert.equal(created.condaFile, "name: train\ndependencies: [python=3.10]\n");
      assert.equal(created.isAnonymous, true);
      assert.equal(created.osType, "Linux");

      folder.write("conda.yml", "name: train\ndependencies: [python=3.11]\n");
      const changed = await resolve(yaml);
      assert.notEqual(changed.assets.environmentId, first.assets.environmentId);
      assert.equal(calls("createEnvironment").length, 2);
    });
  });

  it("uploads a local Docker build context and builds the environment from its blob URI", async () => {
    folder.write("docker/Dockerfile", "FROM python:3.10\n");
    const { outcomes } = await resolve("command: x\nenvironment:\n  build:\n    path: docker\n");
    assert.match(outcomes.environment, /\(created\)$/);
    const created = Object.values(readAssetsState(stateFile).environments)[0].body.properties;
    assert.match(
      created.build?.contextUri ?? "",
      /^https:\/\/sainmemory\.blob\.core\.windows\.net\/azureml-blobstore-0000\/LocalUpload\/[0-9a-f]{32}\/docker\/$/,
    );
    assert.equal(created.build?.dockerfilePath, "Dockerfile");
    assert.ok(calls("upload").some((blob) => blob.endsWith("/docker/Dockerfile")));
  });

  describe("code", () => {
    it("uploads a local code folder once, honouring .amlignore, and reuses the same code asset while it is unchanged", async () => {
      folder.write("src/train.py", "print('hi')\n");
      folder.write("src/notes.tmp", "scratch\n");
      folder.write("src/.amlignore", "*.tmp\n");
      const yaml = "command: python train.py\ncode: src\nenvironment: azureml:e:1\n";
      const first = await resolve(yaml);
      const uploaded = calls("upload");
      assert.ok(
        uploaded.some((blob) => blob.endsWith("/src/train.py")),
        uploaded.join("\n"),
      );
      assert.ok(!uploaded.some((blob) => blob.endsWith("notes.tmp")), "an ignored file was uploaded");
      assert.ok(uploaded.every((blob) => blob.startsWith("LocalUpload/")));
      assert.equal(calls("createCode").length, 1);
      const code = Object.values(readAssetsState(stateFile).codes)[0];
      assert.equal(code.properties.isAnonymous, true);
      assert.match(code.properties.codeUri ?? "", /^https:\/\/sainmemory\.blob\.core\.windows\.net\/azureml-blobstore-0000\/LocalUpload\/[0-9a-f]{32}\/src$/);

      lines = [];
      const second = await resolve(yaml);
      assert.equal(second.assets.codeId, first.assets.codeId);
      assert.equal(calls("upload").length, uploaded.length, "unchanged code was uploaded again");
      assert.equal(calls("createCode").length, 1, "a second code asset was created");
      assert.ok(
        lines.some((line) => line.startsWith("Code unchanged: reusing LocalUpload/")),
        lines.join("\n"),
      );
      assert.match(second.outcomes.code ?? "", /unchanged, reused/);
    });

    it("uploads changed code to a new place as a new asset", async () => {
      folder.write("src/train.py", "print(1)\n");
      const yaml = "command: python train.py\ncode: src\nenvironment: azureml:e:1\n";
      const first = await resolve(yaml);
      folder.write("src/train.py", "print(2)\n");
      const second = await resolve(yaml);
      assert.notEqual(second.assets.codeId, first.assets.codeId);
      assert.equal(calls("createCode").length, 2);
    });

    it("points a registered code version at its ARM id without uploading", async () => {
      const { assets } = await resolve("command: x\ncode: azureml:my-code:2\nenvironment: azureml:e:1\n");
      assert.equal(assets.codeId, `${workspaceId}/codes/my-code/versions/2`);
      assert.deepEqual(calls("upload"), []);
    });
  });

  describe("inputs", () => {
    it("uploads a local folder input and gives its datastore URI; leaves remote inputs as written", async () => {
      folder.write("data/iris.csv", "a,b\n1,2\n");
      folder.write("one.csv", "x\n");
      const { assets } = await resolve(
        [
          "command: python x.py ${{inputs.folder}} ${{inputs.file}} ${{inputs.remote}} ${{inputs.asset}}",
          "environment: azureml:e:1",
          "inputs:",
          "  folder: {type: uri_folder, path: data}",
          "  file: {type: uri_file, path: one.csv}",
          "  remote: {type: uri_file, path: 'https://azuremlexamples.blob.core.windows.net/datasets/iris.csv'}",
          "  asset: {type: uri_folder, path: 'azureml:iris:2'}",
        ].join("\n"),
      );
      assert.match(assets.inputUris.folder, /^azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/data\/$/);
      assert.match(assets.inputUris.file, /^azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/one\.csv$/);
      assert.equal(assets.inputUris.remote, "https://azuremlexamples.blob.core.windows.net/datasets/iris.csv");
      assert.equal(assets.inputUris.asset, `${workspaceId}/data/iris/versions/2`);
    });
  });
});
