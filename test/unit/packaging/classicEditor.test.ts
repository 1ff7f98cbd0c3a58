import * as assert from "node:assert/strict";
import { readTaskJson } from "./project";
import { headingAnchors } from "./readmeAnchors";
import { parseVisibleRule } from "./visibleRule";

// What the classic editor shows of a task is its task.json: the rules the generic checks in
// task-json.test.ts rely on, and the choices made for one task in particular.

describe("the classic editor's reading of task.json", () => {
  describe("README anchors as GitHub makes them", () => {
    it("lower-cases, drops punctuation but - and _, turns spaces into -, numbers repeats", () => {
      const markdown =
        "# Title\n## AzureMLWorkspace@1\n### Inputs\n## Running against the local Azure, or a real subscription\n### Inputs\n## `code` and *stress*";
      assert.deepEqual(headingAnchors(markdown), [
        "title",
        "azuremlworkspace1",
        "inputs",
        "running-against-the-local-azure-or-a-real-subscription",
        "inputs-1",
        "code-and-stress",
      ]);
    });
    it("ignores # lines inside fenced code", () => {
      assert.deepEqual(headingAnchors("## A\n```bash\n# not a heading\n```\n## B"), ["a", "b"]);
    });
  });

  describe("visibleRule clauses", () => {
    it("reads =, !=, the empty value and word operators, joined by && or ||", () => {
      assert.deepEqual(parseVisibleRule('source != localPath && metric != ""'), [
        { input: "source", operator: "!=", value: "localPath" },
        { input: "metric", operator: "!=", value: "" },
      ]);
      assert.deepEqual(parseVisibleRule("wait = true || Package NotEndsWith .war"), [
        { input: "wait", operator: "=", value: "true" },
        { input: "Package", operator: "NotEndsWith", value: ".war" },
      ]);
    });
    it("refuses a clause without an operator", () => {
      assert.throws(() => parseVisibleRule("source jobOutput"), /is not '<input> <operator> <value>'/);
    });
  });

  describe("AzureMLRegisterModel", () => {
    const inputs = readTaskJson("AzureMLRegisterModel").inputs ?? [];
    const rule = (name: string) => parseVisibleRule(inputs.find((input) => input.name === name)?.visibleRule ?? "");

    it("shows each source's inputs only for that source", () => {
      for (const [name, source] of [
        ["jobName", "jobOutput"],
        ["jobOutput", "jobOutput"],
        ["pathInOutput", "jobOutput"],
        ["localPath", "localPath"],
        ["modelFile", "modelFile"],
      ]) {
        assert.deepEqual(rule(name), [{ input: "source", operator: "=", value: source }], name);
      }
    });

    it("shows goal, metrics file, champion tag and minimum improvement only once a metric is given (a pre-filled goal alone is no gate)", () => {
      for (const name of ["goal", "metricsFile", "championTag", "minImprovement"]) {
        assert.ok(
          rule(name).some((clause) => clause.input === "metric" && clause.operator === "!=" && clause.value === ""),
          name,
        );
      }
      assert.deepEqual(rule("metric"), [{ input: "source", operator: "!=", value: "localPath" }]);
    });
  });
});
