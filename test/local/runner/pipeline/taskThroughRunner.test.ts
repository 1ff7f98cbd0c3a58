import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as net from "node:net";
import { pythonWithSklearn } from "../../jobRunner/jobTestSupport";
import { job, runFixture, stepOutput } from "./pipelineTestSupport";

/** Whether something accepts connections on 127.0.0.1:port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("pipeline runner: one of our tasks on a local Azure the runner starts", function () {
  this.timeout(600_000);

  it("provisions a workspace with AzureMLWorkspace@1 and passes its outputs on; the local Azure is stopped after", async () => {
    const runDirectory = fs.mkdtempSync(path.join(os.tmpdir(), "runner-task-run-"));
    try {
      const run = await runFixture("workspace-task.yml", { runDirectory, python: pythonWithSklearn().executable });
      assert.equal(run.summary.result, "Succeeded", run.output);
      assert.match(run.output, /NOTICE: starting the local Azure for the service connection 'sc-dev-rg'/);
      const name = job(run.summary, "__default", "Provision").outputs["workspace.workspaceName"];
      assert.ok(name, run.output);
      assert.deepEqual(stepOutput(run, "Same job"), [`same job ${name} in rg-runner`]);
      assert.deepEqual(stepOutput(run, "Next job"), [`next job ${name}`]);
      // The local Azure wrote its connection and stopped with the run: its port no longer answers.
      const connection = JSON.parse(fs.readFileSync(path.join(runDirectory, "local-azure", "connection.json"), "utf8")) as {
        armUrl: string;
        servicePrincipals: Array<{ clientSecret?: string }>;
      };
      assert.equal(await accepts(Number(new URL(connection.armUrl).port)), false, "the local Azure still listens");
      for (const principal of connection.servicePrincipals) {
        if (principal.clientSecret) assert.ok(!run.output.includes(principal.clientSecret), "a connection's secret was printed");
      }
    } finally {
      fs.rmSync(runDirectory, { recursive: true, force: true });
    }
  });
});
