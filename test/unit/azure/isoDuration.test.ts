import * as assert from "node:assert/strict";
import { isoDurationToSeconds, secondsToIsoDuration, timedeltaIsoDuration } from "../../../tasks/common/src/azure/isoDuration";

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

  it("writes a deployment's durations as azure-ai-ml does (isodate's format of a timedelta)", () => {
    assert.equal(timedeltaIsoDuration(500), "PT0.5S");
    assert.equal(timedeltaIsoDuration(5000), "PT5S");
    assert.equal(timedeltaIsoDuration(10_000), "PT10S");
    assert.equal(timedeltaIsoDuration(90_000), "PT1M30S");
    assert.equal(timedeltaIsoDuration(120_000), "PT2M");
    assert.equal(timedeltaIsoDuration(3_600_000), "PT1H");
    assert.equal(timedeltaIsoDuration(180_250), "PT3M0.25S");
    assert.equal(timedeltaIsoDuration(86_400_000), "P1D");
    assert.equal(timedeltaIsoDuration(90_061_001), "P1DT1H1M1.001S");
    assert.equal(timedeltaIsoDuration(0), "P0D");
    for (const ms of [500, 5000, 90_000, 180_250, 90_061_001]) assert.equal(isoDurationToSeconds(timedeltaIsoDuration(ms)), ms / 1000);
  });
});
