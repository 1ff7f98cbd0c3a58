import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fixtures, runFixture, stepOutput } from "./pipelineTestSupport";

const secrets = ["p4ss-w0rd-123", "another-s3cret", "v4ult-k3y-value", "out-s3cret-9", Buffer.from("p4ss-w0rd-123").toString("base64")];

describe("pipeline runner: secrets", () => {
  it("masks every secret in everything printed after it is known, keeps secrets out of scripts' environment unless env: maps them", async () => {
    const runDirectory = fs.mkdtempSync(path.join(os.tmpdir(), "secrets-run-"));
    try {
      const run = await runFixture("secrets.yml", { groupFile: path.join(fixtures, "settings", "groups.yml"), runDirectory });
      assert.equal(run.summary.result, "Succeeded", run.output);
      assert.deepEqual(stepOutput(run, "Register secrets"), ["registered in the same step: ***"]);
      assert.deepEqual(stepOutput(run, "Use secrets ***"), [
        "macro: ***",
        "env: []",
        "mapped: ***",
        "group: *** env []",
        "base64: ***",
        "registered earlier: ***",
      ]);
      assert.deepEqual(stepOutput(run, "Other job"), ["other job sees *** and ***"]);
      const everything = [run.output, JSON.stringify(run.summary), ...fs.readdirSync(runDirectory, { recursive: true }).map(String)];
      for (const file of fs.readdirSync(path.join(runDirectory, "logs"), { recursive: true, withFileTypes: true })) {
        if (file.isFile()) everything.push(fs.readFileSync(path.join(file.parentPath, file.name), "utf8"));
      }
      for (const secret of secrets) assert.ok(!everything.some((text) => text.includes(secret)), `'${secret}' was printed`);
    } finally {
      fs.rmSync(runDirectory, { recursive: true, force: true });
    }
  });
});
