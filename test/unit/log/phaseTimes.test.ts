import * as assert from "node:assert/strict";
import { PhaseTimes, phaseTimesLine, phaseTimesMarkdown } from "../../../tasks/common/src/log/phaseTimes";

/** A clock that moves only when told: the durations are the test's own, not the machine's. */
function scriptedClock(): { now: () => number; advance: (ms: number) => void } {
  let time = 1000;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe("PhaseTimes", () => {
  it("records each phase's time in the order the phases ran", async () => {
    const clock = scriptedClock();
    const phases = new PhaseTimes(clock.now);
    assert.equal(await phases.time("lookup", () => Promise.resolve(clock.advance(310)).then(() => "found")), "found");
    await phases.time("deployment", () => Promise.resolve(clock.advance(3200)));
    assert.deepEqual(phases.list(), [
      { name: "lookup", ms: 310 },
      { name: "deployment", ms: 3200 },
    ]);
    assert.equal(phaseTimesLine(phases.list()), "Time by phase: lookup 0.31 s; deployment 3.20 s.");
    assert.equal(phaseTimesMarkdown(phases.list()), "| Phase | Time |\n| --- | --- |\n| lookup | 0.31 s |\n| deployment | 3.20 s |");
  });

  it("records a phase that fails, and lets its error through", async () => {
    const clock = scriptedClock();
    const phases = new PhaseTimes(clock.now);
    await assert.rejects(
      phases.time("smoke test", () => {
        clock.advance(50);
        return Promise.reject(new Error("HTTP 500"));
      }),
      /HTTP 500/,
    );
    assert.deepEqual(phases.list(), [{ name: "smoke test", ms: 50 }]);
  });

  it("escapes phase names in the summary's table", () => {
    assert.match(phaseTimesMarkdown([{ name: "a|b", ms: 0 }]), /\| a\\\|b \| 0\.00 s \|/);
  });
});
