import * as assert from "node:assert/strict";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { chooseJobOutput, JobOutputRequest, JobOutputs } from "../../../tasks/AzureMLRegisterModel/src/source/defaultJobOutput";
import { checkPathInOutput, jobOutputUri } from "../../../tasks/AzureMLRegisterModel/src/source/jobOutputPath";

const job = { value: "quirky_lime_1234", source: "input 'jobName'" };
const outputInput = "input 'jobOutput'";
const artifactStore = { jobOutputType: "uri_folder" };
const choose = (outputs: JobOutputs, extra: Partial<JobOutputRequest> = {}) => chooseJobOutput({ job, outputs, outputInput, ...extra });
const output = (value: string) => ({ value, source: "input 'jobOutput'" });
const path = (value: string) => ({ value, source: "input 'modelPath'" });

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.doesNotMatch(error.message, /\n/);
    assert.match(error.message, /^Input '\w+'/);
    return error.message;
  }
  assert.fail("expected a refusal");
}

describe("job output of the model", () => {
  it("is the job's only declared output, Azure's 'default' not counted", () => {
    const chosen = choose({ default: artifactStore, model_output: { jobOutputType: "uri_folder" } });
    assert.deepEqual(chosen, {
      outputName: "model_output",
      pathInOutput: "",
      uri: "azureml://jobs/quirky_lime_1234/outputs/model_output/paths/",
      reason: "Output 'model_output', the only output job 'quirky_lime_1234' declares.",
    });
  });

  it("takes a path inside the chosen output", () => {
    const chosen = choose({ model_output: {} }, { path: path("./model/model.pkl") });
    assert.equal(chosen.uri, "azureml://jobs/quirky_lime_1234/outputs/model_output/paths/model/model.pkl");
  });

  it("among several outputs, is the only one typed as a model", () => {
    const chosen = choose({ default: artifactStore, data: { jobOutputType: "uri_folder" }, model: { jobOutputType: "mlflow_model" } });
    assert.equal(chosen.outputName, "model");
    assert.match(chosen.reason, /the only model-typed one of job 'quirky_lime_1234''s outputs 'data', 'model'/);
  });

  it("falls back to the artifact store's ./outputs folder when the job declares no output", () => {
    const chosen = choose({ default: artifactStore });
    assert.equal(chosen.outputName, "artifacts");
    assert.equal(chosen.uri, "azureml://jobs/quirky_lime_1234/outputs/artifacts/paths/outputs");
    assert.match(chosen.reason, /artifact store, path 'outputs', since job 'quirky_lime_1234' declares no output\.$/);
    assert.equal(choose({}).outputName, "artifacts");
  });

  it("falls back to the artifact store when several outputs leave the choice open, saying how to choose", () => {
    const chosen = choose({ a: { jobOutputType: "custom_model" }, b: { jobOutputType: "custom_model" } }, { path: path("outputs/model.pkl") });
    assert.equal(chosen.uri, "azureml://jobs/quirky_lime_1234/outputs/artifacts/paths/outputs/model.pkl");
    assert.match(chosen.reason, /several outputs \('a', 'b'\) and none is the only model-typed one; set input 'jobOutput' to use one/);
  });

  it("is the output asked for, or the artifact store under 'artifacts' or 'default'", () => {
    const outputs = { default: artifactStore, a: {}, b: {} };
    assert.equal(choose(outputs, { output: output("b") }).uri, "azureml://jobs/quirky_lime_1234/outputs/b/paths/");
    assert.equal(choose(outputs, { output: output("artifacts"), path: path("model") }).uri, "azureml://jobs/quirky_lime_1234/outputs/artifacts/paths/model");
    assert.equal(choose(outputs, { output: output("default") }).outputName, "artifacts");
  });

  it("refuses an output the job does not have, listing those it has", () => {
    assert.equal(
      refusal(() => choose({ default: artifactStore, a: {}, b: {} }, { output: output("c") })),
      "Input 'jobOutput' names output 'c', but job 'quirky_lime_1234' has no such output: its outputs are 'a', 'b', or 'artifacts' for the files it wrote under ./outputs.",
    );
    assert.match(
      refusal(() => choose({ default: artifactStore }, { output: output("c") })),
      /it declares no output, or 'artifacts'/,
    );
  });

  it("refuses job and output names that would change the reference", () => {
    for (const bad of ["../other", "a/b", ".", "..", "a b", "a\\b"]) {
      assert.match(
        refusal(() => choose({}, { job: { value: bad, source: "Input 'jobName'" } })),
        /^Input 'jobName' gives job name .* a job name holds no slash, backslash or space and is not '\.' or '\.\.'\.$/,
      );
      assert.match(
        refusal(() => choose({ a: {} }, { output: output(bad) })),
        /job output name/,
      );
    }
    assert.match(
      refusal(() => choose({}, { job: { value: "job\n##vso[task.complete]", source: "Input 'jobName'" } })),
      /'job\\n#\\#vso\[task\.complete\]', which holds a control character/,
    );
    assert.match(
      refusal(() => choose({}, { job: { value: "", source: "Input 'jobName'" } })),
      /gives an empty job name/,
    );
    assert.match(
      refusal(() => choose({}, { job: { value: "j".repeat(256), source: "Input 'jobName'" } })),
      /256 characters/,
    );
  });

  it("refuses paths that leave the output", () => {
    for (const bad of ["../secrets", "model/../../x", "a/./b", "a//b"]) {
      assert.match(
        refusal(() => choose({ a: {} }, { path: path(bad) })),
        /^Input 'modelPath' gives path .* with (a '\.\.' segment|a '\.' segment|an empty segment \('\/\/'\)); a path inside a job output must stay inside it\.$/,
      );
    }
    assert.match(
      refusal(() => choose({ a: {} }, { path: path("model\u0000.pkl") })),
      /control character/,
    );
    assert.match(
      refusal(() => choose({ a: {} }, { path: path("model\\m.pkl") })),
      /backslash/,
    );
  });
});

describe("path inside a job output", () => {
  it("drops a leading ./ or / and a trailing /", () => {
    assert.equal(checkPathInOutput("./outputs/", "x"), "outputs");
    assert.equal(checkPathInOutput("/outputs/model", "x"), "outputs/model");
    assert.equal(checkPathInOutput("", "x"), "");
    assert.equal(checkPathInOutput("/", "x"), "");
  });

  it("keeps dots that are part of names", () => {
    assert.equal(checkPathInOutput("outputs/.hidden/..model.pkl", "x"), "outputs/.hidden/..model.pkl");
  });

  it("makes the reference with or without a path", () => {
    assert.equal(jobOutputUri("j", "o", ""), "azureml://jobs/j/outputs/o/paths/");
    assert.equal(jobOutputUri("j", "o", "p/q"), "azureml://jobs/j/outputs/o/paths/p/q");
  });
});
