import * as assert from "node:assert/strict";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { computeClustersFromDocument, ensureUniqueNames, parseComputeClusters } from "../../../tasks/AzureMLWorkspace/src/settings/computeClusters";

describe("compute cluster YAML", () => {
  it("reads the az ml compute fields and applies az ml's defaults", () => {
    const clusters = parseComputeClusters(
      "- name: cpu-cluster\n  size: Standard_DS3_v2\n  min_instances: 1\n  max_instances: 4\n  idle_time_before_scale_down: 300\n  tier: low_priority\n- name: gpu\n",
      "input",
    );
    assert.deepEqual(clusters, [
      {
        name: "cpu-cluster",
        size: "Standard_DS3_v2",
        minInstances: 1,
        maxInstances: 4,
        idleSecondsBeforeScaleDown: 300,
        tier: "low_priority",
        description: undefined,
        source: "input item 1",
      },
      {
        name: "gpu",
        size: "Standard_DS3_v2",
        minInstances: 0,
        maxInstances: 4,
        idleSecondsBeforeScaleDown: 120,
        tier: "dedicated",
        description: undefined,
        source: "input item 2",
      },
    ]);
  });

  it("accepts a single cluster, a compute_clusters list, and an empty document", () => {
    assert.equal(parseComputeClusters("name: one\ntype: amlcompute", "x")[0].name, "one");
    assert.equal(computeClustersFromDocument({ compute_clusters: [{ name: "two" }] }, "x")[0].name, "two");
    assert.deepEqual(parseComputeClusters("", "x"), []);
  });

  const refusals: Array<[string, RegExp]> = [
    ["- size: Standard_DS3_v2", /item 1 has no 'name'/],
    ["- name: c", /'c' is not a valid compute cluster name/],
    ["- name: cpu\n  type: kubernetes", /type 'kubernetes' is not supported/],
    ["- name: cpu\n  tier: spot", /tier must be 'dedicated' or 'low_priority'/],
    ["- name: cpu\n  max_instances: 0", /max_instances \(0\) must be at least 1/],
    ["- name: cpu\n  min_instances: -1", /'min_instances' must be a whole number of 0 or more/],
    ["- name: cpu\n  min_instances: 1.5", /'min_instances' must be a whole number/],
    ["- name: cpu\n  min_instances: {nodes: 1}", /'min_instances' must be a whole number of 0 or more, up to \d+, not '\{"nodes":1\}'\./],
    ["- name: [cpu, gpu]", /'\["cpu","gpu"\]' is not a valid compute cluster name/],
    ["- name: cpu\n  size: 'Standard DS3'", /size 'Standard DS3' is not a VM size name/],
    ["- 42", /item 1 is not a mapping/],
    ["- name: cpu\n  vm_size: x", /unknown key 'vm_size'/],
  ];
  for (const [yamlText, message] of refusals) {
    it(`refuses ${JSON.stringify(yamlText)}`, () => {
      assert.throws(
        () => parseComputeClusters(yamlText, "Input 'computeClusters'"),
        (error: unknown) => error instanceof InputError && message.test(error.message),
      );
    });
  }

  it("refuses a name used twice, whatever its case", () => {
    const clusters = [...parseComputeClusters("- name: cpu", "file"), ...parseComputeClusters("- name: CPU", "input")];
    assert.throws(() => ensureUniqueNames(clusters), /Compute cluster 'CPU' is described twice \(file item 1 and input item 1\)/);
  });
});
