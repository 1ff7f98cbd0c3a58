import { createHash } from "node:crypto";
import * as path from "node:path";
import { Logger } from "../../../logging";
import { isJsonObject, JsonObject, toJsonValue, textOf } from "../../../state/json";
import { ResourceStore, StoredResource } from "../../../state/resourceStore";
import { StorageBackend } from "../../../storage/storageBackend";
import { InMemoryRunStore, RunError, RunRecord, RunStatus } from "../dataplane/runStore";
import { JobRun, JobRunSnapshot, JobStatus, terminalStatuses } from "../jobRunner/jobRun";
import { JobRunner } from "../jobRunner/jobRunner";
import { JobWorkspace } from "../jobRunner/jobWorkspace";
import { jobType } from "../arm/workspaceIds";
import { artifactStoreName, jobArtifactsFolder, WorkspaceStorage } from "../arm/workspaceStorage";
import { jobOutputResolver } from "../arm/machineLearningAssets";
import { JobReferences } from "./jobDefinition";
import { LiveLogUpload } from "./liveLogUpload";

export interface MachineLearningJobsSettings {
  store: ResourceStore;
  storage: StorageBackend;
  runs: InMemoryRunStore;
  /** Each workspace's jobs get their folders under `<workDir>/<workspace key>/<job>`. */
  workDir: string;
  /** The interpreter jobs run with (else LOCAL_AZURE_PYTHON, else found). */
  python?: string;
  log: Logger;
}

/** What the local Azure keeps of a job's run beside its ARM body (never returned by ARM). */
interface RunState {
  startTimeUtc?: string;
  endTimeUtc?: string;
  error?: RunError;
  target?: string;
  /** Someone asked for the cancel (as opposed to the local Azure stopping). */
  cancelRequested?: boolean;
}

function stateJson(state: RunState): JsonObject {
  return toJsonValue(state) as JsonObject;
}

function stoppedError(jobName: string, status: string): RunError {
  return {
    code: "ServiceError",
    message: `The local Azure stopped while job '${jobName}' was ${status}; jobs do not survive a restart. Submit the job again.`,
  };
}

const stdLogName = "user_logs/std_log.txt";
/** How often a running job's log is copied to the artifact store. */
const liveLogIntervalMs = 2000;

function workspaceKey(workspaceId: string): string {
  return createHash("sha256").update(workspaceId.toLowerCase()).digest("hex").slice(0, 16);
}

function propertiesOf(resource: StoredResource): JsonObject {
  return isJsonObject(resource.body.properties) ? resource.body.properties : {};
}

function runStateOf(resource: StoredResource): RunState {
  const run: unknown = resource.secrets.run;
  return isJsonObject(run) ? run : {};
}

/**
 * Runs the workspaces' command jobs on the job engine: each job's code and inputs fetched from
 * Azurite before it starts, its artifacts and named outputs stored after, its status written to
 * the job resource and to run history on every change, its log served as it grows.
 */
export class MachineLearningJobs {
  private readonly runners = new Map<string, JobRunner>();
  private readonly logUploads = new Set<LiveLogUpload>();
  private stopping = false;

  constructor(private readonly settings: MachineLearningJobsSettings) {}

  private runner(workspaceId: string): JobRunner {
    const key = workspaceKey(workspaceId);
    let runner = this.runners.get(key);
    if (!runner) {
      runner = new JobRunner({ workDir: path.join(this.settings.workDir, key), python: this.settings.python });
      this.runners.set(key, runner);
    }
    return runner;
  }

  private logPaths(workspaceId: string, jobName: string): { storePath: string; localPath: string } {
    const key = workspaceKey(workspaceId);
    return { storePath: `jobs/${key}/${jobName}/${stdLogName}`, localPath: path.join(this.settings.workDir, key, jobName, "user_logs", "std_log.txt") };
  }

