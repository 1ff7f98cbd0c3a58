import * as assert from "node:assert/strict";
import { newestFirst, pickChampion } from "../../../tasks/AzureMLRegisterModel/src/gate/champion";
import { recordedMetric, recordedMetricEntries } from "../../../tasks/AzureMLRegisterModel/src/gate/recordedMetric";
import { version } from "./gateFixtures";

const tag = (name: string, value?: string) => (value === undefined ? { name, source: "input 'championTag'" } : { name, value, source: "input 'championTag'" });

describe("champion", () => {
  it("is the newest-created version, not the highest number", () => {
    const choice = pickChampion([version("1", 1), version("10", 2), version("9", 5)], undefined);
    assert.equal(choice.champion?.version.version, "9");
    assert.equal(choice.champion?.chosenAs, "the newest version");
  });

  it("breaks equal or missing creation times by version, numbers as numbers", () => {
    const same = new Date(Date.UTC(2026, 10, 3));
    assert.deepEqual(
      newestFirst([version("9", 3, { createdAt: same }), version("10", 3, { createdAt: same }), { version: "11", tags: {}, properties: {} }]).map(
        (v) => v.version,
      ),
      ["10", "9", "11"],
    );
    assert.deepEqual(
      newestFirst([
        { version: "2", tags: {}, properties: {} },
        { version: "12", tags: {}, properties: {} },
      ]).map((v) => v.version),
      ["12", "2"],
    );
  });

  it("leaves archived versions out", () => {
    const choice = pickChampion([version("1", 1), version("2", 9, { isArchived: true })], undefined);
    assert.equal(choice.champion?.version.version, "1");
    const none = pickChampion([version("2", 9, { isArchived: true })], undefined);
    assert.equal(none.champion, undefined);
    assert.match(none.champion ? "" : none.why, /no version yet \(1 archived version left out\)/);
  });

  it("is none for the first model", () => {
    const choice = pickChampion([], undefined);
    assert.ok(!choice.champion);
    assert.equal(choice.why, "the model has no version yet");
  });

  it("is the version carrying the tag, with or without a value, even when newer ones exist", () => {
    const versions = [version("1", 1, { tags: { champion: "true" } }), version("2", 2, { tags: { champion: "false" } }), version("3", 3)];
    assert.equal(pickChampion(versions, tag("champion", "true")).champion?.version.version, "1");
    assert.equal(pickChampion(versions, tag("champion")).champion?.version.version, "2");
    assert.equal(pickChampion(versions, tag("champion", "true")).champion?.chosenAs, "the newest version carrying tag 'champion=true'");
  });

  it("compares tag names exactly", () => {
    const choice = pickChampion([version("1", 1, { tags: { Champion: "true" } })], tag("champion", "true"));
    assert.ok(!choice.champion);
    assert.equal(choice.why, "none of its 1 version carries tag 'champion=true'");
  });

  it("is the newest of several tagged versions, and says there were several", () => {
    const versions = [
      version("4", 4, { tags: { stage: "prod" } }),
      version("7", 7, { tags: { stage: "prod" } }),
      version("5", 5, { tags: { stage: "prod" } }),
      version("8", 8),
    ];
    const choice = pickChampion(versions, tag("stage", "prod"));
    assert.equal(choice.champion?.version.version, "7");
    assert.deepEqual(choice.champion?.notices, ["3 versions carry tag 'stage=prod' (7, 5, 4); the newest, version 7, is the champion."]);
  });

  it("is none when no version carries the tag", () => {
    const choice = pickChampion([version("1", 1), version("2", 2)], tag("champion"));
    assert.ok(!choice.champion);
    assert.equal(choice.why, "none of its 2 versions carries tag 'champion'");
  });

  it("does not take an inherited member for a tag", () => {
    assert.ok(!pickChampion([version("1", 1)], tag("constructor")).champion);
  });
});

describe("recorded metric", () => {
  it("writes the same value as property and tag", () => {
    assert.deepEqual(recordedMetricEntries("eval.rmse", 0.25), { tags: { "metric.eval.rmse": "0.25" }, properties: { "metric.eval.rmse": "0.25" } });
  });

  it("round-trips every finite number exactly", () => {
    for (const value of [0.1 + 0.2, -1e-300, 123456789.12345679, 5e-324, Number.MAX_VALUE]) {
      const entries = recordedMetricEntries("rmse", value);
      const read = recordedMetric({ version: "1", ...entries }, "rmse");
      assert.ok(read.found);
      assert.equal(read.value, value);
    }
  });

  it("reads the property first, then the tag, and notes a tag that disagrees", () => {
    assert.deepEqual(recordedMetric(version("1", 1, { tags: { "metric.rmse": "0.5" } }), "rmse"), { found: true, value: 0.5, from: "tag" });
    const both = recordedMetric(version("1", 1, { tags: { "metric.rmse": "0.5" }, properties: { "metric.rmse": "0.7" } }), "rmse");
    assert.ok(both.found);
    assert.equal(both.value, 0.7);
    assert.equal(both.from, "property");
    assert.match(both.note ?? "", /tag 'metric\.rmse' says 0\.5, but the property recorded at registration, 0\.7, is used/);
  });

  it("finds nothing when the version carries no value, or one that is not a finite number", () => {
    assert.deepEqual(recordedMetric(version("1", 1), "rmse"), { found: false, why: "it carries no 'metric.rmse' property or tag" });
    for (const text of ["abc", "NaN", "Infinity", "", " ", "0x10", "1,5", "1e400"]) {
      const read = recordedMetric(version("1", 1, { tags: { "metric.rmse": text } }), "rmse");
      assert.equal(read.found, false, text);
    }
    assert.deepEqual(recordedMetric(version("1", 1, { properties: { "metric.rmse": "n/a" } }), "rmse"), {
      found: false,
      why: "its 'metric.rmse' is not a number",
    });
  });
});
