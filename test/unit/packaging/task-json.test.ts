import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv-draft-04";
import { projectRoot, readTaskJson, taskFolders } from "./project";

// The task.json schema of azure-pipelines-task-lib (draft-04), kept verbatim in the repository (reference/SOURCES.md).
const schemaPath = join(projectRoot, "reference", "schemas", "tasks.schema.json");
// Its patterns are not valid under the unicode flag, and it uses keywords ajv's strict mode rejects.
const validateTaskJson = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true }).compile(JSON.parse(readFileSync(schemaPath, "utf8")));

const REQUIRED_HANDLERS = ["Node20_1", "Node24"];
// Inputs whose value has a format to learn, or that a run cannot do without, must explain themselves.
// visibleRule is `input op value` clauses joined by && or ||.
const ruleInputs = (rule: string) => rule.split(/&&|\|\|/).map((clause) => clause.trim().split(/\s|=|!|<|>/)[0]);

describe("task.json of every task", () => {
  const tasks = taskFolders();

  it("finds at least one task folder", () => {
    assert.ok(tasks.length > 0, "no tasks/*/task.json found");
  });

  it("gives every task its own id", () => {
    const ids = tasks.map((task) => readTaskJson(task).id.toLowerCase());
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
      "duplicate task ids",
    );
  });

  for (const task of tasks) {
    describe(task, () => {
      const taskJson = readTaskJson(task);
      const inputs = taskJson.inputs ?? [];
      const inputNames = inputs.map((input) => input.name);

      it("validates against tasks.schema.json", () => {
        const valid = validateTaskJson(taskJson);
        assert.ok(valid, JSON.stringify(validateTaskJson.errors, null, 2));
      });

      it("is named after its folder", () => {
        assert.equal(taskJson.name, task);
      });

      it("runs index.js on Node20_1 and Node24", () => {
        const execution = taskJson.execution ?? {};
        for (const handler of REQUIRED_HANDLERS) {
          assert.ok(execution[handler], `missing execution handler ${handler}`);
        }
        // index.js is the only code that ships: every handler must run it.
        for (const [handler, { target }] of Object.entries(execution)) {
          assert.equal(target, "index.js", `handler ${handler}`);
        }
      });

      it("has unique input names and aliases, ignoring case (the agent upper-cases them)", () => {
        const names = inputs.flatMap((input) => [input.name, ...(input.aliases ?? [])]).map((name) => name.toLowerCase());
        assert.deepEqual(
          names.filter((name, i) => names.indexOf(name) !== i),
          [],
        );
      });

      it("puts inputs only in groups it defines, and leaves no group empty", () => {
        const groups = (taskJson.groups ?? []).map((group) => group.name);
        const used = inputs.flatMap((input) => (input.groupName ? [input.groupName] : []));
        assert.deepEqual(
          used.filter((group) => !groups.includes(group)),
          [],
          "inputs in undefined groups",
        );
        assert.deepEqual(
          groups.filter((group) => !used.includes(group)),
          [],
          "groups without inputs",
        );
      });

      it("has help text for the task and for every input", () => {
        assert.ok(taskJson.helpMarkDown?.trim(), "task helpMarkDown is empty");
        const missing = inputs.filter((input) => !input.helpMarkDown?.trim());
        assert.deepEqual(
          missing.map((input) => input.name),
          [],
          "inputs without helpMarkDown",
        );
      });

      it("refers only to its own inputs in visibleRule and instanceNameFormat", () => {
        const ruleRefs = inputs.flatMap((input) => (input.visibleRule ? ruleInputs(input.visibleRule) : []));
        const formatRefs = [...taskJson.instanceNameFormat.matchAll(/\$\(([^)]+)\)/g)].map((match) => match[1]);
        assert.deepEqual(
          [...ruleRefs, ...formatRefs].filter((name) => !inputNames.includes(name)),
          [],
        );
      });

      it("declares its output variables, each described once", () => {
        const outputs = taskJson.outputVariables ?? [];
        assert.ok(outputs.length > 0, "no outputVariables");
        const names = outputs.map((output) => output.name);
        assert.deepEqual(
          names.filter((name, i) => names.indexOf(name) !== i),
          [],
          "duplicate output variables",
        );
        assert.deepEqual(
          outputs.filter((output) => !output.description?.trim()).map((output) => output.name),
          [],
          "outputs without description",
        );
      });
    });
  }
});