  /** The run history record of a stored job, as it stands. */
  private publish(job: StoredResource, workspaceId: string): void {
    const state = runStateOf(job);
    const status = textOf(propertiesOf(job).status) as RunStatus;
    const jobName = textOf(job.body.name);
    const logFiles: Record<string, string> = {};
    if (status !== "NotStarted" && status !== "Queued") {
      const { storePath, localPath } = this.logPaths(workspaceId, jobName);
      this.settings.runs.linkFile(storePath, localPath);
      logFiles[stdLogName] = storePath;
    }
    const record: RunRecord = { runId: jobName, workspaceId, status, createdTimeUtc: job.createdAt, logFiles, target: state.target ?? "serverless" };
    if (state.startTimeUtc) record.startTimeUtc = state.startTimeUtc;
    if (state.endTimeUtc) record.endTimeUtc = state.endTimeUtc;
    if (state.error) record.error = state.error;
    this.settings.runs.putRun(record);
  }

  private update(jobId: string, workspaceId: string, reported: JobStatus, snapshot: JobRunSnapshot): void {
    const job = this.settings.store.get(jobId);
    if (!job) return;
    const state: RunState = { ...runStateOf(job) };
    if (snapshot.startTime) state.startTimeUtc = snapshot.startTime.toISOString();
    if (snapshot.endTime) state.endTimeUtc = snapshot.endTime.toISOString();
    if (snapshot.error) state.error = { code: snapshot.error.code, message: snapshot.error.message };
    let status = reported;
    // Ended by the local Azure stopping, not by anyone's cancel: as after a crash, the job failed.
    if (this.stopping && (reported === "Canceled" || reported === "CancelRequested") && !runStateOf(job).cancelRequested) {
      status = reported === "Canceled" ? "Failed" : (propertiesOf(job).status as JobStatus);
      state.error = stoppedError(textOf(job.body.name), textOf(propertiesOf(job).status));
    }
    const updated: StoredResource = {
      ...job,
      body: { ...job.body, properties: { ...propertiesOf(job), status } },
      secrets: { ...job.secrets, run: stateJson(state) },
    };
    this.settings.store.put(updated);
    this.publish(updated, workspaceId);
  }

  /** Records a new job (NotStarted) in run history and starts it. */
  submit(workspace: StoredResource, job: StoredResource, references: JobReferences): JobRun {
    const { store, storage: backend } = this.settings;
    const jobName = textOf(job.body.name);
    const jobId = job.id;
    const state: RunState = { target: references.computeName };
    store.put({ ...job, secrets: { ...job.secrets, run: stateJson(state) } });
    this.publish(store.get(jobId) ?? job, workspace.id);
    const storage = new WorkspaceStorage(store, backend, workspace);
    const resolveJobOutput = jobOutputResolver(store, workspace);
    const artifacts = storage.inDatastore(artifactStoreName, jobArtifactsFolder(jobName));
    const logUpload = new LiveLogUpload(
      () => storage.upload(artifacts, [{ relativePath: stdLogName, localPath: this.logPaths(workspace.id, jobName).localPath }]),
      liveLogIntervalMs,
      (error) =>
        this.settings.log(
          "warn",
          `job ${jobName}: the log could not be copied to the artifact store: ${error instanceof Error ? error.message : String(error)}`,
        ),
    );
    this.logUploads.add(logUpload);
    const run = this.runner(workspace.id).submit(
      {
        name: jobName,
        command: textOf(propertiesOf(job).command),
        inputs: references.inputs,
        outputs: Object.keys(references.outputs),
        environmentVariables: isJsonObject(propertiesOf(job).environmentVariables)
          ? (propertiesOf(job).environmentVariables as Record<string, string>)
          : undefined,
        environment: references.environment,
        timeoutSeconds: references.timeoutSeconds,
        context: {
          subscriptionId: workspace.id.split("/")[2],
          resourceGroup: workspace.id.split("/")[4],
          workspaceName: textOf(workspace.body.name),
          experimentName: textOf(propertiesOf(job).experimentName ?? "Default"),
        },
      },
      {
        prepare: async (folder: JobWorkspace) => {
          const staging = path.join(folder.root, "downloads");
          const prepared: { code?: string; data: Record<string, string> } = { data: {} };
          if (references.codeUri) {
            const codeDir = path.join(staging, "code");
            await storage.download(storage.locate(references.codeUri), codeDir);
            prepared.code = codeDir;
          }
          for (const [name, source] of Object.entries(references.dataSources)) {
            prepared.data[name] = await storage.download(storage.locate(source.uri, resolveJobOutput), path.join(staging, "inputs", name));
          }
          return prepared;
        },
        finalize: async ({ artifacts: files, outputs }) => {
          // The last live copy must not land after the final one.
          await logUpload.stop();
          await storage.upload(
            artifacts,
            files.map((file) => ({ relativePath: file.artifactPath, localPath: file.localPath })),
          );
          for (const [name, files] of Object.entries(outputs)) {
            const uri = references.outputs[name];
            if (uri)
              await storage.upload(
                storage.locate(uri),
                files.map((file) => ({ relativePath: file.artifactPath, localPath: file.localPath })),
              );
          }
        },
      },
    );
    run.on("status", (event) => this.update(jobId, workspace.id, event.status, run.snapshot()));
    run.on("log", () => logUpload.poke());
    void run.wait().then(async () => {
      await logUpload.stop();
      this.logUploads.delete(logUpload);
    });
    // Queued was reported inside submit(), before this listener.
    this.update(jobId, workspace.id, run.status, run.snapshot());
    void run
      .wait()
      .then((snapshot) =>
        this.settings.log(
          "info",
          `job ${jobName} in ${textOf(workspace.body.name)}: ${snapshot.status}${snapshot.error ? ` (${snapshot.error.message})` : ""}`,
        ),
      );
    return run;
  }

