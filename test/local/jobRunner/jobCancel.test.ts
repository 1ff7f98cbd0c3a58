import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { JobRun } from "../../../local/azure/services/machinelearning/jobRunner/jobRun";
import { JobRunner } from "../../../local/azure/services/machinelearning/jobRunner/jobRunner";
import { firstLogLine, groupMembers, isAlive, recordStatuses, temporaryFolder, trainingFixtures } from "./jobTestSupport";

/** Starts slow.py with a child `sleep`; resolves once the child exists, with its pid and the job's process group. */
async function startTree(runner: JobRunner, name: string, timeoutSeconds?: number): Promise<{ run: JobRun; childPid: number; group: number }> {
  const run = runner.submit(
    { name, command: "python slow.py --child --pid_file child.pid --seconds 120", timeoutSeconds },
    { prepare: () => Promise.resolve({ code: trainingFixtures }) },
  );
  const started = await firstLogLine(run, /^started child \d+$/);
  const childPid = Number(/\d+$/.exec(started)![0]);
  const group = run.pid!;
  assert.equal(fs.readFileSync(path.join(run.snapshot().workspace!.code, "child.pid"), "utf8"), String(childPid));
  assert.ok(isAlive(childPid) && groupMembers(group).includes(childPid), "the child sleep runs before the job is stopped");
  return { run, childPid, group };
}

describe("local Azure job engine: cancel, timeout and stop end the whole process tree", function () {
  let workDir: string;
  let runner: JobRunner;

  beforeEach(() => {
    workDir = temporaryFolder("jobs");
    runner = new JobRunner({ workDir, killGraceMs: 2000 });
  });

  afterEach(async () => {
    await runner.stopAll();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("cancel moves through CancelRequested to Canceled and kills the script and its child", async () => {
    const { run, childPid, group } = await startTree(runner, "cancel_1");
    const statuses = recordStatuses(run);
    assert.equal(runner.cancel("cancel_1"), true);
    const result = await run.wait();
    assert.equal(result.status, "Canceled");
    assert.deepEqual(statuses, ["Running", "CancelRequested", "Canceled"]);
    assert.equal(result.error, undefined);
    assert.ok(result.endTime);
    assert.equal(isAlive(childPid), false, "the child sleep is gone");
    assert.deepEqual(groupMembers(group), []);
    assert.equal(runner.cancel("cancel_1"), false, "an ended job cannot be canceled again");
  });

  it("a job that outlasts limits.timeout is canceled with the timeout named, its tree gone and its logs handed over", async () => {
    let finalizedLogs = false;
    const run = runner.submit(
      { name: "timeout_1", command: "python slow.py --child --pid_file child.pid --seconds 120", timeoutSeconds: 1 },
      {
        prepare: () => Promise.resolve({ code: trainingFixtures }),
        finalize: (request) => {
          finalizedLogs = request.artifacts.some((file) => file.artifactPath === "user_logs/std_log.txt");
          return Promise.resolve();
        },
      },
    );
    const childPid = Number(/\d+$/.exec(await firstLogLine(run, /^started child \d+$/))![0]);
    const group = run.pid!;
    const result = await run.wait();
    assert.equal(result.status, "Canceled");
    assert.deepEqual(result.error, { code: "UserError", message: "The job ran longer than its limits.timeout of 1 second and was canceled." });
    assert.equal(isAlive(childPid), false);
    assert.deepEqual(groupMembers(group), []);
    assert.equal(finalizedLogs, true);
    assert.doesNotMatch(fs.readFileSync(result.workspace!.stdLog, "utf8"), /slow script finished/);
  });

  it("a script that ignores SIGTERM is killed after the grace period", async () => {
    const run = runner.submit({ name: "stubborn", command: `trap '' TERM; echo ready; while true; do sleep 0.1; done` });
    await firstLogLine(run, /^ready$/);
    const group = run.pid!;
    run.cancel();
    assert.equal((await run.wait()).status, "Canceled");
    assert.deepEqual(groupMembers(group), []);
  });

  it("a process the command leaves behind in the background does not outlive a completed job", async () => {
    const run = runner.submit({ name: "leftover", command: "sleep 300 & echo $! > leftover.pid; echo done" });
    const result = await run.wait();
    assert.equal(result.status, "Completed");
    const leftover = Number(fs.readFileSync(path.join(result.workspace!.code, "leftover.pid"), "utf8"));
    assert.equal(isAlive(leftover), false);
  });

  it("cancel while Preparing ends the job Canceled at once, without waiting for the download, and never runs its command", async () => {
    let release: () => void = () => undefined;
    let downloaded = false;
    const run = runner.submit(
      { name: "cancel_prep", command: "touch ran" },
      {
        prepare: () =>
          new Promise((resolve) => {
            release = () => {
              downloaded = true;
              resolve({});
            };
          }),
      },
    );
    await new Promise<void>((resolve) => run.on("status", (event) => event.status === "Preparing" && resolve()));
    const statuses = recordStatuses(run);
    assert.equal(run.cancel(), true);
    const result = await run.wait();
    assert.equal(downloaded, false);
    assert.equal(result.status, "Canceled");
    assert.deepEqual(statuses, ["Preparing", "CancelRequested", "Canceled"]);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(run.status, "Canceled");
    assert.equal(run.pid, undefined);
    assert.equal(fs.existsSync(path.join(result.workspace!.code, "ran")), false);
  });

  it("stopAll cancels every running job and returns only when no process of theirs is left", async () => {
    const first = await startTree(runner, "stop_1");
    const second = await startTree(runner, "stop_2");
    await runner.stopAll();
    for (const { run, childPid, group } of [first, second]) {
      assert.equal(run.status, "Canceled");
      assert.equal(isAlive(childPid), false);
      assert.deepEqual(groupMembers(group), []);
    }
  });
});
