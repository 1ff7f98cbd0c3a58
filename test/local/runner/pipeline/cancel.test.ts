import * as assert from "node:assert/strict";
import { runFixture, step } from "./pipelineTestSupport";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
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
    assert.equal(alive(background), false, "the step's background process is gone");
  });
});
