import { AzureMLFailure } from "../../../common/src/errors/azureMLFailure";
import type { JobEvent, JobGateway, JobState } from "../../../common/src/jobs/jobGateway";
import { pipelineLogLine } from "../../../common/src/log/pipelineLogLine";

/*
 * Waiting for a job: its log lines go to the pipeline log as the gateway reads them (not in a
 * collapsed group, which the web view shows only once it is closed), its status changes as one
 * line each. The wait ends when the job ends, when the task's own timeout passes, or when the
 * agent stops the task (SIGINT, then SIGTERM, when the pipeline is cancelled or the step times
 * out). In the last two cases the Azure ML job is cancelled at once, without waiting for a poll
 * in flight to return: the agent gives a cancelled task only a few seconds.
 */

/** Where the agent's stop signals come from: the process while the task runs, a fake in tests. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface WaitOptions {
  /** The task's own limit; 0 = none. */
  timeoutMinutes: number;
  /** At that limit, cancel the job (true) or leave it running (false). A stop signal always cancels. */
  cancelOnTimeout: boolean;
  /** One line of the pipeline log. */
  log: (line: string) => void;
  /** A warning (the job's own warnings, a cancel that failed). */
  warn: (message: string) => void;
  signals?: SignalSource;
  /** In place of setTimeout for the task's timeout (tests). */
  startTimer?: (onTimeout: () => void, ms: number) => () => void;
}

export type WaitResult =
  /** The job ended; `state` is its last state as read after the end (with its error when it failed). */
  | { outcome: "ended"; state: JobState }
  /** The task's timeout passed. */
  | { outcome: "timedOut"; status: string; canceled: boolean; cancelError?: string }
  /** The agent stopped the task. */
  | { outcome: "interrupted"; signal: NodeJS.Signals; status: string; canceled: boolean; cancelError?: string };

/** The job's timeout, or the pipeline's cancel, ended the task: the sentence says what became of the job. */
export class JobWaitStopped extends Error {
  override readonly name = "JobWaitStopped";
}

const stopSignals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

function defaultTimer(onTimeout: () => void, ms: number): () => void {
  const timer = setTimeout(onTimeout, ms);
  return () => clearTimeout(timer);
}

function describeEvent(name: string, event: JobEvent, options: WaitOptions): string | undefined {
  switch (event.type) {
    case "status":
      return `Job '${name}' is ${event.status}.`;
    case "logFile":
      return `Streaming ${event.file}`;
    case "line":
      return pipelineLogLine(event.text);
    case "warning":
      options.warn(event.message);
      return undefined;
  }
}

/** Follows the job to its end, or until the timeout or a stop signal (see above). */
export async function waitForJob(gateway: JobGateway, name: string, options: WaitOptions): Promise<WaitResult> {
  const signals = options.signals ?? process;
  const controller = new AbortController();
  let stop: { reason: "timeout" } | { reason: "signal"; signal: NodeJS.Signals } | undefined;
  let cancelling: Promise<string | undefined> | undefined;
  let status = "NotStarted";

  const cancelJob = async (): Promise<string | undefined> => {
    try {
      await gateway.cancel(name);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
  const requestStop = (why: NonNullable<typeof stop>): void => {
    if (stop !== undefined) return;
    stop = why;
    if (why.reason === "signal" || options.cancelOnTimeout) cancelling = cancelJob();
    controller.abort();
  };
  const listeners = stopSignals.map((signal) => [signal, () => requestStop({ reason: "signal", signal })] as const);
  for (const [signal, listener] of listeners) signals.on(signal, listener);
  const stopTimer =
    options.timeoutMinutes > 0
      ? (options.startTimer ?? defaultTimer)(() => requestStop({ reason: "timeout" }), options.timeoutMinutes * 60_000)
      : () => undefined;
  const stopped = new Promise<undefined>((resolve) => controller.signal.addEventListener("abort", () => resolve(undefined), { once: true }));

  const iterator = gateway.follow(name, { signal: controller.signal })[Symbol.asyncIterator]();
  try {
    for (;;) {
      const pending = iterator.next();
      // Once stopped, a poll still in flight may fail: nobody waits for it any more.
      pending.catch(() => undefined);
      const next = await Promise.race([pending, stopped]);
      if (next === undefined || next.done === true) break;
      if (next.value.type === "status") status = next.value.status;
      const line = describeEvent(name, next.value, options);
      if (line !== undefined) options.log(line);
    }
  } finally {
    for (const [signal, listener] of listeners) signals.off(signal, listener);
    stopTimer();
    if (stop !== undefined) void iterator.return?.(undefined).catch(() => undefined);
  }

  if (stop === undefined) {
    const state = (await gateway.get(name)) ?? { name, status, outputs: {} };
    return { outcome: "ended", state };
  }
  const cancelError = cancelling === undefined ? undefined : await cancelling;
  const canceled = cancelling !== undefined && cancelError === undefined;
  if (stop.reason === "timeout") return { outcome: "timedOut", status, canceled, cancelError };
  return { outcome: "interrupted", signal: stop.signal, status, canceled, cancelError };
}

/**
 * The task's verdict on a wait: nothing for a completed job, else the one sentence it fails with
 * (the job's own error for a failed job).
 */
export function waitFailure(name: string, result: WaitResult, timeoutMinutes: number): Error | undefined {
  const job = `job '${name}'`;
  const fate = (canceled: boolean, cancelError: string | undefined, leftRunning: string): string =>
    canceled ? `${job} was canceled` : cancelError !== undefined ? `cancelling ${job} failed: ${cancelError}` : leftRunning;
  switch (result.outcome) {
    case "ended": {
      const { status, error } = result.state;
      if (status === "Completed") return undefined;
      if (status === "Failed") return new AzureMLFailure(`Job '${name}'`, "failed", error);
      if (status === "Canceled") return new AzureMLFailure(`Job '${name}'`, "was canceled before it ended", error);
      return new AzureMLFailure(`Job '${name}'`, `ended as ${status}`, error);
    }
    case "timedOut":
      return new JobWaitStopped(
        `The task timed out after ${timeoutMinutes} min (input 'timeoutMinutes'); ${fate(result.canceled, result.cancelError, `${job} was left running (input 'cancelOnTimeout' is false)`)}.`,
      );
    case "interrupted":
      return new JobWaitStopped(`The task was stopped (${result.signal}); ${fate(result.canceled, result.cancelError, `${job} may still run`)}.`);
  }
}
