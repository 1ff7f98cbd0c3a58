import * as assert from "node:assert/strict";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { parseComputeClusters } from "../../../tasks/AzureMLWorkspace/src/settings/computeClusters";

const int32Max = 2_147_483_647;

function refusal(yamlText: string): string {
  try {
    parseComputeClusters(yamlText, "Input 'computeClusters'");
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    assert.doesNotMatch(error.message, /\n/);
    return error.message;
  }
  assert.fail("expected a refusal");
}

describe("compute cluster limits", () => {
  for (const key of ["min_instances", "max_instances", "idle_time_before_scale_down"]) {
    it(`takes ${key} up to the int32 the API takes, and refuses one more`, () => {
      const cluster = (value: number) =>
        key === "max_instances" ? `- name: cpu\n  max_instances: ${value}` : `- name: cpu\n  max_instances: ${int32Max}\n  ${key}: ${value}`;
      assert.equal(parseComputeClusters(cluster(int32Max), "x").length, 1);
      assert.match(refusal(cluster(int32Max + 1)), new RegExp(`'${key}' must be a whole number of 0 or more, up to 2147483647, not '2147483648'`));
      assert.match(refusal(cluster(-1)), new RegExp(`'${key}' must be a whole number`));
    });
  }

  it("refuses an idle time of a trillion seconds and node counts written as huge numbers", () => {
    assert.match(refusal("- name: cpu\n  idle_time_before_scale_down: 1000000000000"), /not '1000000000000'/);
    assert.match(refusal("- name: cpu\n  max_instances: 1e300"), /'max_instances' must be a whole number/);
    assert.match(refusal("- name: cpu\n  max_instances: .inf"), /'max_instances' must be a whole number/);
    assert.match(refusal("- name: cpu\n  max_instances: '4'"), /not '4'/);
  });

  it("takes the shortest and the longest cluster names and refuses one past each", () => {
    assert.equal(parseComputeClusters("- name: c1", "x")[0].name, "c1");
    assert.equal(parseComputeClusters("- name: cpu-cluster-0123", "x")[0].name, "cpu-cluster-0123");
    assert.match(refusal("- name: c"), /'c' is not a valid compute cluster name: 2–16/);
    assert.match(refusal("- name: cpu-cluster-01234"), /'cpu-cluster-01234' is not a valid compute cluster name/);
  });

  it("refuses a control character in a name or a description, shown escaped", () => {
    assert.match(refusal('- name: "cpu\\ncluster"'), /'cpu\\ncluster' is not a valid compute cluster name/);
    assert.match(refusal('- name: cpu\n  description: "line\\u0007"'), /'description' is 'line\\u0007', which holds a control character/);
    assert.match(refusal("- name: 42"), /'42' is not a valid compute cluster name/);
    assert.match(refusal('- name: cpu\n  "max\\u001b[1m": 3'), /unknown key 'max\\u001B\[1m'/);
  });

  it("refuses a YAML bomb at once, naming the input", () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level++)
      lines.push(
        `${"abcdefghij"[level]}: &${"abcdefghij"[level]} [${Array(9)
          .fill(`*${"abcdefghij"[level - 1]}`)
          .join(",")}]`,
      );
    assert.match(refusal(lines.join("\n")), /^Input 'computeClusters' line \d+ is refused: its aliases \(\*name\) expand to more than 1,000,000 values/);
  });

  it("refuses several YAML documents, and takes an empty or comment-only text as no clusters", () => {
    assert.match(refusal("- name: cpu\n---\n- name: gpu"), /holds 2 YAML documents; give one list of clusters/);
    assert.deepEqual(parseComputeClusters("# none yet\n", "x"), []);
    assert.deepEqual(parseComputeClusters("", "x"), []);
  });

  it("refuses a VM size name longer than any Azure has", () => {
    assert.match(refusal(`- name: cpu\n  size: ${"S".repeat(65)}`), /is not a VM size name/);
  });
});
