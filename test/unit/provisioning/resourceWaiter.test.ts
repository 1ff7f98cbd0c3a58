import * as assert from "node:assert/strict";
import { busyConflictCode, readinessOf } from "../../../tasks/AzureMLWorkspace/src/provisioning/provisioningStates";
import { ResourceWaiter, WaitPolicy } from "../../../tasks/AzureMLWorkspace/src/provisioning/resourceWaiter";
import { AzureOperationError } from "../../../tasks/common/src/errors/azureError";

/** A clock that moves only when the waiter sleeps, so bounds are tested without waiting. */
function fakeClock(maxWaitSeconds: number): WaitPolicy & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    maxWaitSeconds,
    pollSeconds: (read) => Math.min(15, 2 ** read),
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
    now: () => now,
    slept,
  };
}

function busyError(code = "AnotherOperationInProgress", message = "Another operation on this or dependent resource is in progress."): Error {
  return Object.assign(new Error(message), { statusCode: 409, code });
}

describe("Provisioning states and waiting for another operation", () => {
  it("sorts ARM's provisioning states into ready, broken and busy", () => {
    for (const state of [undefined, "", "Succeeded", "succeeded"]) assert.equal(readinessOf(state), "ready", String(state));
    for (const state of ["Failed", "Canceled", "Cancelled"]) assert.equal(readinessOf(state), "broken", state);
    for (const state of ["Creating", "Updating", "Accepted", "Provisioning", "Deleting", "ResolvingDNS", "RegisteringDns", "ProvisioningAccount"]) {
      assert.equal(readinessOf(state), "busy", state);
    }
  });

  it("knows a conflict with a running operation from other conflicts, also inside our own errors", () => {
    assert.equal(busyConflictCode(busyError()), "AnotherOperationInProgress");
    assert.equal(busyConflictCode(new AzureOperationError("Creating x", busyError())), "AnotherOperationInProgress");
    assert.equal(
      busyConflictCode(busyError("Conflict", "Conflict of operation, another operation on same entity is already running in workspace ws.")),
      "Conflict",
    );
    assert.equal(busyConflictCode(busyError("InvalidResourceLocation", "The resource 'x' already exists in location 'eastus'.")), undefined);
    assert.equal(
      busyConflictCode(Object.assign(new Error("Another operation is in progress."), { statusCode: 400, code: "AnotherOperationInProgress" })),
      undefined,
    );
    assert.equal(busyConflictCode("409"), undefined);
  });

  it("reads a busy resource until its operation ends, and logs that it waits", async () => {
    const lines: string[] = [];
    const waiter = new ResourceWaiter((line) => lines.push(line), fakeClock(600));
    const states = ["Creating", "ResolvingDNS", "Succeeded"];
    const settled = await waiter.untilSettled("Storage account 'sa1'", { provisioningState: "Creating" }, () =>
      Promise.resolve({ provisioningState: states.shift() }),
    );
    assert.deepEqual(settled, { provisioningState: "Succeeded" });
    assert.deepEqual(lines, [
      "Storage account 'sa1' is Creating; waiting up to 10 min for that operation to finish.",
      "Storage account 'sa1' is now Succeeded.",
    ]);
  });

  it("does not read again what is settled or absent", async () => {
    const waiter = new ResourceWaiter(() => undefined, fakeClock(600));
    const read = () => Promise.reject(new Error("must not read"));
    assert.deepEqual(await waiter.untilSettled("x", { provisioningState: "Failed" }, read), { provisioningState: "Failed" });
    assert.equal(await waiter.untilSettled("x", undefined, read), undefined);
  });

  it("gives up after its bound with one sentence naming the resource and its state", async () => {
    const clock = fakeClock(60);
    const waiter = new ResourceWaiter(() => undefined, clock);
    await assert.rejects(
      waiter.untilSettled("Container registry 'cr1'", { provisioningState: "Creating" }, () => Promise.resolve({ provisioningState: "Updating" })),
      {
        message:
          "Container registry 'cr1' is still Updating after 1 min; wait for its operation to finish (Azure portal, activity log), then run the task again.",
      },
    );
    assert.equal(
      clock.slept.reduce((sum, ms) => sum + ms, 0),
      60_000,
      "waits exactly its bound, no more",
    );
  });

  it("retries a change refused because another operation runs, once that operation ends", async () => {
    const lines: string[] = [];
    const waiter = new ResourceWaiter((line) => lines.push(line), fakeClock(600));
    let attempts = 0;
    const result = await waiter.retryingBusy(
      "Azure ML workspace 'ws'",
      () => (++attempts < 3 ? Promise.reject(busyError()) : Promise.resolve("done")),
      () => Promise.resolve({ provisioningState: "Succeeded" }),
    );
    assert.equal(result, "done");
    assert.equal(attempts, 3);
    assert.equal(lines.filter((line) => line.includes("is busy with another operation (AnotherOperationInProgress)")).length, 2);
  });

  it("stops retrying at its bound and rethrows Azure's refusal", async () => {
    const waiter = new ResourceWaiter(() => undefined, fakeClock(30));
    let attempts = 0;
    await assert.rejects(
      waiter.retryingBusy(
        "x",
        () => (attempts++, Promise.reject(busyError())),
        () => Promise.resolve(undefined),
      ),
      { code: "AnotherOperationInProgress" },
    );
    assert.ok(attempts > 1 && attempts < 10, `attempts: ${attempts}`);
  });

  it("does not retry other failures", async () => {
    const waiter = new ResourceWaiter(() => undefined, fakeClock(600));
    let attempts = 0;
    await assert.rejects(
      waiter.retryingBusy(
        "x",
        () => (attempts++, Promise.reject(Object.assign(new Error("no"), { statusCode: 500 }))),
        () => Promise.resolve(undefined),
      ),
    );
    assert.equal(attempts, 1);
  });
});
