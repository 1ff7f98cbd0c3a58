import type { JobBase } from "@azure/arm-machinelearning";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { JobEvent } from "../../../tasks/common/src/jobs/jobGateway";
import { withEnvironment } from "../../support/processEnvironment";
import { emptyJobsState, InMemoryJobGateway, jobsStateFileVariable, readJobsState } from "./inMemoryJobGateway";

const body = { properties: { jobType: "Command", command: "python train.py", environmentId: "azureml:env:1", experimentName: "churn" } } as JobBase;

async function events(gateway: InMemoryJobGateway, name: string, signal?: AbortSignal): Promise<JobEvent[]> {
  const seen: JobEvent[] = [];
  for await (const event of gateway.follow(name, { signal })) seen.push(event);
  return seen;
}

describe("InMemoryJobGateway, the twin task tests use for Azure ML jobs", () => {
  let folder: string;
  let file: string;
  let restore: () => void;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "in-memory-jobs-"));
    file = path.join(folder, "jobs.json");
    restore = withEnvironment({ [jobsStateFileVariable]: file });
  });
  afterEach(() => {
    restore();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("walks a job through its script, printing its log while it runs, and records every call", async () => {
    fs.writeFileSync(
      file,
      JSON.stringify(emptyJobsState({ "*": { statuses: ["Queued", "Running", "Completed"], logs: { "user_logs/std_log.txt": ["epoch 1", "epoch 2"] } } })),
    );
    const gateway = new InMemoryJobGateway("ignored", "arguments");

    assert.equal((await gateway.submit("job-1", body)).status, "NotStarted");
    const seen = await events(gateway, "job-1");

    assert.deepEqual(
      seen.map((event) => (event.type === "status" ? event.status : event.type === "line" ? event.text : event.type)),
      ["Queued", "Running", "logFile", "epoch 1", "epoch 2", "Completed"],
    );
    assert.equal((await gateway.get("job-1"))?.status, "Completed");
    assert.equal(await gateway.get("job-2"), undefined);
    await assert.rejects(gateway.submit("job-1", body), { statusCode: 409 });
    assert.deepEqual(
      readJobsState(file)
        .calls.filter((call) => call.operation !== "status")
        .map((call) => call.operation),
      ["submit", "follow", "get", "get", "submit"],
    );
  });

  it("ends a failed job with its service error, and a cancelled one Canceled", async () => {
    fs.writeFileSync(
      file,
      JSON.stringify(
        emptyJobsState({
          bad: { statuses: ["Running", "Failed"], error: { code: "UserError", message: "Exit 1." } },
          "*": { statuses: ["Running", "Running", "Completed"] },
        }),
      ),
    );
    const gateway = new InMemoryJobGateway();
    await gateway.submit("bad", body);
    await events(gateway, "bad");
    assert.deepEqual((await gateway.get("bad"))?.error, { code: "UserError", message: "Exit 1." });

    await gateway.submit("long", body);
    const seen: string[] = [];
    for await (const event of gateway.follow("long")) {
      if (event.type === "status") seen.push(event.status);
      if (seen.length === 1) await gateway.cancel("long");
    }
    assert.deepEqual(seen, ["Running", "Canceled"]);
  });
});
