import * as assert from "node:assert/strict";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { GateInputs, goalWithoutMetric, readGateSettings } from "../../../tasks/AzureMLRegisterModel/src/gate/gateSettings";

const input = (name: string, value: string) => ({ value, source: `input '${name}'` });
const gateOn = (extra: GateInputs = {}): GateInputs => ({ metric: input("metric", "rmse"), goal: input("goal", "minimize"), ...extra });

function refusal(inputs: GateInputs): string {
  try {
    readGateSettings(inputs);
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.doesNotMatch(error.message, /\n/);
    assert.match(error.message, /^[A-Z]/);
    assert.match(error.message, /input '\w+'/i);
    return error.message;
  }
  assert.fail("expected a refusal");
}

describe("gate settings", () => {
  it("turn the gate off without a metric", () => {
    assert.equal(readGateSettings({}), undefined);
    assert.equal(readGateSettings({ metric: input("metric", "  ") }), undefined);
  });

  it("read a full gate", () => {
    const settings = readGateSettings(
      gateOn({
        metric: input("metric", " eval.rmse "),
        goal: input("goal", "Minimise"),
        metricsFile: input("metricsFile", "./outputs/eval/metrics.json"),
        championTag: input("championTag", " stage = prod "),
        minImprovement: input("minImprovement", "0.01"),
      }),
    );
    assert.deepEqual(settings, {
      metric: { value: "eval.rmse", source: "input 'metric'" },
      goal: { value: "minimize", source: "input 'goal'" },
      metricsFile: { value: "outputs/eval/metrics.json", source: "input 'metricsFile'" },
      championTag: { name: "stage", value: "prod", source: "input 'championTag'" },
      minImprovement: 0.01,
    });
  });

  it("default the metrics file to outputs/metrics.json, no champion tag and no minimum improvement", () => {
    const settings = readGateSettings(gateOn({ goal: input("goal", "MAX") }));
    assert.equal(settings?.goal.value, "maximize");
    assert.equal(settings?.metricsFile.value, "outputs/metrics.json");
    assert.equal(settings?.championTag, undefined);
    assert.equal(settings?.minImprovement, 0);
  });

  it("take a champion tag without a value as 'any value'", () => {
    assert.deepEqual(readGateSettings(gateOn({ championTag: input("championTag", "champion") }))?.championTag, {
      name: "champion",
      source: "input 'championTag'",
    });
    assert.deepEqual(readGateSettings(gateOn({ championTag: input("championTag", "champion=") }))?.championTag, {
      name: "champion",
      value: "",
      source: "input 'championTag'",
    });
  });

  it("refuse gate inputs given without a metric, the goal aside", () => {
    assert.equal(
      refusal({ metricsFile: input("metricsFile", "outputs/m.json") }),
      "Input 'metricsFile' is set, but no metric is given to gate on: set input 'metric' too, or remove it.",
    );
    assert.match(refusal({ goal: input("goal", "maximize"), championTag: input("championTag", "x") }), /^Input 'championTag' is set/);
    assert.match(refusal({ minImprovement: input("minImprovement", "0.1") }), /^Input 'minImprovement' is set/);
  });

  it("ignore a goal given without a metric: the classic editor may fill the pick list in by itself", () => {
    const goalOnly = { metric: input("metric", ""), goal: input("goal", "maximize") };
    assert.equal(readGateSettings(goalOnly), undefined);
    assert.deepEqual(goalWithoutMetric(goalOnly), input("goal", "maximize"));
    assert.equal(goalWithoutMetric(gateOn()), undefined);
    assert.equal(goalWithoutMetric({}), undefined);
  });

  it("refuse a gate without a goal, or with an unknown one", () => {
    assert.match(refusal({ metric: input("metric", "rmse") }), /needs a goal: set input 'goal' to 'maximize' or 'minimize'/);
    assert.equal(refusal(gateOn({ goal: input("goal", "higher") })), "Input 'goal' is 'higher'; it takes 'maximize' or 'minimize'.");
  });

  it("refuse bad metric names", () => {
    assert.match(refusal(gateOn({ metric: input("metric", "a..b") })), /Input 'metric' is 'a\.\.b'; a dotted metric path has no empty part/);
    assert.match(refusal(gateOn({ metric: input("metric", ".a") })), /no empty part/);
    assert.match(refusal(gateOn({ metric: input("metric", "rm\nse") })), /Input 'metric' is 'rm\\nse', which holds a control character/);
    assert.match(refusal(gateOn({ metric: input("metric", "m".repeat(201)) })), /201 characters long/);
  });

  it("refuse a metrics file path that leaves the job's outputs or is not a file", () => {
    assert.match(
      refusal(gateOn({ metricsFile: input("metricsFile", "../other/metrics.json") })),
      /Input 'metricsFile' gives path '\.\.\/other\/metrics\.json' with a '\.\.' segment/,
    );
    assert.match(refusal(gateOn({ metricsFile: input("metricsFile", "outputs\\metrics.json") })), /with a backslash/);
    assert.match(refusal(gateOn({ metricsFile: input("metricsFile", "outputs//metrics.json") })), /empty segment/);
    assert.match(refusal(gateOn({ metricsFile: input("metricsFile", "/") })), /names the whole artifact store/);
  });

  it("refuse bad champion tags and minimum improvements", () => {
    assert.match(refusal(gateOn({ championTag: input("championTag", "=prod") })), /Input 'championTag' is '=prod'; it takes a tag name, or 'name=value'/);
    assert.match(refusal(gateOn({ championTag: input("championTag", "a=b\u202Ec") })), /control character/);
    for (const bad of ["-0.1", "abc", "Infinity", "NaN"]) {
      assert.match(refusal(gateOn({ minImprovement: input("minImprovement", bad) })), /Input 'minImprovement' is .*; it takes a number, 0 or more/);
    }
  });
});
