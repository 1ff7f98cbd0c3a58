import * as assert from "node:assert/strict";
import type { OperationStatus, ProvisioningOperation } from "../../../tasks/AzureMLDeploy/src/online/onlineEndpointGateway";
import { pollDelayMs, waitForOperation, type WaitClock } from "../../../tasks/AzureMLDeploy/src/online/provisioningWait";

/** Time that passes only when the wait sleeps. */
class FakeClock implements WaitClock {
  time = 0;
  readonly sleeps: number[] = [];
  now(): number {
    return this.time;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += ms;
    return Promise.resolve();
  }
}

/** An operation that answers the statuses given, one per poll, the last one for ever. */
function scripted(statuses: OperationStatus[]): ProvisioningOperation & { polls: number } {
  return {
    polls: 0,
    poll() {
      const status = statuses[Math.min(this.polls, statuses.length - 1)];
      this.polls += 1;
      return Promise.resolve(status);
    },
  };
}

describe("AzureMLDeploy: waiting for a provisioning operation", () => {
  let clock: FakeClock;
  let lines: string[];
  beforeEach(() => {
    clock = new FakeClock();
    lines = [];
  });

  function states(...values: Array<string | undefined>): () => Promise<string | undefined> {
    let read = 0;
    return () => Promise.resolve(values[Math.min(read++, values.length - 1)]);
  }

  it("ends when Azure says the operation succeeded, printing each state once when it changes", async () => {
    const operation = scripted([{ done: false }, { done: false }, { done: false }, { done: true }]);
    const outcome = await waitForOperation(operation, {
      what: "Deployment 'blue'",
      readState: states("Creating", "Creating", "Updating", "Succeeded"),
      timeoutMs: 600_000,
      log: (line) => lines.push(line),
      clock,
    });
    assert.deepEqual(outcome, { outcome: "succeeded", state: "Succeeded" });
    assert.deepEqual(lines, ["Deployment 'blue' is Creating.", "Deployment 'blue' is Updating.", "Deployment 'blue' is Succeeded."]);
    assert.equal(operation.polls, 4);
  });

  it("waits as long as Azure says, else 2, 4, 8, then 15 seconds between polls", async () => {
    const operation = scripted([{ done: false }, { done: false, retryAfterMs: 500 }, { done: false }, { done: false }, { done: false }, { done: true }]);
    await waitForOperation(operation, { what: "x", readState: states("Creating"), timeoutMs: 600_000, log: () => undefined, clock });
    assert.deepEqual(clock.sleeps, [2000, 500, 8000, 15000, 15000]);
    assert.deepEqual([0, 1, 2, 3, 10].map(pollDelayMs), [2000, 4000, 8000, 15000, 15000]);
  });

  it("gives Azure's error for a failed operation", async () => {
    const operation = scripted([{ done: false }, { done: true, failed: { code: "ResourceNotReady", message: "User container has crashed." } }]);
    const outcome = await waitForOperation(operation, { what: "x", readState: states("Creating", "Failed"), timeoutMs: 600_000, log: () => undefined, clock });
    assert.deepEqual(outcome, { outcome: "failed", error: { code: "ResourceNotReady", message: "User container has crashed." }, state: "Failed" });
  });

  it("stops at the timeout with the last state, never sleeping past it", async () => {
    const operation = scripted([{ done: false }]);
    const outcome = await waitForOperation(operation, { what: "x", readState: states("Creating"), timeoutMs: 60_000, log: () => undefined, clock });
    assert.deepEqual(outcome, { outcome: "timedOut", state: "Creating" });
    assert.equal(clock.time, 60_000);
    assert.deepEqual(clock.sleeps, [2000, 4000, 8000, 15000, 15000, 15000, 1000]);
  });

  it("reads a deleted resource as gone, without printing a state", async () => {
    const operation = scripted([{ done: false }, { done: true }]);
    const outcome = await waitForOperation(operation, {
      what: "x",
      readState: states("Deleting", undefined),
      timeoutMs: 60_000,
      log: (line) => lines.push(line),
      clock,
    });
    assert.deepEqual(outcome, { outcome: "succeeded" });
    assert.deepEqual(lines, ["x is Deleting."]);
  });
});
