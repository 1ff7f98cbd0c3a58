import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { runFixture, step } from "./pipelineTestSupport";

/** Whether the process still runs: a zombie (killed, not yet reaped by its new parent) does not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, "utf8") : "";
  return !/^\d+ \(.*\) Z/.test(stat);
}

describe("pipeline runner: canceling a run", () => {
  it("stops the running step and what it started, skips the next steps but runs always() ones", async () => {
    const cancel = new AbortController();
    let background: number | undefined;
    const run = await runFixture("cancel.yml", {
      signal: cancel.signal,
      write: (line) => {
        const match = /^background (\d+)$/.exec(line);
        if (match) background = Number(match[1]);
        if (line === "started") cancel.abort();
      },
    });
    assert.equal(run.summary.result, "Canceled", run.output);
    assert.equal(step(run.summary, "__default", "Job", "Bash").result, "Canceled");
    assert.equal(step(run.summary, "__default", "Job", "CmdLine").result, "Skipped");
    assert.equal(step(run.summary, "__default", "Job", "CmdLine2").result, "Succeeded");
    assert.ok(background !== undefined, run.output);
    // SIGKILL was sent when the job ended; the kernel may take a moment to carry it out.
    const pid = background;
    for (let waited = 0; alive(pid) && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(alive(pid), false, "the step's background process is gone");
  });
});
