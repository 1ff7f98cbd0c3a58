import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readOnlineDeploymentFile } from "../../../tasks/common/src/azureml/onlineDeploymentFile";
import { writeDockerContext, DockerContextOutcome } from "../../../tasks/AzureMLDeploy/src/dockerContext/writeDockerContext";
import { markerFile } from "../../../tasks/AzureMLDeploy/src/dockerContext/contextFolder";
import { readDockerfile } from "./dockerfileReader";
import { KnownEnvironments, LocalModelFiles } from "./inMemorySources";

const projectRoot = path.join(__dirname, "..", "..", "..", "..");
const samples = path.join(projectRoot, "test", "unit", "azureml", "fixtures", "azureml-examples", "cli", "endpoints", "online");
const model1 = path.join(samples, "model-1");
const blueDeployment = path.join(samples, "managed", "sample", "blue-deployment.yml");
const model = { name: "sklearn-regression", version: "3" };

function dependencies(environments: KnownEnvironments = new KnownEnvironments({})) {
  const lines: string[] = [];
  return { models: new LocalModelFiles({ "sklearn-regression:3": path.join(model1, "model") }), environments, log: (line: string) => lines.push(line), lines };
}

describe("writeDockerContext", () => {
  let scratch: string;
  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "docker-context-"));
  });
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  /** A deployment file in the scratch folder; paths in it are relative to it, as az ml reads them. */
  function deploymentFile(yaml: string): string {
    const file = path.join(scratch, "deployment.yml");
    fs.writeFileSync(file, yaml);
    return file;
  }

  describe("on the azureml-examples managed blue deployment (model-1)", () => {
    let outcome: DockerContextOutcome;
    let context: string;
    let lines: string[];
    beforeEach(async () => {
      context = path.join(scratch, "context");
      const deps = dependencies();
      lines = deps.lines;
      outcome = await writeDockerContext({ contextPath: context, deployment: readOnlineDeploymentFile(blueDeployment, "deploymentFile"), model }, deps);
    });

    it("writes the Dockerfile, the app, the code, the model as Azure lays it out, requirements, .dockerignore and README", () => {
      assert.deepEqual(outcome.files, [
        markerFile,
        ".dockerignore",
        "Dockerfile",
        "README.md",
        "app.py",
        "azureml-models/sklearn-regression/3/model/sklearn_regression_model.pkl",
        "code/score.py",
        "requirements.txt",
      ]);
      assert.equal(outcome.contextPath, context);
      assert.equal(outcome.modelDir, "/var/azureml-app/azureml-models/sklearn-regression/3");
      assert.ok(
        fs
          .readFileSync(path.join(context, "azureml-models/sklearn-regression/3/model/sklearn_regression_model.pkl"))
          .equals(fs.readFileSync(path.join(model1, "model", "sklearn_regression_model.pkl"))),
      );
      assert.equal(fs.readFileSync(path.join(context, "code", "score.py"), "utf8"), fs.readFileSync(path.join(model1, "onlinescoring", "score.py"), "utf8"));
      assert.equal(
        fs.readFileSync(path.join(context, "app.py"), "utf8"),
        fs.readFileSync(path.join(projectRoot, "tasks", "AzureMLDeploy", "assets", "scoring-app", "app.py"), "utf8"),
      );
    });

    it("takes the requirements from the conda file and builds on python:3.12-slim, since the sample's image is an Azure ML OS image", () => {
      assert.equal(outcome.baseImage, "python:3.12-slim");
      assert.deepEqual(outcome.requirements, [
        "numpy==2.3.1",
        "scikit-learn==1.7.0",
        "scipy==1.16.0",
        "azureml-inference-server-http==1.4.1",
        "inference-schema[numpy-support]",
        "joblib",
        "flask",
        "gunicorn",
      ]);
      const requirements = fs.readFileSync(path.join(context, "requirements.txt"), "utf8");
      assert.deepEqual(
        requirements.split("\n").filter((line) => line !== "" && !line.startsWith("#")),
        outcome.requirements,
      );
      assert.match(requirements, /from the conda file of the inline environment of 'blue-deployment\.yml'/);
      const dockerfile = readDockerfile(fs.readFileSync(path.join(context, "Dockerfile"), "utf8"));
      assert.deepEqual(dockerfile.from, ["python:3.12-slim"]);
      assert.equal(dockerfile.env.AZUREML_MODEL_DIR, outcome.modelDir);
      assert.equal(dockerfile.env.AZUREML_ENTRY_SCRIPT, "score.py");
    });

    it("says what it did in the log: code, model, requirements left out, base image", () => {
      const log = lines.join("\n");
      assert.match(log, /Scoring code: 1 file\(s\) from .*onlinescoring.*; entry script score\.py\./);
      assert.match(log, /Model sklearn-regression:3: 1 file\(s\), .* under azureml-models\/sklearn-regression\/3\/model\./);
      assert.match(log, /Left out of requirements\.txt: python=3\.12 \(the interpreter comes from the base image\)\./);
      assert.match(log, /Base image: python:3\.12-slim for the conda file's Python 3\.12: mcr\.microsoft\.com\/azureml\/openmpi4\.1\.0-ubuntu22\.04:latest/);
    });

    it("leaves the README and its own marker out of the image, and the README tells how to build, run and call it", () => {
      const ignored = fs.readFileSync(path.join(context, ".dockerignore"), "utf8").split("\n");
      for (const entry of ["README.md", markerFile, "**/__pycache__"]) assert.ok(ignored.includes(entry), entry);
      const readme = fs.readFileSync(path.join(context, "README.md"), "utf8");
      assert.match(readme, /docker build -t my-endpoint-blue:3 \./);
      assert.match(readme, /docker run --rm -p 5001:5001 my-endpoint-blue:3/);
      assert.match(readme, /curl -s -X POST http:\/\/localhost:5001\/score/);
    });

    it("replaces a context it wrote before, leaving nothing of the old one", async () => {
      fs.writeFileSync(path.join(context, "code", "stale.py"), "old");
      const again = await writeDockerContext(
        { contextPath: context, deployment: readOnlineDeploymentFile(blueDeployment, "deploymentFile"), model },
        dependencies(),
      );
      assert.deepEqual(again.files, outcome.files);
      assert.equal(fs.existsSync(path.join(context, "code", "stale.py")), false);
    });
  });

  it("reads a registered environment through the source: its plain Python image is kept, its conda file mapped", async () => {
    const file = deploymentFile(
      [
        "name: green",
        "endpoint_name: my-endpoint",
        "model: azureml:sklearn-regression:3",
        "code_configuration:",
        `  code: ${path.join(model1, "onlinescoring")}`,
        "  scoring_script: ./score.py",
        "environment: azureml:sklearn-env:2",
        "environment_variables:",
        "  WORKER_COUNT: '2'",
        "  MODEL_LABEL: regression $1",
        "instance_type: Standard_DS3_v2",
        "instance_count: 1",
      ].join("\n"),
    );
    const environments = new KnownEnvironments({
      "azureml:sklearn-env:2": {
        description: "azureml:sklearn-env:2",
        image: "python:3.11-slim",
        condaFile: "dependencies:\n  - python=3.11\n  - scikit-learn=1.2.1\n  - pip:\n    - Flask==2.2.5\n",
      },
    });
    const outcome = await writeDockerContext(
      { contextPath: path.join(scratch, "ctx"), deployment: readOnlineDeploymentFile(file, "deploymentFile"), model },
      dependencies(environments),
    );
    assert.deepEqual(environments.reads, ["azureml:sklearn-env:2"]);
    assert.equal(outcome.baseImage, "python:3.11-slim");
    assert.deepEqual(outcome.requirements, ["scikit-learn==1.2.1", "Flask==2.2.5", "gunicorn"]);
    const dockerfile = readDockerfile(fs.readFileSync(path.join(scratch, "ctx", "Dockerfile"), "utf8"));
    assert.equal(dockerfile.env.WORKER_COUNT, "2");
    assert.equal(dockerfile.env.MODEL_LABEL, "regression $1");
    assert.equal(dockerfile.env.AZUREML_ENTRY_SCRIPT, "score.py");
  });

  it("keeps a curated environment's image, which carries its packages, and installs only flask and gunicorn", async () => {
    const curatedFile = path.join(samples, "managed", "sample", "blue-deployment-with-curated-env.yml");
    const reference = "azureml://registries/azureml/environments/sklearn-1.5/labels/latest";
    const environments = new KnownEnvironments({ [reference]: { description: reference, image: "mcr.microsoft.com/azureml/curated/sklearn-1.5:latest" } });
    const deps = dependencies(environments);
    const outcome = await writeDockerContext(
      { contextPath: path.join(scratch, "ctx"), deployment: readOnlineDeploymentFile(curatedFile, "deploymentFile"), model },
      deps,
    );
    assert.equal(outcome.baseImage, "mcr.microsoft.com/azureml/curated/sklearn-1.5:latest");
    assert.deepEqual(outcome.requirements, ["flask", "gunicorn"]);
    assert.match(deps.lines.join("\n"), /has no conda file: requirements\.txt holds only the scoring app's flask and gunicorn/);
  });

  it("copies the code folder as Azure ML would upload it: its .amlignore applies", async () => {
    const code = path.join(scratch, "src");
    fs.mkdirSync(path.join(code, "notebooks"), { recursive: true });
    fs.writeFileSync(path.join(code, "score.py"), fs.readFileSync(path.join(model1, "onlinescoring", "score.py")));
    fs.writeFileSync(path.join(code, "helpers.py"), "X = 1\n");
    fs.writeFileSync(path.join(code, "notebooks", "explore.ipynb"), "{}");
    fs.writeFileSync(path.join(code, ".amlignore"), "notebooks/\n");
    const file = deploymentFile(
      [
        "name: blue",
        "endpoint_name: my-endpoint",
        "code_configuration: {code: ./src, scoring_script: score.py}",
        "environment: {image: 'python:3.10-slim'}",
        "instance_type: Standard_DS3_v2",
        "instance_count: 1",
      ].join("\n"),
    );
    const deps = dependencies();
    const outcome = await writeDockerContext(
      { contextPath: path.join(scratch, "ctx"), deployment: readOnlineDeploymentFile(file, "deploymentFile"), model },
      deps,
    );
    assert.deepEqual(
      outcome.files.filter((name) => name.startsWith("code/")),
      ["code/.amlignore", "code/helpers.py", "code/score.py"],
    );
    assert.match(deps.lines.join("\n"), /3 file\(s\) from .*, as its \.amlignore allows/);
  });

  describe("refusals, before anything is written", () => {
    async function refusal(yaml: string, contextPath = path.join(scratch, "ctx"), environments?: KnownEnvironments): Promise<Error> {
      const deployment = readOnlineDeploymentFile(deploymentFile(yaml), "deploymentFile");
      const error = await writeDockerContext({ contextPath, deployment, model }, dependencies(environments)).then(
        () => undefined,
        (thrown: unknown) => thrown as Error,
      );
      assert.ok(error, "expected a refusal");
      assert.equal(error.name, "InputError", error.stack);
      return error;
    }
    const base = [
      "name: blue",
      "endpoint_name: my-endpoint",
      `code_configuration: {code: '${path.join(model1, "onlinescoring")}', scoring_script: score.py}`,
      `environment: {image: 'python:3.11', conda_file: '${path.join(model1, "environment", "conda.yaml")}'}`,
      "instance_type: Standard_DS3_v2",
      "instance_count: 1",
    ];

    it("a non-empty folder it did not write, naming input 'contextPath', and leaves it untouched", async () => {
      const foreign = path.join(scratch, "someone-else");
      fs.mkdirSync(foreign);
      fs.writeFileSync(path.join(foreign, "notes.txt"), "mine");
      const error = await refusal(base.join("\n"), foreign);
      assert.match(error.message, /^Input 'contextPath' names '.*someone-else', which is not empty and is not a Docker context this task wrote/);
      assert.deepEqual(fs.readdirSync(foreign), ["notes.txt"]);
    });

    it("a contextPath that is a file", async () => {
      const file = path.join(scratch, "a-file");
      fs.writeFileSync(file, "");
      assert.match((await refusal(base.join("\n"), file)).message, /Input 'contextPath' names .*, which is a file/);
    });

    it("a code_configuration that names a registered code asset, explaining a local folder is needed", async () => {
      const yaml = base
        .map((line) => (line.startsWith("code_configuration") ? "code_configuration: {code: 'azureml:score-code:4', scoring_script: score.py}" : line))
        .join("\n");
      const error = await refusal(yaml);
      assert.match(
        error.message,
        /'code_configuration\.code' of .* is 'azureml:score-code:4', a registered code asset; the Docker context copies the scoring code from a folder on the agent/,
      );
      assert.equal(fs.existsSync(path.join(scratch, "ctx")), false);
    });

    it("a deployment without code_configuration", async () => {
      const error = await refusal(base.filter((line) => !line.startsWith("code_configuration")).join("\n"));
      assert.match(error.message, /has no 'code_configuration'; the Docker context serves a scoring script/);
    });

    it("an environment variable that looks like a secret, never printing it", async () => {
      const secret = `DefaultEndpointsProtocol=https;AccountName=sa;AccountKey=${"Xy9".repeat(28)}AB==`;
      const error = await refusal([...base, "environment_variables:", `  STORAGE: '${secret}'`].join("\n"));
      assert.match(error.message, /sets environment variable 'STORAGE', and its value looks like .*a connection string with a credential/);
      assert.ok(!error.message.includes(secret));
      assert.equal(fs.existsSync(path.join(scratch, "ctx")), false);
    });

    it("an environment built from a Docker build context, and a Windows one", async () => {
      fs.mkdirSync(path.join(scratch, "docker"));
      const build = base.map((line) => (line.startsWith("environment:") ? "environment: {build: {path: ./docker}}" : line)).join("\n");
      assert.match((await refusal(build)).message, /is built from a Docker build context/);
      const windows = base
        .map((line) => (line.startsWith("environment:") ? "environment: {image: 'mcr.microsoft.com/windows/servercore:ltsc2022', os_type: windows}" : line))
        .join("\n");
      assert.match((await refusal(windows)).message, /is a Windows environment/);
    });

    it("a scoring script that the code folder's ignore file leaves out", async () => {
      const code = path.join(scratch, "src");
      fs.mkdirSync(code);
      fs.writeFileSync(path.join(code, "score.py"), "def init(): pass\ndef run(d): return d\n");
      fs.writeFileSync(path.join(code, ".gitignore"), "score.py\n");
      const yaml = base
        .map((line) => (line.startsWith("code_configuration") ? "code_configuration: {code: ./src, scoring_script: score.py}" : line))
        .join("\n");
      assert.match((await refusal(yaml)).message, /The scoring script 'score\.py' is left out of the code folder .* by its \.gitignore/);
      assert.equal(fs.existsSync(path.join(scratch, "ctx")), false);
    });

    it("a registered environment the source does not know", async () => {
      const yaml = base.map((line) => (line.startsWith("environment:") ? "environment: azureml:missing-env:1" : line)).join("\n");
      assert.match((await refusal(yaml)).message, /Environment 'azureml:missing-env:1' does not exist/);
    });
  });
});
