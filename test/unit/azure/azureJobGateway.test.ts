import type { CommandJob, JobBase } from "@azure/arm-machinelearning";
import * as assert from "node:assert/strict";
import { AzureMLFailure } from "../../../tasks/common/src/errors/azureMLFailure";
import { AzureJobGateway } from "../../../tasks/common/src/jobs/azureJobGateway";
import type { JobEvent } from "../../../tasks/common/src/jobs/jobGateway";
import type { TestResponse } from "../../support/httpsTestServer";
import { silenceTaskLib } from "../../support/taskLibEnvironment";
import { DataPlaneTestBed, RESOURCE_GROUP, SUBSCRIPTION, WORKSPACE, WORKSPACE_PATH } from "./dataPlaneTestBed";

const workspace = { subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP, name: WORKSPACE };
const noWait = (): Promise<void> => Promise.resolve();

function armJob(name: string, status: string): object {
  return {
    id: `${WORKSPACE_PATH}/jobs/${name}`,
    name,
    type: "Microsoft.MachineLearningServices/workspaces/jobs",
    properties: {
      jobType: "Command",
      command: "python train.py",
      environmentId: "azureml:sklearn:1",
      status,
      experimentName: "churn",
      services: { Studio: { jobServiceType: "Studio", endpoint: `https://ml.azure.com/runs/${name}` } },
      outputs: {
        model: { jobOutputType: "mlflow_model", mode: "ReadWriteMount", uri: `azureml://datastores/workspaceblobstore/paths/azureml/${name}/model/` },
      },
    },
  };
}

/** Answers the next response of a script each time, then the last one again. */
function script(responses: TestResponse[]): () => TestResponse {
  let next = 0;
  return () => responses[Math.min(next++, responses.length - 1)];
}

async function collect(events: AsyncIterable<JobEvent>): Promise<string[]> {
  const seen: string[] = [];
  for await (const event of events) {
    if (event.type === "status") seen.push(`status ${event.status}`);
    else if (event.type === "logFile") seen.push(`file ${event.file}`);
    else if (event.type === "line") seen.push(`line ${event.text}`);
    else seen.push(`warning ${event.message}`);
  }
  return seen;
}

