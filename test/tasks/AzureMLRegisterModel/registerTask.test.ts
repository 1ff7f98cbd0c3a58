import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { MockTestRunner } from "azure-pipelines-task-lib/mock-test";
import { outputVariable } from "../AzureMLWorkspace/workspaceTaskBed";
import { RegisterTaskBed, servicePrincipalKey, workspaceId } from "./registerTaskBed";

/** A plain (not output) job variable the task set. */
function jobVariable(runner: MockTestRunner, name: string): string | undefined {
  return new RegExp(`##vso\\[task\\.setvariable variable=${name};isOutput=false;issecret=false;\\](.*)`).exec(runner.stdout)?.[1].trim();
}

function assertSucceeded(runner: MockTestRunner): void {
  assert.ok(runner.succeeded, runner.stdout + runner.stderr);
  // Only in the command that registers it with the agent's masker.
  assert.equal(
    runner.stdout.split(servicePrincipalKey).length - 1,
    runner.stdout.split(`##vso[task.setsecret]${servicePrincipalKey}`).length - 1,
    "the connection's secret reached the log",
  );
}

function assertOneSentenceFailure(runner: MockTestRunner, message: RegExp): void {
  assert.ok(runner.failed, `expected failure\n${runner.stdout}`);
  assert.equal(runner.errorIssues.length, 1, runner.errorIssues.join("\n---\n"));
  assert.match(runner.errorIssues[0], message, runner.stdout);
  assert.doesNotMatch(runner.errorIssues[0], /\n|\bat .*\.js:\d+/, "one line, no stack");
}

const gate = (goal: "maximize" | "minimize", metric = "accuracy") => ({ metric, goal });

