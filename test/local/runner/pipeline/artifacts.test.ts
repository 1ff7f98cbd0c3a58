import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { job, runFixture, stepOutput } from "./pipelineTestSupport";

describe("pipeline runner: artifacts and deployment jobs", () => {
  it("publishes (publish:, the task, ##vso[artifact.upload]) and downloads (download: with patterns, the task, a deploy hook's automatic one)", async () => {
    const runDirectory = fs.mkdtempSync(path.join(os.tmpdir(), "artifacts-run-"));
    try {
      const run = await runFixture("artifacts.yml", { runDirectory });
      assert.equal(run.summary.result, "Succeeded", run.output);
      assert.deepEqual(fs.readdirSync(path.join(runDirectory, "artifacts")).sort(), ["model", "report", "single-file"]);
      assert.equal(fs.readFileSync(path.join(runDirectory, "artifacts", "model", "model.pkl"), "utf8"), "weights\n");
      assert.equal(fs.readFileSync(path.join(runDirectory, "artifacts", "single-file", "report.txt"), "utf8"), "report\n");
      assert.deepEqual(stepOutput(run, "Auto-downloaded"), ["weights", "report"]);
      assert.deepEqual(stepOutput(run, "Check downloads"), ["report"]);
      assert.deepEqual(
        job(run.summary, "Deploy", "Release").steps.map((record) => `${record.displayName}: ${record.result}`),
        ["Download the run's artifacts (automatic in a deploy hook): Succeeded", "Auto-downloaded: Succeeded", "On failure: Skipped", "On success: Succeeded"],
      );
      assert.match(run.output, /NOTICE: the deployment job 'Release' deploys to the environment 'staging' without its approvals and checks/);
      assert.deepEqual(stepOutput(run, "On success"), ["deployed to staging"]);
      assert.ok(fs.existsSync(path.join(runDirectory, "logs", "Build", "Pack", "01-Bash.log")), "each step has its log file");
    } finally {
      fs.rmSync(runDirectory, { recursive: true, force: true });
    }
  });
});
