import * as assert from "node:assert/strict";
import type { MockTestRunner } from "azure-pipelines-task-lib/mock-test";
import { servicePrincipalKey } from "./deployTaskBed";

/** A secret may appear only in the commands that register it with the agent's masker or set it as a secret variable. */
export function assertNoLeak(runner: MockTestRunner, secret: string): void {
  const lines = runner.stdout.split("\n").filter((line) => line.includes(secret));
  const leaks = lines.filter(
    (line) => !line.startsWith("##vso[task.setsecret]") && !/^##vso\[task\.setvariable variable=[^;]+;isOutput=true;issecret=true;\]/.test(line),
  );
  assert.deepEqual(leaks, [], "a secret reached the log");
}

export function assertSucceeded(runner: MockTestRunner): void {
  assert.ok(runner.succeeded, runner.stdout + runner.stderr);
  assertNoLeak(runner, servicePrincipalKey);
}

export function assertOneSentenceFailure(runner: MockTestRunner, message: RegExp): void {
  assert.ok(runner.failed, `expected failure\n${runner.stdout}`);
  assert.equal(runner.errorIssues.length, 1, runner.errorIssues.join("\n---\n"));
  assert.match(runner.errorIssues[0], message, runner.stdout);
  assert.doesNotMatch(runner.errorIssues[0], /\n|\bat .*\.js:\d+/, "one line, no stack");
  assertNoLeak(runner, servicePrincipalKey);
}