describe("AzureMLRegisterModel task (MockTestRunner, in-memory Azure ML)", function () {
  this.timeout(60_000);
  let bed: RegisterTaskBed;

  beforeEach(() => {
    bed = RegisterTaskBed.create();
  });
  afterEach(() => bed.remove());

  describe("from a job's output", () => {
    it("registers a first model as version 1, recording the job, its output URI and the gate's measurement", async () => {
      bed.addJob("train-1", { outputs: { model: { type: "custom_model" } }, metrics: { accuracy: 0.81 } });
      const runner = await bed.run({ inputs: { jobName: "train-1", modelName: "churn", ...gate("maximize"), tags: "team=ml" } });
      assertSucceeded(runner);

      const version = bed.models().models.churn["1"];
      assert.equal(version.modelUri, "azureml://jobs/train-1/outputs/model/paths/");
      assert.equal(version.modelType, "custom_model");
      assert.equal(version.jobName, "train-1");
      assert.deepEqual(version.tags, { team: "ml", "metric.accuracy": "0.81" });
      assert.deepEqual(version.properties, { "metric.accuracy": "0.81" });

      assert.equal(outputVariable(runner, "modelName"), "churn");
      assert.equal(outputVariable(runner, "modelVersion"), "1");
      assert.equal(outputVariable(runner, "modelId"), `${workspaceId}/models/churn/versions/1`);
      assert.equal(outputVariable(runner, "modelRegistered"), "true");
      assert.equal(jobVariable(runner, "AZUREML_LAST_MODEL_NAME"), "churn", "the job variable AzureMLDeploy reads is not set");
      assert.equal(jobVariable(runner, "AZUREML_LAST_MODEL_VERSION"), "1");
      assert.ok(runner.stdout.includes("No champion yet: the model has no version yet, so the model is registered."), runner.stdout);
      assert.ok(runner.stdout.includes(`Studio: https://ml.azure.com/model/churn:1/details?wsid=${workspaceId}`), runner.stdout);
      const [summary] = bed.summaries();
      assert.match(summary, /### Model churn: version 1 registered/);
      assert.match(summary, /no champion yet: registered/);
    });

    it("takes the type of the job's model output when input 'modelType' is empty, and the input over it", async () => {
      bed.addJob("train-1", { outputs: { model: { type: "mlflow_model" }, report: { type: "uri_folder" } } });
      assertSucceeded(await bed.run({ inputs: { jobName: "train-1", modelName: "churn" } }));
      assert.equal(bed.models().models.churn["1"].modelType, "mlflow_model");
      assertSucceeded(await bed.run({ inputs: { jobName: "train-1", modelName: "other", modelType: "custom_model" } }));
      assert.equal(bed.models().models.other["1"].modelType, "custom_model");
    });

    it("registers without a gate when the classic editor filled in 'goal' by itself and 'metric' is empty, and says so", async () => {
      // A job with no metrics file: a gate would fail to read it, so a success proves no gate ran.
      bed.addJob("train-1", { outputs: { model: { type: "custom_model" } } });
      const runner = await bed.run({ inputs: { jobName: "train-1", modelName: "churn", goal: "maximize", metric: "" } });
      assertSucceeded(runner);
      assert.equal(outputVariable(runner, "modelRegistered"), "true");
      assert.deepEqual(bed.models().models.churn["1"].tags, {}, "no metric recorded");
      assert.ok(runner.stdout.includes("No gate: input 'metric' is empty, so input 'goal' ('maximize') is ignored."), runner.stdout);
      assert.doesNotMatch(bed.summaries()[0], /#### Gate/);
    });

    it("takes the job's ./outputs from its artifact store when it declares no output", async () => {
      bed.addJob("train-1");
      const runner = await bed.run({ inputs: { jobName: "train-1", modelName: "churn", pathInOutput: "outputs/model" } });
      assertSucceeded(runner);
      assert.equal(bed.models().models.churn["1"].modelUri, "azureml://jobs/train-1/outputs/artifacts/paths/outputs/model");
    });

    it("registers a better model as version 2 when the goal is to maximize", async () => {
      bed.addVersion("churn", "1", { properties: { "metric.accuracy": "0.80" }, tags: { "metric.accuracy": "0.80" } });
      bed.addJob("train-2", { metrics: { accuracy: 0.85 } });
      const runner = await bed.run({ inputs: { jobName: "train-2", modelName: "churn", ...gate("maximize") } });
      assertSucceeded(runner);
      assert.equal(outputVariable(runner, "modelVersion"), "2");
      assert.equal(outputVariable(runner, "modelRegistered"), "true");
      assert.equal(bed.models().models.churn["2"].properties["metric.accuracy"], "0.85");
      assert.match(bed.summaries()[0], /wins: registered/);
    });

    it("registers a better model as version 2 when the goal is to minimize", async () => {
      bed.addVersion("churn", "1", { properties: { "metric.rmse": "4.2" } });
      bed.addJob("train-2", { metrics: { metrics: { rmse: 3.9 } } });
      const runner = await bed.run({ inputs: { jobName: "train-2", modelName: "churn", ...gate("minimize", "rmse") } });
      assertSucceeded(runner);
      assert.equal(outputVariable(runner, "modelVersion"), "2");
      assert.ok(runner.stdout.includes("The model wins on 'rmse' 3.9 against 4.2 of the champion version 1"), runner.stdout);
    });

    it("skips a worse model cleanly: succeeded, modelRegistered=false, no version, the comparison in the log and summary", async () => {
      bed.addVersion("churn", "1", { properties: { "metric.rmse": "3.5" } });
      bed.addJob("train-2", { metrics: { rmse: 3.9 } });
      const runner = await bed.run({ inputs: { jobName: "train-2", modelName: "churn", ...gate("minimize", "rmse") } });
      assertSucceeded(runner);
      assert.equal(runner.warningIssues.length, 0, runner.warningIssues.join("\n"));
      assert.equal(outputVariable(runner, "modelRegistered"), "false");
      assert.equal(outputVariable(runner, "modelVersion"), "");
      assert.equal(outputVariable(runner, "modelId"), "");
      assert.equal(jobVariable(runner, "AZUREML_LAST_MODEL_NAME"), undefined, "a skipped model must not become the one to deploy");
      assert.deepEqual(Object.keys(bed.models().models.churn), ["1"]);
      assert.ok(!bed.models().calls.some((call) => call.operation === "createVersion"));
      assert.ok(
        runner.stdout.includes("The champion is better on 'rmse' 3.9 against 3.5 of the champion version 1 (the newest version), goal minimize"),
        runner.stdout,
      );
      const [summary] = bed.summaries();
      assert.match(summary, /### Model churn: not registered/);
      assert.match(summary, /\| rmse \| minimize \| 3\\\.9 \| version 1 \(the newest version\) \| 3\\\.5 \(from its property\) \| loses: not registered \|/);
    });

    it("compares with the version carrying the champion tag, not the newest", async () => {
      bed.addVersion("churn", "1", { properties: { "metric.accuracy": "0.90" }, tags: { stage: "production" } });
      bed.addVersion("churn", "2", { properties: { "metric.accuracy": "0.70" } });
      bed.addJob("train-3", { metrics: { accuracy: 0.8 } });
      const runner = await bed.run({ inputs: { jobName: "train-3", modelName: "churn", ...gate("maximize"), championTag: "stage=production" } });
      assertSucceeded(runner);
      assert.equal(outputVariable(runner, "modelRegistered"), "false");
    });

    it("converges when run twice: the second run finds the version and reuses it, even behind a gate", async () => {
      bed.addJob("train-1", { metrics: { accuracy: 0.81 } });
      const inputs = { jobName: "train-1", modelName: "churn", ...gate("maximize") };
      assertSucceeded(await bed.run({ inputs }));
      const second = await bed.run({ inputs });
      assertSucceeded(second);
      assert.deepEqual(Object.keys(bed.models().models.churn), ["1"]);
      assert.equal(outputVariable(second, "modelVersion"), "1");
      assert.equal(jobVariable(second, "AZUREML_LAST_MODEL_VERSION"), "1", "a reused version is the one to deploy too");
      assert.equal(outputVariable(second, "modelRegistered"), "true");
      assert.ok(second.stdout.includes("already registered, reused (the gate is not asked again)"), second.stdout);
      assert.match(bed.summaries().find((summary) => summary.includes("reused")) ?? "", /### Model churn: version 1 already registered, reused/);
    });

    it("takes the job the last AzureMLTrain step submitted (variable AZUREML_LAST_JOB_NAME) when input 'jobName' is empty", async () => {
      bed.addJob("train-from-step");
      const runner = await bed.run({ inputs: { modelName: "churn" }, variables: { AZUREML_LAST_JOB_NAME: "train-from-step" } });
      assertSucceeded(runner);
      assert.equal(bed.models().models.churn["1"].jobName, "train-from-step");
    });

    for (const status of ["Running", "Failed", "Canceled"]) {
      it(`refuses a model from a ${status} job in one sentence, registering nothing`, async () => {
        bed.addJob("train-1", { status });
        const runner = await bed.run({ inputs: { jobName: "train-1", modelName: "churn" } });
        assertOneSentenceFailure(
          runner,
          new RegExp(`^Job 'train-1' \\(input 'jobName'\\) is ${status}, not Completed: a model from a job that is not Completed is refused\\.$`),
        );
        assert.deepEqual(bed.models().models, {});
      });
    }

    it("refuses a job that does not exist in one sentence", async () => {
      const runner = await bed.run({ inputs: { jobName: "no-such-job", modelName: "churn" } });
      assertOneSentenceFailure(runner, /^Job 'no-such-job' \(input 'jobName'\) does not exist in workspace 'amlmlopsdev01'\.$/);
    });

    it("fails in one sentence when the job wrote no metrics file for the gate, registering nothing", async () => {
      bed.addJob("train-1");
      const runner = await bed.run({ inputs: { jobName: "train-1", modelName: "churn", ...gate("maximize") } });
      assertOneSentenceFailure(runner, /^The job wrote no metrics file at azureml:\/\/jobs\/train-1\/outputs\/artifacts\/paths\/outputs\/metrics\.json/);
      assert.deepEqual(bed.models().models, {});
    });
  });

  describe("from a local file or folder", () => {
    it("uploads it content-addressed to the default datastore and registers it; a rerun uploads nothing and reuses the version", async () => {
      bed.write("model/model.pkl", "weights");
      bed.write("model/conda.yaml", "name: env");
      const inputs = { source: "localPath", localPath: "model", modelName: "churn", modelType: "custom_model", description: "Churn model" };
      const runner = await bed.run({ inputs });
      assertSucceeded(runner);
      const version = bed.models().models.churn["1"];
      assert.match(version.modelUri, /^azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/model$/);
      assert.equal(version.description, "Churn model");
      assert.equal(version.jobName, undefined);
      assert.ok(runner.stdout.includes("Model files uploaded: 2 file(s)"), runner.stdout);

      const second = await bed.run({ inputs });
      assertSucceeded(second);
      assert.ok(second.stdout.includes("Model files unchanged"), second.stdout);
      assert.deepEqual(Object.keys(bed.models().models.churn), ["1"]);

      bed.write("model/model.pkl", "better weights");
      const third = await bed.run({ inputs });
      assertSucceeded(third);
      assert.equal(outputVariable(third, "modelVersion"), "2");
    });
  });

  describe("from a model file (az ml model create -f)", () => {
    const examples = path.join(__dirname, "../../../../test/unit/azureml/fixtures/azureml-examples/cli/assets/model");

    function copyExamples(): void {
      fs.cpSync(examples, path.join(bed.workDir, "model"), { recursive: true });
    }

    it("registers azureml-examples' local-mlflow.yml with its name, type and description, uploading its folder", async () => {
      copyExamples();
      const runner = await bed.run({ inputs: { source: "modelFile", modelFile: "model/local-mlflow.yml" } });
      assertSucceeded(runner);
      const version = bed.models().models["local-mlflow-example"]["1"];
      assert.equal(version.modelType, "mlflow_model");
      assert.equal(version.description, "Model created from local MLflow model directory.");
      assert.match(version.modelUri, /^azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/mlflow-model$/);
      assert.equal(outputVariable(runner, "modelName"), "local-mlflow-example");
    });

    it("lets the inputs override the file's name, type and description and add tags", async () => {
      copyExamples();
      const runner = await bed.run({
        inputs: { source: "modelFile", modelFile: "model/local-file.yml", modelName: "churn", modelType: "triton_model", description: "Mine", tags: "a=b" },
      });
      assertSucceeded(runner);
      const version = bed.models().models.churn["1"];
      assert.equal(version.modelType, "triton_model");
      assert.equal(version.description, "Mine");
      assert.deepEqual(version.tags, { a: "b" });
      assert.match(version.modelUri, /\/LocalUpload\/[0-9a-f]{32}\/model\.pkl$/);
    });

    it("registers a job output path, recording the job, and takes the file's version", async () => {
      bed.addJob("train-7", { outputs: { model: { type: "mlflow_model" } } });
      bed.write("model.yml", "name: churn\nversion: 7\ntype: mlflow_model\npath: azureml://jobs/train-7/outputs/model/paths/model\ntags:\n  team: ml\n");
      const runner = await bed.run({ inputs: { source: "modelFile", modelFile: "model.yml" } });
      assertSucceeded(runner);
      const version = bed.models().models.churn["7"];
      assert.equal(version.modelUri, "azureml://jobs/train-7/outputs/model/paths/model");
      assert.equal(version.jobName, "train-7");
      assert.deepEqual(version.tags, { team: "ml" });
    });

    it("refuses in one sentence a version of the file that exists with other files", async () => {
      bed.addVersion("churn", "7", { modelUri: "azureml://jobs/other/outputs/model" });
      bed.addJob("train-7", { outputs: { model: { type: "custom_model" } } });
      bed.write("model.yml", "name: churn\nversion: 7\npath: azureml://jobs/train-7/outputs/model/paths/model\n");
      const runner = await bed.run({ inputs: { source: "modelFile", modelFile: "model.yml" } });
      assertOneSentenceFailure(runner, /^Version 7 of model 'churn' \(the 'version' of model file '.*model\.yml'\) already exists with other files/);
    });
  });
});
