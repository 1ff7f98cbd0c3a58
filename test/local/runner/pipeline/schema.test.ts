import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { expandPipeline } from "../../../../local/runner/pipeline/compilePipeline";
import { asSchemaSees, describeErrors, pipelineValidator } from "../../../unit/pipelines/pipelineSchema";
import { fixtures } from "./pipelineTestSupport";

/** The schema's complaints about a pipeline; '' when it is valid. */
function schemaErrors(pipeline: unknown): string {
  const validate = pipelineValidator();
  return validate(pipeline) ? "" : describeErrors(validate);
}

// The schema is the starter project's (test/unit/pipelines/pipelineSchema.ts): the official one with our tasks added.
describe("pipeline runner: the test pipelines are valid Azure Pipelines YAML", () => {
  const files = fs
    .readdirSync(fixtures)
    .filter((name) => name.endsWith(".yml"))
    .sort();

  it("finds the test pipelines", () => {
    assert.ok(files.length >= 10, files.join(", "));
  });

  for (const name of files) {
    it(`${name} validates against azure-pipelines.service-schema.json once expanded (our tasks added to it)`, () => {
      const expanded = expandPipeline(path.join(fixtures, name), { parameters: {}, predefinedVariables: {}, repositoryRoot: fixtures });
      assert.equal(schemaErrors(asSchemaSees(expanded)), "");
    });
  }

  it("is a schema that can fail: an unknown key, a misspelt task and a wrong input of ours are refused", () => {
    assert.notEqual(schemaErrors({ steps: [{ script: "echo", colour: "red" }] }), "");
    assert.notEqual(schemaErrors({ steps: [{ task: "AzureMLTrian@1" }] }), "");
    assert.notEqual(schemaErrors({ steps: [{ task: "AzureMLTrain@1", inputs: { colour: "red" } }] }), "");
    assert.equal(schemaErrors({ steps: [{ task: "AzureMLTrain@1", inputs: { azureSubscription: "c", jobFile: "job.yml" } }] }), "");
  });
});
