import * as assert from "node:assert/strict";
import { isoDurationToSeconds, secondsToIsoDuration } from "../../../tasks/common/src/azure/isoDuration";

describe("ISO 8601 durations", () => {
  it("reads the forms ARM returns", () => {
    assert.equal(isoDurationToSeconds("PT120S"), 120);
    assert.equal(isoDurationToSeconds("PT2M"), 120);
    assert.equal(isoDurationToSeconds("PT1H30M"), 5400);
    assert.equal(isoDurationToSeconds("P1DT2H"), 93600);
    assert.equal(isoDurationToSeconds("PT0.5S"), 0.5);
    assert.equal(isoDurationToSeconds("soon"), undefined);
    assert.equal(isoDurationToSeconds(undefined), undefined);
  });

  it("writes seconds so that they read back the same", () => {
    assert.equal(isoDurationToSeconds(secondsToIsoDuration(1800)), 1800);
  });
});