describe("AzureJobGateway", function () {
  this.timeout(20_000);
  let bed: DataPlaneTestBed;
  let unsilence: () => void;
  const jobStatus = new Map<string, string>();

  before(async () => {
    unsilence = silenceTaskLib();
    bed = await DataPlaneTestBed.start();
    const jobPath = new RegExp(`^${WORKSPACE_PATH}/jobs/([\\w-]+)$`);
    bed.server.route("GET", new RegExp(`^${WORKSPACE_PATH}$`), () => ({
      status: 200,
      body: { id: WORKSPACE_PATH, name: WORKSPACE, location: "westeurope", properties: { discoveryUrl: `${bed.origin}/discovery` } },
    }));
    bed.server.route("GET", jobPath, (request) => {
      const name = jobPath.exec(request.url.pathname)?.[1] ?? "";
      const status = jobStatus.get(name);
      return status ? { status: 200, body: armJob(name, status) } : { status: 404, body: { error: { code: "UserError", message: `Job ${name} not found.` } } };
    });
    bed.server.route("PUT", jobPath, (request) => {
      const name = jobPath.exec(request.url.pathname)?.[1] ?? "";
      jobStatus.set(name, "NotStarted");
      return { status: 201, body: armJob(name, "NotStarted") };
    });
    bed.server.route("POST", new RegExp(`^${WORKSPACE_PATH}/jobs/[\\w-]+/cancel$`), () => ({ status: 200 }));
  });
  after(async () => {
    await bed.stop();
    unsilence();
  });

  it("submits a job and reads back its status, studio page and outputs", async () => {
    const gateway = new AzureJobGateway(bed.session(), workspace, { sleep: noWait });
    const properties: CommandJob = { jobType: "Command", command: "python train.py", environmentId: "azureml:sklearn:1" };
    const body: JobBase = { properties };

    const submitted = await gateway.submit("job-submit", body);

    assert.equal(submitted.status, "NotStarted");
    assert.equal(submitted.studioUrl, "https://ml.azure.com/runs/job-submit");
    assert.deepEqual(submitted.outputs, { model: { type: "mlflow_model", uri: "azureml://datastores/workspaceblobstore/paths/azureml/job-submit/model/" } });
    const put = bed.server.requests.filter((request) => request.method === "PUT").at(-1);
    assert.equal(put?.url.searchParams.get("api-version"), "2022-10-01");
    assert.equal((JSON.parse(put?.body ?? "{}") as { properties: { command?: string } }).properties.command, "python train.py");
    assert.equal(await gateway.get("no-such-job"), undefined);
  });

  it("follows a job as az ml job stream does: status changes, then only new, whole log lines, and the rest at the end", async () => {
    jobStatus.set("job-follow", "Completed");
    const log = `${bed.origin}/logs/job-follow.txt?sig=abc`;
    bed.serveRunDetails(
      "job-follow",
      script([
        { status: 404, body: { error: { code: "NotFound", message: "Run not found yet." } } },
        { status: 200, body: { status: "Queued", logFiles: {} } },
        { status: 200, body: { status: "Running", logFiles: { "user_logs/std_log.txt": log, "system_logs/lifecycler.txt": log } } },
        { status: 200, body: { status: "Running", logFiles: { "user_logs/std_log.txt": log } } },
        { status: 200, body: { status: "Completed", logFiles: { "user_logs/std_log.txt": log }, warnings: [{ message: "Low disk." }] } },
      ]),
    );
    bed.server.route(
      "GET",
      /^\/logs\/job-follow\.txt$/,
      script([
        { status: 200, body: "loading data\nepoch 1 loss=0.9\nepoch 2 lo" },
        { status: 200, body: "loading data\nepoch 1 loss=0.9\nepoch 2 loss=0.5\n" },
        { status: 200, body: "loading data\nepoch 1 loss=0.9\nepoch 2 loss=0.5\nsaved model" },
      ]),
    );
    const waits: number[] = [];
    const gateway = new AzureJobGateway(bed.session(), workspace, {
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });

    const events = await collect(gateway.follow("job-follow"));

    assert.deepEqual(events, [
      "status NotStarted",
      "status Queued",
      "status Running",
      "file user_logs/std_log.txt",
      "line loading data",
      "line epoch 1 loss=0.9",
      "line epoch 2 loss=0.5",
      "status Completed",
      "line saved model",
      "warning Low disk.",
    ]);
    assert.equal(waits.length, 4, "one wait between polls");
    assert.ok(
      waits.every((ms) => ms >= 2000 && ms <= 10_000),
      `waits stay within 2 s and 10 s: ${waits.join(", ")}`,
    );
    const logReads = bed.server.requestsTo(/^\/logs\/job-follow\.txt$/);
    assert.ok(logReads.every((request) => request.headers.authorization === undefined));
  });

  it("stops following when the signal aborts, leaving the job alone", async () => {
    jobStatus.set("job-abort", "Running");
    bed.serveRunDetails("job-abort", () => ({ status: 200, body: { status: "Running", logFiles: {} } }));
    const controller = new AbortController();
    const gateway = new AzureJobGateway(bed.session(), workspace, {
      sleep: () => {
        controller.abort();
        return Promise.resolve();
      },
    });

    assert.deepEqual(await collect(gateway.follow("job-abort", { signal: controller.signal })), ["status Running"]);
    assert.equal(bed.server.requestsTo(/\/jobs\/job-abort\/cancel$/).length, 0);
  });

  it("gives a failed job's own error, from which the task's one sentence is made", async () => {
    jobStatus.set("job-failed", "Failed");
    bed.serveRunDetails("job-failed", () => ({
      status: 200,
      body: {
        status: "Failed",
        logFiles: {},
        error: { error: { code: "UserError", message: "Execution failed.\nUser process 'python' exited with status code 1." } },
      },
    }));
    const gateway = new AzureJobGateway(bed.session(), workspace, { sleep: noWait });

    const job = await gateway.get("job-failed");

    assert.deepEqual(job?.error, { code: "UserError", message: "Execution failed.\nUser process 'python' exited with status code 1." });
    assert.equal(
      new AzureMLFailure("Job 'job-failed'", "failed", job?.error).message,
      "Job 'job-failed' failed: Execution failed. User process 'python' exited with status code 1. (UserError)",
    );
  });

  it("gives a canceled job's reason too (a job whose limits.timeout passed)", async () => {
    jobStatus.set("job-timed-out", "Canceled");
    bed.serveRunDetails("job-timed-out", () => ({
      status: 200,
      body: {
        status: "Canceled",
        logFiles: {},
        error: { error: { code: "UserError", message: "The job ran longer than its limits.timeout of 3 seconds and was canceled." } },
      },
    }));
    const gateway = new AzureJobGateway(bed.session(), workspace, { sleep: noWait });

    const job = await gateway.get("job-timed-out");

    assert.equal(
      new AzureMLFailure("Job 'job-timed-out'", "was canceled before it ended", job?.error).message,
      "Job 'job-timed-out' was canceled before it ended: The job ran longer than its limits.timeout of 3 seconds and was canceled. (UserError)",
    );
  });

  it("cancels through the control plane, and names the job when a call fails", async () => {
    const gateway = new AzureJobGateway(bed.session(), workspace, { sleep: noWait });
    await gateway.cancel("job-follow");
    assert.equal(bed.server.requestsTo(/\/jobs\/job-follow\/cancel$/).length, 1);

    await assert.rejects(collectAll(gateway.follow("job-none")), {
      name: "AzureOperationError",
      message: "Following job 'job-none' failed (HTTP 404): It does not exist in workspace 'aml-1'.",
    });
  });
});

async function collectAll(events: AsyncIterable<JobEvent>): Promise<void> {
  const iterator = events[Symbol.asyncIterator]();
  while (!(await iterator.next()).done) {
    // drained
  }
}
