import assert from "node:assert/strict";
import { ArmError } from "../../../local/azure/arm/armErrors";
import { checkTraffic, pickByWeight } from "../../../local/azure/services/machinelearning/online/trafficRules";

function refusal(action: () => unknown): ArmError {
  try {
    action();
  } catch (error) {
    if (error instanceof ArmError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("local Azure: online endpoint traffic rules", () => {
  const deployments = ["blue", "Green"];

  it("takes whole percentages summing to 100, or to 0, naming deployments as they spell themselves", () => {
    assert.deepEqual(checkTraffic({ blue: 90, green: 10 }, deployments, "ep"), { blue: 90, Green: 10 });
    assert.deepEqual(checkTraffic({ blue: 0, Green: 0 }, deployments, "ep"), { blue: 0, Green: 0 });
    assert.deepEqual(checkTraffic(null, deployments, "ep"), {});
    assert.deepEqual(checkTraffic(undefined, deployments, "ep"), {});
  });

  it("refuses a total other than 0 or 100", () => {
    const error = refusal(() => checkTraffic({ blue: 60, green: 30 }, deployments, "ep"));
    assert.equal(error.status, 400);
    assert.equal(error.code, "UserError");
    assert.match(error.message, /sum to 100 .* not 90/);
  });

  it("refuses a deployment the endpoint does not have", () => {
    const error = refusal(() => checkTraffic({ blue: 50, red: 50 }, deployments, "ep"));
    assert.match(error.message, /'red', which does not exist in endpoint 'ep'/);
  });

  it("refuses fractions, negatives and values over 100", () => {
    for (const value of [50.5, -10, 110, "50"]) {
      assert.match(refusal(() => checkTraffic({ blue: value as number }, deployments, "ep")).message, /whole percentages/);
    }
  });

  it("picks by weight, never a deployment at 0 %, and none when nothing has weight", () => {
    const traffic = { blue: 0, green: 25, red: 75 };
    assert.equal(pickByWeight(traffic, 0), "green");
    assert.equal(pickByWeight(traffic, 0.2499), "green");
    assert.equal(pickByWeight(traffic, 0.25), "red");
    assert.equal(pickByWeight(traffic, 0.9999), "red");
    assert.equal(pickByWeight({ blue: 0 }, 0.5), undefined);
    assert.equal(pickByWeight({}, 0.5), undefined);
  });
});
