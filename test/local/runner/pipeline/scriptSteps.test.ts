import * as assert from "node:assert/strict";
import { job, runFixture, stepOutput } from "./pipelineTestSupport";

describe("pipeline runner: script and bash steps", () => {
  it("runs with bash in the working directory, with env:, failOnStderr, retries, CmdLine@2, Bash@3 and prepended paths", async () => {
    const run = await runFixture("script-steps.yml");
    assert.deepEqual(stepOutput(run, "Working directory and env"), ["SOURCES/sub", "GREETING=hello Manual"]);
    assert.deepEqual(stepOutput(run, "Prepended path"), ["tool on PATH"]);
    assert.deepEqual(stepOutput(run, "Flaky"), ["try 1", "Retrying (attempt 2 of 3)…", "try 2"]);
    assert.deepEqual(stepOutput(run, "CmdLine task"), ["from CmdLine@2"]);
    assert.deepEqual(stepOutput(run, "Bash task with a file"), ["args: one two three"]);
    const results = job(run.summary, "__default", "Job").steps.map((record) => [record.displayName, record.result, record.reason]);
    assert.deepEqual(results, [
      ["Prepare", "Succeeded", undefined],
      ["Working directory and env", "Succeeded", undefined],
      ["Prepended path", "Succeeded", undefined],
      ["Fails on stderr", "SucceededWithIssues", "the script wrote to stderr (failOnStderr)"],
      ["Flaky", "Succeeded", undefined],
      ["CmdLine task", "Succeeded", undefined],
      ["Bash task with a file", "Succeeded", undefined],
      ["Reports issues", "SucceededWithIssues", "partly done"],
    ]);
    assert.equal(run.summary.result, "SucceededWithIssues");
  });
});
