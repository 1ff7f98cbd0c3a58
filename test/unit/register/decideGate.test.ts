import * as assert from "node:assert/strict";
import { decideGate } from "../../../tasks/AzureMLRegisterModel/src/gate/decideGate";
import { gate, version, withMetric } from "./gateFixtures";

const champion = (value: number) => [withMetric(version("1", 1), 5), withMetric(version("2", 2), value)];

describe("gate decision", () => {
  describe("goal maximize", () => {
    it("registers a better model", () => {
      const decision = decideGate(gate("maximize"), 0.91, champion(0.9));
      assert.equal(decision.register, true);
      assert.equal(decision.verdict, "better");
      assert.deepEqual(decision.champion, { version: "2", chosenAs: "the newest version", value: 0.9, valueFrom: "property" });
      assert.equal(
        decision.reason,
        "The model wins on 'rmse' 0.91 against 0.9 of the champion version 2 (the newest version), goal maximize, so it is registered.",
      );
    });

    it("skips a worse model", () => {
      const decision = decideGate(gate("maximize"), 0.89, champion(0.9));
      assert.equal(decision.register, false);
      assert.equal(decision.verdict, "worse");
      assert.match(decision.reason, /^The champion is better on 'rmse' 0\.89 against 0\.9 .*so the model is not registered\.$/);
    });

    it("skips a tie, saying a tie is not a win", () => {
      const decision = decideGate(gate("maximize"), 0.9, champion(0.9));
      assert.equal(decision.register, false);
      assert.equal(decision.verdict, "tie");
      assert.match(decision.reason, /a tie is not a win/);
    });
  });

  describe("goal minimize", () => {
    it("registers a better (lower) model", () => {
      const decision = decideGate(gate("minimize"), 1.1, champion(1.2));
      assert.equal(decision.register, true);
      assert.equal(decision.verdict, "better");
    });

    it("skips a worse (higher) model", () => {
      const decision = decideGate(gate("minimize"), 1.3, champion(1.2));
      assert.equal(decision.register, false);
      assert.equal(decision.verdict, "worse");
    });

    it("skips a tie, also for zero and negative zero", () => {
      assert.equal(decideGate(gate("minimize"), 1.2, champion(1.2)).verdict, "tie");
      assert.equal(decideGate(gate("minimize"), -0, champion(0)).verdict, "tie");
    });

    it("handles negative metrics (a log-likelihood loss)", () => {
      assert.equal(decideGate(gate("minimize"), -3, champion(-2)).verdict, "better");
      assert.equal(decideGate(gate("maximize"), -3, champion(-2)).verdict, "worse");
    });
  });

  describe("minimum improvement", () => {
    it("skips a model better by less than the minimum", () => {
      const decision = decideGate(gate("maximize", { minImprovement: 0.05 }), 0.92, champion(0.9));
      assert.equal(decision.register, false);
      assert.equal(decision.verdict, "too-little");
      assert.match(decision.reason, /better .* but by 0\.02, less than the minimum improvement 0\.05/);
    });

    it("registers a model better by exactly the minimum, despite binary rounding", () => {
      // 0.3 - 0.2 is 0.09999999999999998 in binary floating point.
      assert.equal(decideGate(gate("maximize", { minImprovement: 0.1 }), 0.3, champion(0.2)).verdict, "better");
      assert.equal(decideGate(gate("minimize", { minImprovement: 0.1 }), 0.2, champion(0.3)).verdict, "better");
    });

    it("still calls a tie a tie and a loss a loss", () => {
      assert.equal(decideGate(gate("maximize", { minImprovement: 0.1 }), 0.3, champion(0.3)).verdict, "tie");
      assert.equal(decideGate(gate("maximize", { minImprovement: 0.1 }), 0.2, champion(0.3)).verdict, "worse");
    });
  });

  it("registers the first model: no champion yet", () => {
    const decision = decideGate(gate("minimize"), 1, []);
    assert.equal(decision.register, true);
    assert.equal(decision.verdict, "no-champion");
    assert.equal(decision.champion, undefined);
    assert.equal(decision.reason, "No champion yet: the model has no version yet, so the model is registered.");
  });

  it("registers when the champion carries no value for the metric, and says so", () => {
    const decision = decideGate(gate("minimize"), 1, [version("3", 3, { jobName: "old_job" })]);
    assert.equal(decision.register, true);
    assert.equal(decision.verdict, "champion-without-metric");
    assert.deepEqual(decision.champion, { version: "3", chosenAs: "the newest version", jobName: "old_job" });
    assert.match(decision.reason, /champion version 3 .* has no recorded 'rmse' to compare with \(it carries no 'metric\.rmse' property or tag\)/);
  });

  it("compares with a value recorded only as a tag (a version registered by hand)", () => {
    const decision = decideGate(gate("minimize"), 1, [withMetric(version("3", 3), 0.5, "tag")]);
    assert.equal(decision.verdict, "worse");
    assert.equal(decision.champion?.valueFrom, "tag");
  });

  it("compares with the tagged champion, not the newest version", () => {
    const tagged = withMetric(version("2", 2, { tags: { champion: "true" } }), 0.8);
    const newest = withMetric(version("5", 5), 0.1);
    const settings = gate("minimize", { championTag: { name: "champion", value: "true", source: "input 'championTag'" } });
    const decision = decideGate(settings, 0.5, [tagged, newest]);
    assert.equal(decision.verdict, "better");
    assert.equal(decision.champion?.version, "2");
    assert.equal(decision.champion?.chosenAs, "the newest version carrying tag 'champion=true'");
  });

  it("registers when no version carries the champion tag yet", () => {
    const settings = gate("minimize", { championTag: { name: "champion", source: "input 'championTag'" } });
    const decision = decideGate(settings, 0.5, [withMetric(version("5", 5), 0.1)]);
    assert.equal(decision.register, true);
    assert.equal(decision.verdict, "no-champion");
    assert.match(decision.reason, /none of its 1 version carries tag 'champion'/);
  });

  it("uses the newest of several tagged versions and passes the notice on", () => {
    const settings = gate("maximize", { championTag: { name: "champion", source: "input 'championTag'" } });
    const versions = [withMetric(version("2", 2, { tags: { champion: "" } }), 0.7), withMetric(version("4", 4, { tags: { champion: "yes" } }), 0.95)];
    const decision = decideGate(settings, 0.9, versions);
    assert.equal(decision.verdict, "worse");
    assert.equal(decision.champion?.version, "4");
    assert.equal(decision.notices.length, 1);
    assert.match(decision.notices[0], /2 versions carry tag 'champion' \(4, 2\)/);
  });

  it("passes on the note of a tag that disagrees with the recorded property", () => {
    const v = version("2", 2, { properties: { "metric.rmse": "0.9" }, tags: { "metric.rmse": "0.1" } });
    const decision = decideGate(gate("minimize"), 0.5, [v]);
    assert.equal(decision.verdict, "better");
    assert.equal(decision.champion?.value, 0.9);
    assert.match(decision.notices.join(" "), /Version 2: its tag 'metric\.rmse' says 0\.1/);
  });

  it("keeps the candidate's place in the metrics file", () => {
    assert.deepEqual(decideGate(gate("minimize"), 1, [], "metrics.rmse").candidate, { value: 1, foundAt: "metrics.rmse" });
  });
});
