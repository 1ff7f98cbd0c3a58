import * as assert from "node:assert/strict";
import {
  describeTraffic,
  planTraffic,
  retiredDeployments,
  sameTraffic,
  trafficSchedule,
  type Traffic,
} from "../../../tasks/AzureMLDeploy/src/online/trafficPlan";

function sum(traffic: Traffic): number {
  return Object.values(traffic).reduce((total, percent) => total + percent, 0);
}

describe("AzureMLDeploy: blue/green traffic arithmetic", () => {
  it("gives a first deployment all of the traffic", () => {
    assert.deepEqual(planTraffic({}, "blue", 100), { traffic: { blue: 100 } });
  });

  it("gives a first deployment all of the traffic even when asked for a share, and says why", () => {
    const plan = planTraffic({}, "blue", 30);
    assert.deepEqual(plan.traffic, { blue: 100 });
    assert.match(plan.note ?? "", /no other deployment takes traffic, so 'blue' takes all of it, not 30 %/);
  });

  it("leaves an endpoint without traffic alone at a share of 0", () => {
    assert.deepEqual(planTraffic({ blue: 0 }, "green", 0), { traffic: { blue: 0, green: 0 } });
  });

  it("moves everything from the one live deployment", () => {
    assert.deepEqual(planTraffic({ blue: 100 }, "green", 100).traffic, { blue: 0, green: 100 });
    assert.deepEqual(planTraffic({ blue: 100 }, "green", 10).traffic, { blue: 90, green: 10 });
  });

  it("splits the rest over the live deployments in proportion to their shares", () => {
    assert.deepEqual(planTraffic({ blue: 60, green: 40 }, "red", 50).traffic, { blue: 30, green: 20, red: 50 });
    assert.deepEqual(planTraffic({ blue: 75, green: 25, old: 0 }, "red", 20).traffic, { blue: 60, green: 20, old: 0, red: 20 });
  });

  it("keeps whole percents that sum to 100 by largest remainder", () => {
    // 90 × 34/100 = 30.6, 90 × 33/100 = 29.7 twice: floors 30 + 29 + 29 = 88, and the two points
    // left go to the largest remainders (.7, .7), not to the largest share.
    assert.deepEqual(planTraffic({ a: 34, b: 33, c: 33 }, "d", 10).traffic, { a: 30, b: 30, c: 30, d: 10 });
    for (const [before, share] of [
      [{ a: 1, b: 1, c: 98 }, 7],
      [{ a: 33, b: 33, c: 34 }, 1],
      [{ a: 50, b: 50 }, 33],
      [{ a: 97, b: 2, c: 1 }, 99],
    ] as Array<[Traffic, number]>) {
      const { traffic } = planTraffic(before, "new", share);
      assert.equal(sum(traffic), 100, JSON.stringify(traffic));
      assert.equal(traffic.new, share);
      assert.ok(
        Object.values(traffic).every((percent) => Number.isInteger(percent) && percent >= 0),
        JSON.stringify(traffic),
      );
    }
  });

  it("breaks equal remainders toward the larger share before, then by name", () => {
    assert.deepEqual(planTraffic({ a: 50, b: 50 }, "c", 1).traffic, { a: 50, b: 49, c: 1 });
    assert.deepEqual(planTraffic({ small: 25, large: 75 }, "c", 98).traffic, { small: 0, large: 2, c: 98 });
  });

  it("updates a deployment that already has a share against the others only", () => {
    assert.deepEqual(planTraffic({ blue: 80, green: 20 }, "green", 50).traffic, { blue: 50, green: 50 });
    assert.deepEqual(planTraffic({ green: 100 }, "green", 100).traffic, { green: 100 });
  });

  it("plans every step from the traffic before, then the final share", () => {
    const schedule = trafficSchedule({ blue: 60, green: 40 }, "red", [10, 50], 100).map((plan) => plan.traffic);
    assert.deepEqual(schedule, [
      { blue: 54, green: 36, red: 10 },
      { blue: 30, green: 20, red: 50 },
      { blue: 0, green: 0, red: 100 },
    ]);
  });

  it("refuses a share that is not a whole percent", () => {
    assert.throws(() => planTraffic({}, "a", 101), RangeError);
    assert.throws(() => planTraffic({}, "a", 2.5), RangeError);
  });

  it("retires the deployments that had traffic and have none, never the new one nor one never live", () => {
    assert.deepEqual(retiredDeployments({ blue: 50, green: 50, old: 0 }, { blue: 0, green: 0, old: 0, red: 100 }, "red"), ["blue", "green"]);
    assert.deepEqual(retiredDeployments({ blue: 100 }, { blue: 40, red: 60 }, "red"), []);
    assert.deepEqual(retiredDeployments({ red: 100 }, { red: 0 }, "red"), []);
  });

  it("compares and describes traffic", () => {
    assert.ok(sameTraffic({ blue: 100 }, { blue: 100, green: 0 }));
    assert.ok(!sameTraffic({ blue: 100 }, { green: 100 }));
    assert.equal(describeTraffic({ green: 10, blue: 90, old: 0 }), "blue 90 %, green 10 %");
    assert.equal(describeTraffic({ old: 0 }), "no traffic");
  });
});