  /** Asks job `jobName` to stop; false when it is not running here. */
  cancel(job: StoredResource, workspaceId: string): boolean {
    this.settings.store.put({ ...job, secrets: { ...job.secrets, run: stateJson({ ...runStateOf(job), cancelRequested: true }) } });
    return this.runner(workspaceId).cancel(textOf(job.body.name));
  }

  /** Resolves once the job has ended (at once when it is not running here). */
  async waitFor(workspaceId: string, jobName: string): Promise<void> {
    await this.runner(workspaceId).get(jobName)?.wait();
  }

  isActive(workspaceId: string, jobName: string): boolean {
    const run = this.runner(workspaceId).get(jobName);
    return run !== undefined && !run.isTerminal;
  }

  /** A job the engine no longer runs (after a restart, or a cancel before it started) ends Canceled here. */
  markCanceled(job: StoredResource, workspaceId: string): void {
    this.update(job.id, workspaceId, "Canceled", { name: textOf(job.body.name), status: "Canceled", endTime: new Date() });
  }

  /**
   * After a restart: no process survived, so a job that was still going ends Failed (its
   * compute was lost, as when an Azure node goes away); every job's run is served again, with
   * its log from the job's folder when that is still there.
   */
  recover(): void {
    for (const job of this.settings.store.ofType(jobType)) {
      const workspaceId = job.id.slice(0, job.id.toLowerCase().lastIndexOf("/jobs/"));
      const status = textOf(propertiesOf(job).status) as JobStatus;
      if (!terminalStatuses.includes(status)) {
        const state: RunState = {
          ...runStateOf(job),
          endTimeUtc: new Date().toISOString(),
          error: stoppedError(textOf(job.body.name), status),
        };
        const failed: StoredResource = {
          ...job,
          body: { ...job.body, properties: { ...propertiesOf(job), status: "Failed" } },
          secrets: { ...job.secrets, run: stateJson(state) },
        };
        this.settings.store.put(failed);
        this.publish(failed, workspaceId);
        this.settings.log("warn", `job ${job.id} was ${status} when the local Azure stopped: now Failed`);
      } else {
        this.publish(job, workspaceId);
      }
    }
  }

  /** Ends every running job and waits until each process tree is gone. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.logUploads].map((upload) => upload.stop()));
    await Promise.all([...this.runners.values()].map((runner) => runner.stopAll()));
  }
}
