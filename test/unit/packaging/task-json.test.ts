import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv-draft-04";
import { projectRoot, readTaskJson, taskFolders } from "./project";
import { README_URL, readmeAnchors } from "./readmeAnchors";
import { parseVisibleRule } from "./visibleRule";

// The task.json schema of azure-pipelines-task-lib (draft-04), kept verbatim in the repository (reference/SOURCES.md).
const schemaPath = join(projectRoot, "reference", "schemas", "tasks.schema.json");
// Its patterns are not valid under the unicode flag, and it uses keywords ajv's strict mode rejects.
const validateTaskJson = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true }).compile(JSON.parse(readFileSync(schemaPath, "utf8")));

const REQUIRED_HANDLERS = ["Node20_1", "Node24"];
const anchors = readmeAnchors();
/** `$(name)` references in a text (task inputs in a binding's URL or parameters, in instanceNameFormat). */
const references = (text: string) => [...text.matchAll(/\$\(([^)]+)\)/g)].map((match) => match[1]);

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
        const ruleRefs = inputs.flatMap((input) => (input.visibleRule ? parseVisibleRule(input.visibleRule).map((clause) => clause.input) : []));
        assert.deepEqual(
          [...ruleRefs, ...references(taskJson.instanceNameFormat)].filter((name) => !inputNames.includes(name)),
          [],
        );
      });

      it("compares in visibleRule only with values the input can take (a pick list's options, true or false)", () => {
        const byName = new Map(inputs.map((input) => [input.name, input]));
        for (const input of inputs.filter((candidate) => candidate.visibleRule)) {
          for (const clause of parseVisibleRule(input.visibleRule ?? "")) {
            const target = byName.get(clause.input);
            const allowed = target?.type === "boolean" ? ["true", "false"] : target?.type === "pickList" ? Object.keys(target.options ?? {}) : undefined;
            if (allowed && clause.value !== "") assert.ok(allowed.includes(clause.value), `${input.name}: '${clause.value}' is not a value of ${clause.input}`);
          }
        }
      });

      it("ends every input's help with a link to its section of the README, and the section exists", () => {
        for (const input of inputs) {
          const link = /\[[^\]]+\]\(([^)\s]+)\)$/.exec(input.helpMarkDown?.trim() ?? "");
          assert.ok(link, `${input.name}: its help ends with no link`);
          const [page, anchor] = link[1].split("#");
          assert.equal(page, README_URL, `${input.name}: the link goes to the README`);
          assert.ok(anchors.includes(anchor), `${input.name}: README.md has no heading whose anchor is '#${anchor}'`);
        }
      });

      it("binds lists only to editable pick lists, through its AzureRM connection, on inputs it has", () => {
        const connection = inputs.find((input) => input.type === "connectedService:AzureRM")?.name;
        for (const binding of taskJson.dataSourceBindings ?? []) {
          const target = inputs.find((input) => input.name === binding.target);
          assert.ok(target, `binding for '${binding.target}', which is no input`);
          assert.equal(target.type, "pickList", `${binding.target} is a pick list`);
          // Editable: a typed value or a $(variable) still works where the list cannot be read.
          assert.equal(target.properties?.EditableOptions, "True", `${binding.target} takes a typed value`);
          assert.equal(binding.endpointId, `$(${connection})`, `${binding.target}: the task's AzureRM connection`);
          const texts = [binding.endpointUrl ?? "", ...Object.values(binding.parameters ?? {})];
          assert.deepEqual(
            texts.flatMap(references).filter((name) => !inputNames.includes(name)),
            [],
            `${binding.target}: references to inputs it does not have`,
          );
        }
        const targets = (taskJson.dataSourceBindings ?? []).map((binding) => binding.target);
        assert.deepEqual(
          targets.filter((target, i) => targets.indexOf(target) !== i),
          [],
          "one binding per input",
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
