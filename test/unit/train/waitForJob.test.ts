import * as assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import type { FollowOptions, JobEvent, JobGateway, JobState } from "../../../tasks/common/src/jobs/jobGateway";
import { pipelineLogLine } from "../../../tasks/common/src/log/pipelineLogLine";
import { waitFailure, waitForJob, type WaitOptions } from "../../../tasks/AzureMLTrain/src/waiting/waitForJob";

/** A job gateway whose job follows a script of events, then either ends or hangs until the wait is stopped. */
class ScriptedGateway implements JobGateway {
  readonly cancels: string[] = [];
  cancelError: Error | undefined;
  followSignal: AbortSignal | undefined;

  constructor(
    private readonly events: JobEvent[],
    private readonly final: JobState | undefined,
    private readonly hang = false,
  ) {}

  submit(): Promise<JobState> {
    return Promise.reject(new Error("not used"));
  }

  get(): Promise<JobState | undefined> {
    return Promise.resolve(this.final);
  }

  async *follow(_name: string, options: FollowOptions = {}): AsyncGenerator<JobEvent> {
    this.followSignal = options.signal;
    for (const event of this.events) {
      await Promise.resolve();
      yield event;
    }
    if (this.hang) {
      // A poll in flight that fails once nobody waits for it any more.
      await new Promise((_resolve, reject) => setTimeout(() => reject(new Error("socket hang up")), 20));
    }
  }

  cancel(name: string): Promise<void> {
    this.cancels.push(name);
    return this.cancelError ? Promise.reject(this.cancelError) : Promise.resolve();
  }
}

function state(status: string, error?: JobState["error"]): JobState {
  return { name: "brave_lamp_1", status, outputs: {}, error };
}

