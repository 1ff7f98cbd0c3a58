import * as assert from "node:assert/strict";
import { RegisterTaskBed, type Scenario } from "./registerTaskBed";

/*
 * Every input the task reads is checked before its first call to Azure: a bad one ends the task
 * in one sentence that names it, with nothing read from or written to the workspace.
 */

interface BadInput {
  title: string;
  scenario: (bed: RegisterTaskBed) => Scenario;
  message: RegExp;
}

const job = { jobName: "train-1", modelName: "churn" };

const badInputs: BadInput[] = [
  {
    title: "an unknown source",
    scenario: () => ({ inputs: { ...job, source: "registry" } }),
    message: /^Input 'source' is 'registry'; it takes jobOutput, localPath or modelFile\.$/,
  },
  {
    title: "no job name and no AzureMLTrain step before",
    scenario: () => ({ inputs: { modelName: "churn" } }),
    message: /^Input 'jobName' is empty and no AzureMLTrain step ran before in this job \(variable AZUREML_LAST_JOB_NAME is not set\)/,
  },
  {
    title: "a job name with a slash",
    scenario: () => ({ inputs: { ...job, jobName: "a/b" } }),
    message: /^Input 'jobName' gives job name 'a\/b'; a job name holds no slash/,
  },
  {
    title: "a bad job name in the Train step's variable",
    scenario: () => ({ inputs: { modelName: "churn" }, variables: { AZUREML_LAST_JOB_NAME: "a b" } }),
    message: /^Variable AZUREML_LAST_JOB_NAME gives job name 'a b'/,
  },
  {
    title: "a path that climbs out of the job output",
    scenario: () => ({ inputs: { ...job, pathInOutput: "outputs/../../x" } }),
    message: /^Input 'pathInOutput' gives path .* with a '\.\.' segment/,
  },
  { title: "no model name", scenario: () => ({ inputs: { jobName: "train-1" } }), message: /^Input 'modelName' is empty; it names the model to register\.$/ },
  {
    title: "a model name with a space",
    scenario: () => ({ inputs: { ...job, modelName: "my model" } }),
    message: /^Input 'modelName' is 'my model', not a model name/,
  },
  {
    title: "an unknown model type",
    scenario: () => ({ inputs: { ...job, modelType: "onnx" } }),
    message: /^Input 'modelType' is 'onnx'; it takes custom_model, mlflow_model, triton_model\.$/,
  },
  { title: "a tag line without '='", scenario: () => ({ inputs: { ...job, tags: "team" } }), message: /^Input 'tags' line 1 is not 'key=value'\.$/ },
  {
    title: "a property line without a key",
    scenario: () => ({ inputs: { ...job, properties: "=x" } }),
    message: /^Input 'properties' line 1 is not 'key=value'\.$/,
  },
  {
    title: "a description with a control character",
    scenario: () => ({ inputs: { ...job, description: "a\u0007b" } }),
    message: /^Input 'description' is .* which holds a control character/,
  },
  {
    title: "a gate input without a metric",
    scenario: () => ({ inputs: { ...job, goal: "maximize", championTag: "champion" } }),
    message: /^Input 'championTag' is set, but no metric is given to gate on/,
  },
  { title: "a metric without a goal", scenario: () => ({ inputs: { ...job, metric: "rmse" } }), message: /^A gate on input 'metric' needs a goal/ },
  {
    title: "an unknown goal",
    scenario: () => ({ inputs: { ...job, metric: "rmse", goal: "lower" } }),
    message: /^Input 'goal' is 'lower'; it takes 'maximize' or 'minimize'\.$/,
  },
  {
    title: "a negative minimum improvement",
    scenario: () => ({ inputs: { ...job, metric: "rmse", goal: "min", minImprovement: "-1" } }),
    message: /^Input 'minImprovement' is '-1'/,
  },
  {
    title: "a metrics file outside the artifacts",
    scenario: () => ({ inputs: { ...job, metric: "rmse", goal: "min", metricsFile: "../x.json" } }),
    message: /^Input 'metricsFile' gives path/,
  },
  {
    title: "a gate on a local model, which has no job",
    scenario: (bed) => (
      bed.write("model.pkl", "w"),
      { inputs: { source: "localPath", localPath: "model.pkl", modelName: "churn", metric: "rmse", goal: "min" } }
    ),
    message: /^Input 'metric' sets a gate, which reads the metric from the job that produced the model, but a model from input 'localPath' has no job/,
  },
  { title: "no local path", scenario: () => ({ inputs: { source: "localPath", modelName: "churn" } }), message: /^Input 'localPath' is empty/ },
  {
    title: "a local path that does not exist",
    scenario: () => ({ inputs: { source: "localPath", localPath: "nowhere", modelName: "churn" } }),
    message: /^Input 'localPath' names file or folder '.*nowhere', which does not exist\.$/,
  },
  { title: "no model file", scenario: () => ({ inputs: { source: "modelFile" } }), message: /^Input 'modelFile' is empty/ },
  {
    title: "a model file that does not exist",
    scenario: () => ({ inputs: { source: "modelFile", modelFile: "model.yml" } }),
    message: /^Input 'modelFile' names model file '.*model\.yml', which does not exist\.$/,
  },
  {
    title: "a model file whose path is a registered asset",
    scenario: (bed) => (bed.write("model.yml", "name: churn\npath: azureml:other-model:3\n"), { inputs: { source: "modelFile", modelFile: "model.yml" } }),
    message: /^Model file '.*model\.yml' has path 'azureml:other-model:3', which names a registered asset, not the model's files/,
  },
  {
    title: "a model file without a path",
    scenario: (bed) => (bed.write("model.yml", "name: churn\n"), { inputs: { source: "modelFile", modelFile: "model.yml" } }),
    message: /^Model file '.*model\.yml' has no 'path'/,
  },
  {
    title: "a model file with an unknown field",
    scenario: (bed) => (bed.write("model.yml", "name: churn\npath: m\nframework: x\n"), { inputs: { source: "modelFile", modelFile: "model.yml" } }),
    message: /model\.yml/,
  },
];

describe("AzureMLRegisterModel task: bad input is one sentence, before any Azure call", function () {
  this.timeout(60_000);
  let bed: RegisterTaskBed;

  beforeEach(() => {
    bed = RegisterTaskBed.create();
  });
  afterEach(() => bed.remove());

  for (const badInput of badInputs) {
    it(`refuses ${badInput.title}`, async () => {
      const runner = await bed.run(badInput.scenario(bed));
      assert.ok(runner.failed, `expected failure\n${runner.stdout}`);
      assert.equal(runner.errorIssues.length, 1, runner.errorIssues.join("\n---\n"));
      assert.match(runner.errorIssues[0], badInput.message, runner.stdout);
      assert.doesNotMatch(runner.errorIssues[0], /\n/, "the failure is one line");
      assert.deepEqual(bed.azureCalls(), [], "no call to Azure");
    });
  }
});
