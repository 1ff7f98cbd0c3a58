import type { ServiceError } from "../../../common/src/errors/azureMLFailure";
import type { ProvisioningOperation } from "./onlineEndpointGateway";

/** Time as the wait sees it: real in the task, scripted in tests. */
export interface WaitClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: WaitClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type WaitOutcome =
  | { outcome: "succeeded"; state?: string }
  /** Azure ended the operation unsuccessfully; `error` is its error. */
  | { outcome: "failed"; error: ServiceError; state?: string }
  /** The task's timeout passed first; the operation may still be running. */
  | { outcome: "timedOut"; state?: string };

export interface WaitOptions {
  /** The resource as a sentence names it: "Deployment 'green' of endpoint 'churn'". */
  what: string;
  /** Its provisioning state now (undefined once it is gone), printed each time it changes. */
  readState: () => Promise<string | undefined>;
  timeoutMs: number;
  log: (line: string) => void;
  clock?: WaitClock;
}

/** Seconds between polls when Azure does not say: 2, 4, 8, then every 15 (a deployment takes minutes). */
export function pollDelayMs(poll: number): number {
  return Math.min(15_000, 2_000 * 2 ** poll);
}

/**
 * Follows a long-running operation to its end or to the timeout, asking Azure how it goes and
 * printing the resource's provisioning state whenever it changes.
 */
export async function waitForOperation(operation: ProvisioningOperation, options: WaitOptions): Promise<WaitOutcome> {
  const clock = options.clock ?? realClock;
  const started = clock.now();
  let state: string | undefined;
  for (let poll = 0; ; poll++) {
    const status = await operation.poll();
    const now = await options.readState();
    if (now !== undefined && now !== state) options.log(`${options.what} is ${now}.`);
    state = now;
    if (status.done) {
      if (status.failed) return { outcome: "failed", error: status.failed, ...(state ? { state } : {}) };
      return { outcome: "succeeded", ...(state ? { state } : {}) };
    }
    const elapsed = clock.now() - started;
    if (elapsed >= options.timeoutMs) return { outcome: "timedOut", ...(state ? { state } : {}) };
    await clock.sleep(Math.min(status.retryAfterMs ?? pollDelayMs(poll), options.timeoutMs - elapsed));
  }
}

/** The task's own timeout passed before Azure finished provisioning: the sentence says what was left. */
export class ProvisioningTimedOut extends Error {
  override readonly name = "ProvisioningTimedOut";
}

/** "30 min", "1 min" */
export function minutesText(minutes: number): string {
  return `${minutes} min`;
}
