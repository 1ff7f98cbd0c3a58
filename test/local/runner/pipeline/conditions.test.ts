import * as assert from "node:assert/strict";
import { job, runFixture, step, stepOutput } from "./pipelineTestSupport";

describe("pipeline runner: conditions and dependencies", () => {
  it("runs steps, jobs and stages by their conditions, dependsOn, continueOnError and enabled", async () => {
    const run = await runFixture("conditions.yml");
    const { summary } = run;
    assert.equal(summary.result, "Failed", run.output);
    const results = (stage: string, jobName: string) => job(summary, stage, jobName).steps.map((record) => `${record.displayName}: ${record.result}`);
    assert.deepEqual(results("A", "Fails"), ["Fail: Failed", "After failure: Skipped", "Cleanup: Succeeded", "On failure: Succeeded"]);
    assert.deepEqual(results("A", "Tolerated"), ["Tolerated failure: SucceededWithIssues", "After tolerated: Succeeded", "Disabled: Skipped"]);
    assert.equal(job(summary, "A", "Fails").result, "Failed");
    assert.equal(job(summary, "A", "Tolerated").result, "SucceededWithIssues");
    assert.equal(job(summary, "A", "AfterFails").result, "Skipped", "a job after a failed one does not run by default");
    assert.equal(job(summary, "A", "WhenFailed").result, "Succeeded", "failed('Fails') ran it");
    assert.equal(job(summary, "A", "Named").result, "Succeeded", "succeeded('Tolerated') counts SucceededWithIssues");
    assert.deepEqual(
      summary.stages.map((stage) => `${stage.name}: ${stage.result}`),
      ["A: Failed", "B: Skipped", "C: Succeeded", "D: Succeeded"],
    );
    assert.ok(!run.output.includes("must not run") && !run.output.includes("should not run") && !run.output.includes("never\n"));
  });

  it("orders jobs by dependsOn whatever their place in the file; a job failed under continueOnError lets the next run", async () => {
    const run = await runFixture("ordering.yml");
    const started = run.lines.filter((line) => line.startsWith("── Job ")).map((line) => line.split(" ")[2]);
    assert.deepEqual(started, ["First", "Second", "Third"]);
    assert.equal(job(run.summary, "__default", "First").result, "SucceededWithIssues");
    assert.equal(run.summary.result, "SucceededWithIssues");
  });

  it("fails a step that runs past its timeoutInMinutes, and runs an always() step after it", async () => {
    const run = await runFixture("timeouts.yml");
    const slow = step(run.summary, "__default", "Job", "Bash");
    assert.equal(slow.result, "Failed");
    assert.match(slow.reason ?? "", /timed out after .* \(timeoutInMinutes\)/);
    assert.equal(step(run.summary, "__default", "Job", "Bash2").result, "Succeeded");
  });

  it("cancels a job that runs past its timeoutInMinutes, runs its always() steps and the jobs that run always()", async () => {
    const run = await runFixture("job-timeout.yml");
    const slow = job(run.summary, "__default", "Slow");
    assert.equal(slow.result, "Canceled");
    assert.match(slow.reason ?? "", /timed out after 0.02 minute/);
    assert.deepEqual(
      slow.steps.map((record) => `${record.displayName}: ${record.result}`),
      ["Sleeps: Canceled", "Cleanup: Succeeded"],
    );
    assert.deepEqual(stepOutput(run, "Next"), ["next after Succeeded"]);
  });
});
