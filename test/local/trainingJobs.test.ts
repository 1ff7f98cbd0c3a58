import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { ResourceStore } from "../../local/azure/state/resourceStore";
import type { ProvisionReport } from "./clients/provisionWorkspace";
import type { JobScenarioReport } from "./clients/trainingJobs";
import type { AssetChecksReport } from "./clients/assetChecks";
import { isAlive, pythonWithSklearn } from "./jobRunner/jobTestSupport";
import { LocalAzureFixture, startFixture, stopFixture } from "./support/localAzureFixture";
import { runClient } from "./support/runClient";

const resourceGroup = "rg-mlops-jobs";
const workspaceName = "aml-mlops-jobs";

/** The pid the slow script wrote for its `sleep` child, in the job's working folder. */
function childPid(stateDir: string, jobName: string): number {
  const jobsDir = path.join(stateDir, "jobs");
  for (const key of fs.readdirSync(jobsDir)) {
    const file = path.join(jobsDir, key, jobName, "exe", "wd", "child.pid");
    if (fs.existsSync(file)) return Number(fs.readFileSync(file, "utf8"));
  }
  throw new Error(`no child.pid for job ${jobName}`);
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Azure ML jobs and assets on the local Azure, driven by the tasks' own modules (upload,
 * MachineLearningControlPlane, AzureJobGateway, JobOutputFiles) with the real SDK clients, each
 * scenario in a client process as a task would run; strict mode checks every request.
 */
