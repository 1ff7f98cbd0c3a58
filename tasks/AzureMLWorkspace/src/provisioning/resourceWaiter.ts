import { busyConflictCode, readinessOf } from "./provisioningStates";

/** How long and how often the task waits for an operation it did not start (another run's, a portal user's). */
export interface WaitPolicy {
  /** The longest one resource is waited for. */
  maxWaitSeconds: number;
  /** Seconds before the n-th read (n from 0). */
  pollSeconds(read: number): number;
  sleep(ms: number): Promise<void>;
  now(): number;
}

// A workspace or a registry takes a few minutes to create; ten is well past what Azure
// needs and short of a pipeline job's default timeout (60 min).
export const defaultWaitPolicy: WaitPolicy = {
  maxWaitSeconds: 600,
  pollSeconds: (read) => Math.min(15, 2 ** read),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};

interface WithState {
  provisioningState?: string;
}

function minutes(seconds: number): string {
  const value = Math.round((seconds / 60) * 10) / 10;
  return `${value} min`;
}

/**
 * Waits out operations that another run (or person) started on a resource, so the task
 * converges on what is there once Azure is done, instead of using a half-made resource or
 * failing on Azure's "another operation is in progress".
 */
export class ResourceWaiter {
  constructor(
    private readonly log: (line: string) => void,
    private readonly policy: WaitPolicy = defaultWaitPolicy,
  ) {}

  /**
   * `current` when its operation has ended (Succeeded, Failed, Canceled), else reads it again
   * until it has: the final state, or undefined when the operation was a deletion.
   * `what` names the resource: "Storage account 'sa1'".
   */
  async untilSettled<T extends WithState>(what: string, current: T | undefined, read: () => Promise<T | undefined>): Promise<T | undefined> {
    if (!current || readinessOf(current.provisioningState) !== "busy") return current;
    const { maxWaitSeconds } = this.policy;
    const started = this.policy.now();
    let state = current.provisioningState;
    this.log(`${what} is ${state}; waiting up to ${minutes(maxWaitSeconds)} for that operation to finish.`);
    for (let reads = 0; ; reads++) {
      const remainingMs = started + maxWaitSeconds * 1000 - this.policy.now();
      if (remainingMs <= 0) {
        throw new Error(
          `${what} is still ${state} after ${minutes(maxWaitSeconds)}; wait for its operation to finish (Azure portal, activity log), then run the task again.`,
        );
      }
      await this.policy.sleep(Math.min(this.policy.pollSeconds(reads) * 1000, remainingMs));
      const next = await read();
      if (!next) {
        this.log(`${what} is gone (it was ${state}).`);
        return undefined;
      }
      if (readinessOf(next.provisioningState) !== "busy") {
        this.log(`${what} is now ${next.provisioningState ?? "ready"}.`);
        return next;
      }
      state = next.provisioningState;
    }
  }

  /**
   * Runs a change; while Azure refuses it because another operation on the resource is running
   * (409 AnotherOperationInProgress), waits for that operation and tries again, within the
   * same bound as `untilSettled`.
   */
  async retryingBusy<T>(what: string, change: () => Promise<T>, read: () => Promise<WithState | undefined>): Promise<T> {
    const started = this.policy.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await change();
      } catch (error) {
        const code = busyConflictCode(error);
        if (!code || this.policy.now() - started >= this.policy.maxWaitSeconds * 1000) throw error;
        this.log(`${what} is busy with another operation (${code}); waiting for it, then trying again.`);
        // The other operation may be on a dependent resource, so this one can already look
        // settled: always give it one pause before trying again.
        await this.policy.sleep(this.policy.pollSeconds(attempt) * 1000);
        await this.untilSettled(what, await read(), read);
      }
    }
  }
}
