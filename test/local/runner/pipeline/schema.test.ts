import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { expandPipeline } from "../../../../local/runner/pipeline/compilePipeline";
import { keyText, PipelineNode } from "../../../../local/runner/pipeline/yamlNodes";
import { pipelineSchemaErrors } from "../../../support/pipelineSchema";
import { fixtures } from "./pipelineTestSupport";

/** The expanded pipeline as Azure's parser hands it to the schema: every scalar text. */
function asSchemaSees(node: PipelineNode): unknown {
  if (node.kind === "scalar") return node.value === null ? "" : typeof node.value === "boolean" ? String(node.value) : String(node.value);
  if (node.kind === "sequence") return node.items.map(asSchemaSees);
  return Object.fromEntries(node.entries.map((entry) => [keyText(entry), asSchemaSees(entry.value)]));
}

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
      assert.deepEqual(pipelineSchemaErrors(asSchemaSees(expanded)), []);
    });
  }

  it("is a schema that can fail: an unknown key, a misspelt task and a wrong input of ours are refused", () => {
    assert.notDeepEqual(pipelineSchemaErrors({ steps: [{ script: "echo", colour: "red" }] }), []);
    assert.notDeepEqual(pipelineSchemaErrors({ steps: [{ task: "AzureMLTrian@1" }] }), []);
    assert.notDeepEqual(pipelineSchemaErrors({ steps: [{ task: "AzureMLTrain@1", inputs: { colour: "red" } }] }), []);
    assert.deepEqual(pipelineSchemaErrors({ steps: [{ task: "AzureMLTrain@1", inputs: { azureSubscription: "c", jobFile: "job.yml" } }] }), []);
  });
});