describe("local Azure: Azure ML jobs that really run, and the assets around them", function () {
  this.timeout(300000);
  let fixture: LocalAzureFixture | undefined;
  let stopped = false;

  const scenario = (name: string, suffix = "1") =>
    runClient<JobScenarioReport>(fixture!.localAzure, "trainingJobs", [resourceGroup, workspaceName, name, suffix], 240000);

  before(async () => {
    pythonWithSklearn();
    fixture = await startFixture("jobs");
    await runClient<ProvisionReport>(fixture.localAzure, "provisionWorkspace", ["jobs"]);
  });

  after(async () => {
    if (!stopped) await stopFixture(fixture);
    else if (fixture) fs.rmSync(fixture.stateDir, { recursive: true, force: true });
  });

  it("trains the sklearn fixture: NotStarted at creation, log lines while Running, Completed, artifacts and named output stored, model registered", async () => {
    const report = await scenario("train");
    assert.equal(report.created.status, "NotStarted");
    assert.deepEqual(report.created.outputs.default, {
      jobOutputType: "uri_folder",
      mode: "ReadWriteMount",
      uri: "azureml://datastores/workspaceartifactstore/ExperimentRun/dcid.train-1",
    });
    assert.equal(report.created.outputs.report?.uri, "azureml://datastores/workspaceblobstore/paths/azureml/train-1/report/");
    assert.match(report.created.studio ?? "", /^https:\/\/ml\.azure\.com\/runs\/train-1\?wsid=/);

    const statuses = report.events.filter((event) => event.type === "status").map((event) => event.text);
    assert.equal(statuses[statuses.length - 1], "Completed", JSON.stringify(report.events));
    assert.ok(statuses.includes("Running"), `statuses: ${statuses.join(", ")}`);
    const lines = report.events.filter((event) => event.type === "line");
    assert.ok(
      lines.some((line) => /^rmse=/.test(line.text)),
      JSON.stringify(lines),
    );
    assert.ok(
      lines.some((line) => line.text === "notes from the datastore"),
      "the uri_file input was materialised from the datastore",
    );
    assert.ok(
      lines.some((line) => line.statusThen === "Running" || line.statusThen === "Preparing"),
      "some log lines arrived while the job was still running",
    );
    assert.equal(report.final.status, "Completed");

    const extra = report.extra as Record<string, unknown> & { metrics: { alpha: number; rmse: number }; registered: Record<string, unknown> };
    assert.equal(extra.codeAgainDescription, "same content", "the same code version PUT again is an update of its description");
    assert.ok((extra.modelBytes as number) > 100);
    assert.equal(extra.modelStart, "8004", "a pickle (protocol 4+)");
    assert.equal(extra.metrics.alpha, 0.5, "the literal input reached the command");
    assert.ok(extra.metrics.rmse > 0);
    assert.deepEqual(extra.namedMetrics, extra.metrics, "the named output holds what the command copied into it");
    assert.deepEqual(
      extra.artifactList,
      ["outputs/metrics.json", "outputs/model.pkl", "outputs/odd name 100%.txt", "user_logs/std_log.txt"],
      "file names are stored as they are",
    );
    assert.deepEqual(extra.registered, {
      modelUri: "azureml://jobs/train-1/outputs/artifacts/paths/outputs/model.pkl",
      jobName: "train-1",
      modelType: "custom_model",
      createdAt: extra.registered.createdAt,
    });
    assert.deepEqual(extra.sameAgainTags, { source: "again" }, "tags of an existing version can change");
    assert.deepEqual((extra.changed as { statusCode: number; code: string }).statusCode, 409);
    assert.match((extra.changed as { message: string }).message, /modelUri cannot be changed/);
    assert.equal((extra.missingPath as { statusCode: number }).statusCode, 400);
    assert.match(
      (extra.missingPath as { message: string }).message,
      /No blobs found in storage at model asset path: 'ExperimentRun\/dcid\.train-1\/outputs\/none\.pkl'/,
    );
    assert.match((extra.missingJob as { message: string }).message, /job 'no-such-job', which does not exist/);
    assert.equal(extra.fromNamedOutput, "azureml://jobs/train-1/outputs/report/paths/metrics.json");
    assert.equal((extra.codeChanged as { statusCode: number }).statusCode, 409);
    assert.equal((extra.codeMissingBlobs as { statusCode: number }).statusCode, 400);
    assert.equal(extra.missingModel, true, "a missing model version is a 404");
    assert.equal(extra.missingJobState, true, "a missing job is a 404");
    assert.equal(extra.fromRun, "runs:/train-1/outputs/model.pkl");
    assert.deepEqual(extra.versions, ["1", "4", "5"]);
    assert.deepEqual(extra.container, { latestVersion: "5", nextVersion: "6" });
    assert.deepEqual(extra.listedJobs, ["train-1"]);
    assert.deepEqual(extra.environment, {
      image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest",
      condaFile: "name: train\ndependencies:\n  - python=3.10\n  - scikit-learn\n",
      environmentType: "UserCreated",
    });
    assert.equal(extra.resubmitSame, "updated", "a job read back and sent again with a new description is updated");
    assert.equal((extra.resubmitChanged as { statusCode: number }).statusCode, 400);
    assert.match((extra.resubmitChanged as { message: string }).message, /A job with this name already exists/);
  });

  it("gives a job another job's outputs as inputs, and a Direct-mode URL as text", async () => {
    const report = await scenario("chained");
    assert.equal(report.final.status, "Completed", JSON.stringify(report));
    const lines = report.events.filter((event) => event.type === "line").map((event) => event.text);
    assert.ok(lines.includes("metrics.json"), lines.join("\n"));
    assert.ok(
      lines.some((line) => /^model bytes \d{3,}$/.test(line)),
      lines.join("\n"),
    );
    assert.ok(lines.includes("url=https://example.com/data.csv"), lines.join("\n"));
  });

  it("fails a failing script, with its error in run details", async () => {
    const report = await scenario("fail");
    assert.equal(report.final.status, "Failed");
    assert.equal(report.final.error?.code, "UserError");
    assert.match(report.final.error?.message ?? "", /training data has no 'target' column/);
    assert.ok(report.events.some((event) => event.type === "line" && event.text === "Starting a run that will fail"));
  });

  it("runs a job once when its creation is retried after the answer was lost", async () => {
    fixture!.localAzure.setFaults({ seed: 1, rules: [{ kind: "dropConnection", operationId: "Jobs_CreateOrUpdate", afterProcessing: true, times: 1 }] });
    try {
      const report = await scenario("fail", "2");
      assert.equal(report.final.status, "Failed");
      const starts = report.events.filter((event) => event.type === "line" && event.text === "Starting a run that will fail");
      assert.equal(starts.length, 1);
    } finally {
      fixture!.localAzure.setFaults(undefined);
    }
    const creations = fixture!.localAzure
      .requests()
      .filter((request) => request.operationId === "Jobs_CreateOrUpdate" && /\/jobs\/fail-2(\?|$)/.test(request.path));
    assert.equal(creations.length, 2, "the first answer was lost and the SDK sent the job again");
  });

  it("fails a script that lacks a module, naming the module and how to install it", async () => {
    const report = await scenario("missingModule");
    assert.equal(report.final.status, "Failed");
    assert.match(report.final.error?.message ?? "", /module 'no_such_training_module'/);
    assert.match(report.final.error?.message ?? "", /pip install no_such_training_module/);
  });

  it("runs a registry (curated) environment on the local Python", async () => {
    const report = await scenario("curated");
    assert.equal(report.final.status, "Completed");
    assert.ok(
      report.events.some((event) => event.type === "line" && /^sklearn \d+\.\d+.* curated-1$/.test(event.text)),
      JSON.stringify(report.events),
    );
  });

  it("cancels a running job: Canceled, and its whole process tree is gone", async () => {
    const report = await scenario("cancel");
    assert.equal(report.extra.sawTick, true);
    assert.match(report.extra.liveLog as string, /^started child \d+\ntick 0\n/, "the log reached the artifact store while the job ran");
    assert.equal(report.final.status, "Canceled");
    const pid = childPid(fixture!.stateDir, "cancel-1");
    await waitUntil(() => !isAlive(pid), `the job's child ${pid} is gone`);
    assert.equal(report.extra.cancelAgain, undefined, "cancelling an ended job is accepted");
  });

  it("ends a job at its limits.timeout", async () => {
    const report = await scenario("timeout");
    assert.equal(report.final.status, "Canceled");
    const ticks = report.events.filter((event) => event.type === "line" && event.text.startsWith("tick"));
    assert.ok(ticks.length > 0 && ticks.length < 100, `${ticks.length} ticks`);
  });

  it("refuses what Azure ML refuses about assets and job references, and accepts data, curated environments, datastore URIs, deletes", async () => {
    const report = await runClient<AssetChecksReport>(fixture!.localAzure, "assetChecks", [resourceGroup, workspaceName], 240000);
    const refused = (name: string) => {
      const found = report.refusals[name];
      assert.ok(found, `${name} was accepted`);
      return found;
    };
    assert.equal(refused("environmentChanged").statusCode, 409);
    assert.match(refused("environmentChanged").message, /image cannot be changed/);
    assert.equal(refused("environmentWithoutImage").statusCode, 400);
    assert.match(refused("environmentReservedName").message, /reserves for curated environments/);
    assert.equal(refused("codeOtherAccount").statusCode, 400);
    assert.match(refused("codeOtherAccount").message, /is not in a datastore of workspace 'aml-mlops-jobs'/);
    assert.match(refused("codeUnknownDatastore").message, /has no datastore 'nosuchstore'/);
    assert.equal(refused("modelVersionNotNumber").statusCode, 400);
    assert.match(refused("jobMissingCode").message, /Code version 'nothing:1' \(codeId\) was not found/);
    assert.match(refused("jobMissingEnvironment").message, /Environment version 'nothing:1' \(environmentId\) was not found/);
    assert.match(refused("jobMissingCompute").message, /Compute 'nothing' \(computeId\) was not found/);
    assert.match(refused("jobBadTimeout").message, /limits.timeout 'PT0S' must be longer than zero/);
    assert.match(refused("jobNotCommand").message, /only command jobs/);
    assert.match(
      refused("jobUnknownInputInCommand").message,
      /The job's command is not valid: The command uses \$\{\{inputs\.n\}\}, which the job does not declare/,
    );
    assert.match(refused("jobBadInputName").message, /input name 'bad-name' is not valid/);
    for (const name of ["cancelMissingJob", "getMissingCodeVersion", "getMissingContainer"]) {
      assert.equal(refused(name).statusCode, 404, name);
      assert.equal(refused(name).code, "UserError", name);
    }
    assert.deepEqual(report.data, {
      dataType: "uri_folder",
      dataUri: "azureml://datastores/workspaceblobstore/paths/data/checks/",
      containerType: "uri_folder",
      versions: ["1"],
    });
    assert.equal(report.environmentAgain, "described later");
    assert.equal(report.codeFromDatastoreUri, "azureml://datastores/workspaceblobstore/paths/LocalUpload/checks/src");
    // A workspace lists Azure ML's curated environments beside its own, as in Azure.
    const curated = ["AzureML-lightgbm-3.3-ubuntu20.04-py38-cpu", "AzureML-sklearn-0.24-ubuntu18.04-py37-cpu", "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu"];
    assert.deepEqual(report.containers, { codes: ["checks", "training"], environments: [...curated, "checks-env", "sklearn-local"], data: ["checks-data"] });
    assert.deepEqual(report.deleted, { version: true, container: true });
    assert.equal(report.jobDeleted, true);
  });

  it("validated every ARM and data-plane request of these scenarios against the swaggers, with nothing unmatched and no violation", () => {
    const counts = fixture!.localAzure.validationCounts();
    assert.deepEqual(fixture!.localAzure.violations(), []);
    assert.equal(counts.unmatched, 0);
    assert.equal(counts.refused, 0);
    assert.ok(counts.validated > 50, JSON.stringify(counts));
    const operations = new Set(fixture!.localAzure.requests().map((request) => request.operationId));
    for (const operation of [
      "Jobs_CreateOrUpdate",
      "Jobs_Get",
      "Jobs_Cancel",
      "Jobs_List",
      "CodeVersions_CreateOrUpdate",
      "EnvironmentVersions_CreateOrUpdate",
      "ModelVersions_CreateOrUpdate",
      "Runs_GetDetails",
      "RunFiles_Get",
    ]) {
      assert.ok(operations.has(operation), `${operation} was exercised`);
    }
  });

  it("ends running jobs when the local Azure stops: no process outlives it, and the job is Failed in its state", async () => {
    await scenario("slow", "2");
    await waitUntil(() => {
      try {
        return childPid(fixture!.stateDir, "slow-2") > 0;
      } catch {
        return false;
      }
    }, "the slow job started its child");
    const pid = childPid(fixture!.stateDir, "slow-2");
    await fixture!.localAzure.stop();
    stopped = true;
    assert.equal(isAlive(pid), false);
    const job = new ResourceStore(fixture!.stateDir).list((resource) => resource.id.endsWith("/jobs/slow-2"))[0];
    assert.equal((job.body.properties as { status: string }).status, "Failed");
    assert.match(JSON.stringify(job.secrets.run), /The local Azure stopped while job 'slow-2' was Running; jobs do not survive a restart/);
  });
});
