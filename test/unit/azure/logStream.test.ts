import * as assert from "node:assert/strict";
import { isActiveJobStatus, logFilesToStream, LogTail, pollingDelayMs } from "../../../tasks/common/src/jobs/logStream";

describe("following a job's logs", () => {
  describe("logFilesToStream", () => {
    it("picks the user's rank-0 log files, sorted", () => {
      const names = [
        "user_logs/std_log_process_1.txt",
        "system_logs/lifecycler/execution-wrapper.txt",
        "user_logs/std_log_process_0.txt",
        "user_logs/std_log.txt",
      ];
      assert.deepEqual(logFilesToStream(names), ["user_logs/std_log.txt", "user_logs/std_log_process_0.txt"]);
    });

    it("falls back on the logs of the job's type when the user's are absent", () => {
      const names = ["azureml-logs/70_driver_log.txt", "azureml-logs/hyperdrive.txt", "logs/azureml/executionlogs.txt"];
      assert.deepEqual(logFilesToStream(names, "Command"), ["azureml-logs/70_driver_log.txt"]);
      assert.deepEqual(logFilesToStream(names, "Sweep"), ["azureml-logs/hyperdrive.txt"]);
      assert.deepEqual(logFilesToStream(names, "Pipeline"), ["logs/azureml/executionlogs.txt"]);
      assert.deepEqual(logFilesToStream(names, "AutoML"), []);
    });
  });

  describe("pollingDelayMs", () => {
    it("waits 2 s at first, then longer, never more than 10 s", () => {
      assert.equal(pollingDelayMs(0), 2000);
      assert.equal(pollingDelayMs(30_000), 2000);
      assert.equal(pollingDelayMs(40_000), 4000);
      assert.equal(pollingDelayMs(60_000), 10_000);
      assert.equal(pollingDelayMs(3_600_000), 10_000);
    });

    it("takes other bounds", () => {
      assert.equal(pollingDelayMs(0, { minMs: 10 }), 10);
      assert.equal(pollingDelayMs(3_600_000, { maxMs: 30_000 }), 30_000);
    });
  });

  describe("LogTail", () => {
    it("gives only lines not given before, holds back a line still being written, and gives it at the end", () => {
      const tail = new LogTail();
      assert.equal(tail.has("f"), false);
      assert.deepEqual(tail.newLines("f", "", false), []);
      assert.deepEqual(tail.newLines("f", "a\nb", false), ["a"]);
      assert.equal(tail.has("f"), true);
      assert.deepEqual(tail.newLines("f", "a\nb", false), []);
      assert.deepEqual(tail.newLines("f", "a\nbc\r\nd\n", false), ["bc", "d"]);
      assert.deepEqual(tail.newLines("f", "a\nbc\r\nd\ne", true), ["e"]);
      assert.deepEqual(tail.newLines("g", "x\n", true), ["x"], "each file on its own");
    });
  });

  it("keeps following every status a job may still leave, and stops on the others", () => {
    for (const status of ["NotStarted", "Queued", "Preparing", "Provisioning", "Starting", "Running", "Finalizing", "CancelRequested", undefined]) {
      assert.equal(isActiveJobStatus(status), true, String(status));
    }
    for (const status of ["Completed", "Failed", "Canceled", "NotResponding", "Paused", "Unknown"]) {
      assert.equal(isActiveJobStatus(status), false, status);
    }
  });
});
