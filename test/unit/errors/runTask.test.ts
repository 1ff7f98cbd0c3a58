import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

// The compiled module, run in a child process: an escaped error ends that process.
const runTaskModule = join(__dirname, "..", "..", "..", "tasks", "common", "src", "errors", "runTask.js");
const token = "opaque-access-token-0123456789";

function runChild(body: string): { status: number | null; output: string } {
  const script = `const { runTask } = require(${JSON.stringify(runTaskModule)});\n${body}`;
  // A clean environment: task-lib reads agent variables, and the test must not depend on the caller's.
  const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" }, timeout: 30_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function assertFailedWithOneSentence(output: string, sentence: RegExp): void {
  const errors = output.split("\n").filter((line) => line.startsWith("##vso[task.issue type=error"));
  assert.equal(errors.length, 1, output);
  assert.match(errors[0], sentence);
  assert.match(output, /##vso\[task\.complete result=Failed/);
  assert.doesNotMatch(output, /^\s+at /m, "no stack outside the debug log");
  assert.ok(!output.includes(token), "the echoed token is not printed");
}

describe("runTask: every way a task can fail ends in one sentence", () => {
  it("a rejected main function", () => {
    const { status, output } = runChild(`runTask(async () => { throw new Error("gateway said: Authorization: Bearer ${token}"); });`);
    assertFailedWithOneSentence(output, /gateway said: Authorization: Bearer \*\*\*/);
    assert.notEqual(status, null);
  });

  it("an exception thrown from a callback, outside the main function's promise", () => {
    const { status, output } = runChild(
      `runTask(async () => { setTimeout(() => { throw new Error("callback failed with bearer ${token}"); }, 1); await new Promise((r) => setTimeout(r, 1000)); });`,
    );
    assertFailedWithOneSentence(output, /callback failed with bearer \*\*\*/);
    assert.equal(status, 1);
  });

  it("a promise rejected with nobody listening", () => {
    const { status, output } = runChild(
      `runTask(async () => { void Promise.reject(new Error("lost rejection bearer ${token}")); await new Promise((r) => setTimeout(r, 1000)); });`,
    );
    assertFailedWithOneSentence(output, /lost rejection bearer \*\*\*/);
    assert.equal(status, 1);
  });
});