describe("AzureMLTrain: waiting for a job", () => {
  let lines: string[];
  let warnings: string[];
  let signals: EventEmitter;
  let fireTimeout: (() => void) | undefined;
  let timerStopped: boolean;

  beforeEach(() => {
    lines = [];
    warnings = [];
    signals = new EventEmitter();
    fireTimeout = undefined;
    timerStopped = false;
  });

  function options(overrides: Partial<WaitOptions> = {}): WaitOptions {
    return {
      timeoutMinutes: 0,
      cancelOnTimeout: true,
      log: (line) => lines.push(line),
      warn: (message) => warnings.push(message),
      signals,
      startTimer: (onTimeout) => {
        fireTimeout = onTimeout;
        return () => (timerStopped = true);
      },
      ...overrides,
    };
  }

  it("prints status changes and log lines in the order they come, and ends with the job's last state", async () => {
    const gateway = new ScriptedGateway(
      [
        { type: "status", status: "Queued" },
        { type: "status", status: "Running" },
        { type: "logFile", file: "user_logs/std_log.txt" },
        { type: "line", file: "user_logs/std_log.txt", text: "epoch 1 loss 0.9" },
        { type: "line", file: "user_logs/std_log.txt", text: "epoch 2 loss 0.5" },
        { type: "status", status: "Completed" },
        { type: "warning", message: "a warning of the job" },
      ],
      state("Completed"),
    );
    const result = await waitForJob(gateway, "brave_lamp_1", options());
    assert.deepEqual(lines, [
      "Job 'brave_lamp_1' is Queued.",
      "Job 'brave_lamp_1' is Running.",
      "Streaming user_logs/std_log.txt",
      "epoch 1 loss 0.9",
      "epoch 2 loss 0.5",
      "Job 'brave_lamp_1' is Completed.",
    ]);
    assert.deepEqual(warnings, ["a warning of the job"]);
    assert.equal(result.outcome, "ended");
    assert.equal(waitFailure("brave_lamp_1", result, 0), undefined);
    assert.equal(signals.listenerCount("SIGINT") + signals.listenerCount("SIGTERM"), 0, "signal handlers left behind");
    assert.deepEqual(gateway.cancels, []);
  });

  it("keeps a job's log line from acting as a logging command", () => {
    assert.equal(pipelineLogLine("##vso[task.setvariable variable=x]1"), "#\u200B#vso[task.setvariable variable=x]1");
    assert.equal(pipelineLogLine("##[error]boom"), "#\u200B#[error]boom");
    assert.equal(pipelineLogLine("see ##vso[task.complete result=Succeeded] here"), "see #\u200B#vso[task.complete result=Succeeded] here");
    assert.equal(pipelineLogLine("accuracy ## 0.9 [final]"), "accuracy ## 0.9 [final]");
  });

  it("fails a failed job with the job's own error, in one sentence", async () => {
    const gateway = new ScriptedGateway(
      [{ type: "status", status: "Failed" }],
      state("Failed", { code: "UserError", message: "Execution failed. User process 'python' exited with status code 1." }),
    );
    const failure = waitFailure("brave_lamp_1", await waitForJob(gateway, "brave_lamp_1", options()), 0);
    assert.equal(failure?.name, "AzureMLFailure");
    assert.equal(failure?.message, "Job 'brave_lamp_1' failed: Execution failed. User process 'python' exited with status code 1. (UserError)");
  });

  it("fails a job canceled by someone else, saying so", async () => {
    const gateway = new ScriptedGateway([{ type: "status", status: "Canceled" }], state("Canceled"));
    const failure = waitFailure("brave_lamp_1", await waitForJob(gateway, "brave_lamp_1", options()), 0);
    assert.match(failure?.message ?? "", /^Job 'brave_lamp_1' was canceled before it ended/);
  });

  it("cancels the job when the task's timeout passes, without waiting for the poll in flight", async () => {
    const gateway = new ScriptedGateway([{ type: "status", status: "Running" }], state("Running"), true);
    const waiting = waitForJob(gateway, "brave_lamp_1", options({ timeoutMinutes: 5 }));
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(fireTimeout, "no timer was started");
    fireTimeout();
    const result = await waiting;
    assert.deepEqual(gateway.cancels, ["brave_lamp_1"]);
    assert.equal(gateway.followSignal?.aborted, true);
    assert.ok(timerStopped);
    assert.deepEqual(result, { outcome: "timedOut", status: "Running", canceled: true, cancelError: undefined });
    assert.equal(waitFailure("brave_lamp_1", result, 5)?.message, "The task timed out after 5 min (input 'timeoutMinutes'); job 'brave_lamp_1' was canceled.");
    // The poll that was in flight fails after the wait: nothing may escape as an unhandled rejection.
    await new Promise((resolve) => setTimeout(resolve, 40));
  });

  it("leaves the job running at the timeout when cancelOnTimeout is false", async () => {
    const gateway = new ScriptedGateway([{ type: "status", status: "Running" }], state("Running"), true);
    const waiting = waitForJob(gateway, "brave_lamp_1", options({ timeoutMinutes: 1, cancelOnTimeout: false }));
    await new Promise((resolve) => setImmediate(resolve));
    fireTimeout?.();
    const result = await waiting;
    assert.deepEqual(gateway.cancels, []);
    assert.equal(
      waitFailure("brave_lamp_1", result, 1)?.message,
      "The task timed out after 1 min (input 'timeoutMinutes'); job 'brave_lamp_1' was left running (input 'cancelOnTimeout' is false).",
    );
    await new Promise((resolve) => setTimeout(resolve, 40));
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`cancels the job when the agent sends ${signal} (pipeline cancelled), and removes its handlers`, async () => {
      const gateway = new ScriptedGateway([{ type: "status", status: "Running" }], state("Running"), true);
      const waiting = waitForJob(gateway, "brave_lamp_1", options());
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(signals.listenerCount(signal), 1, "no handler while waiting");
      signals.emit(signal);
      signals.emit(signal); // the agent may send both; the job is cancelled once
      const result = await waiting;
      assert.deepEqual(gateway.cancels, ["brave_lamp_1"]);
      assert.equal(result.outcome, "interrupted");
      assert.equal(waitFailure("brave_lamp_1", result, 0)?.message, `The task was stopped (${signal}); job 'brave_lamp_1' was canceled.`);
      assert.equal(signals.listenerCount("SIGINT") + signals.listenerCount("SIGTERM"), 0);
      await new Promise((resolve) => setTimeout(resolve, 40));
    });
  }

  it("says so when cancelling the job fails", async () => {
    const gateway = new ScriptedGateway([{ type: "status", status: "Running" }], state("Running"), true);
    gateway.cancelError = new Error("Cancelling job 'brave_lamp_1' failed: AuthorizationFailed (HTTP 403).");
    const waiting = waitForJob(gateway, "brave_lamp_1", options());
    await new Promise((resolve) => setImmediate(resolve));
    signals.emit("SIGTERM");
    const failure = waitFailure("brave_lamp_1", await waiting, 0);
    assert.match(failure?.message ?? "", /^The task was stopped \(SIGTERM\); cancelling job 'brave_lamp_1' failed: .*AuthorizationFailed/);
    await new Promise((resolve) => setTimeout(resolve, 40));
  });

  it("starts no timer when there is no timeout", async () => {
    const gateway = new ScriptedGateway([{ type: "status", status: "Completed" }], state("Completed"));
    await waitForJob(gateway, "brave_lamp_1", options({ timeoutMinutes: 0 }));
    assert.equal(fireTimeout, undefined);
  });
});
