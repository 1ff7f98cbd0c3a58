import type { JobBase } from "@azure/arm-machinelearning";
import { RestError } from "@azure/core-rest-pipeline";
import type { AzureSession } from "../azure/azureSession";
import { MachineLearningControlPlane, type WorkspaceScope } from "../azure/clients/machineLearningControlPlane";
import { MachineLearningDataPlane, type RunDetails } from "../azure/clients/machineLearningDataPlane";
import { AzureOperationError, describing, isNotFound } from "../errors/azureError";
import type { FollowOptions, JobEvent, JobGateway, JobOutputState, JobState } from "./jobGateway";
import { isActiveJobStatus, logFilesToStream, LogTail, pollingDelayMs } from "./logStream";

export interface AzureJobGatewayOptions {
  /** Waits between polls; resolves early when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /** Bounds of the wait between polls (default 2 s to 10 s). */
  polling?: { minMs?: number; maxMs?: number };
}

/**
 * Jobs on Azure ML: the job resource through the control plane (ARM), its progress and logs
 * through run history (the data plane), the way `az ml job create` and `az ml job stream` do.
 * Every failed call ends in one sentence naming the job (AzureOperationError).
 */
export class AzureJobGateway implements JobGateway {
  private readonly controlPlane: MachineLearningControlPlane;
  private dataPlane: Promise<MachineLearningDataPlane> | undefined;
  private readonly sleep: NonNullable<AzureJobGatewayOptions["sleep"]>;
  private readonly now: () => number;

  constructor(
    private readonly session: AzureSession,
    private readonly workspace: WorkspaceScope,
    private readonly options: AzureJobGatewayOptions = {},
  ) {
    this.controlPlane = new MachineLearningControlPlane(session, workspace);
    this.sleep = options.sleep ?? abortableSleep;
    this.now = options.now ?? Date.now;
  }

  async submit(name: string, job: JobBase): Promise<JobState> {
    const created = await describing(`Submitting job '${name}' to workspace '${this.workspace.name}'`, () => this.controlPlane.createJob(name, job));
    return toJobState(created, name);
  }

  async get(name: string): Promise<JobState | undefined> {
    const job = await describing(`Reading job '${name}'`, () => this.controlPlane.getJob(name));
    if (!job) return undefined;
    const state = toJobState(job, name);
    // A canceled job has its reason there too (e.g. its limits.timeout passed).
    if (state.status === "Failed" || state.status === "Canceled") state.error = await this.failureOf(name);
    return state;
  }

  async cancel(name: string): Promise<void> {
    await describing(`Cancelling job '${name}'`, () => this.controlPlane.cancelJob(name));
  }

  async *follow(name: string, options: FollowOptions = {}): AsyncGenerator<JobEvent> {
    const { signal } = options;
    // Only whether the job exists and its type: its error, if any, comes with the run details below.
    const found = await describing(`Reading job '${name}'`, () => this.controlPlane.getJob(name));
    const job = found && toJobState(found, name);
    if (!job) {
      throw new AzureOperationError(`Following job '${name}'`, new RestError(`It does not exist in workspace '${this.workspace.name}'.`, { statusCode: 404 }));
    }
    const dataPlane = await this.dataPlaneClient();
    const tail = new LogTail();
    const started = this.now();
    let lastStatus: string | undefined;
    while (!signal?.aborted) {
      const details = await describing(`Reading the progress of job '${name}'`, () => runDetailsOrPending(dataPlane, name));
      const status = details.status;
      if (status !== undefined && status !== lastStatus) {
        lastStatus = status;
        yield { type: "status", status };
      }
      const ended = !isActiveJobStatus(status);
      yield* this.newLogLines(dataPlane, details, tail, job.jobType, ended);
      if (ended) {
        for (const message of details.warnings) yield { type: "warning", message };
        return;
      }
      await this.sleep(pollingDelayMs(this.now() - started, this.options.polling), signal);
    }
  }

  private async *newLogLines(
    dataPlane: MachineLearningDataPlane,
    details: RunDetails,
    tail: LogTail,
    jobType: string | undefined,
    final: boolean,
  ): AsyncGenerator<JobEvent> {
    for (const file of logFilesToStream(Object.keys(details.logFiles), jobType)) {
      let text: string;
      try {
        text = await dataPlane.downloadText(details.logFiles[file]);
      } catch (error) {
        // A log read that fails while the job runs is tried again at the next poll.
        if (final) yield { type: "warning", message: `Could not read the job's log file '${file}': ${error instanceof Error ? error.message : String(error)}` };
        continue;
      }
      const started = tail.has(file);
      const lines = tail.newLines(file, text, final);
      if (lines.length > 0 && !started) yield { type: "logFile", file };
      for (const line of lines) yield { type: "line", file, text: line };
    }
  }

  /** The service's error of a failed or canceled job, from run history; none when that cannot be read. */
  private async failureOf(name: string): Promise<JobState["error"]> {
    try {
      return (await (await this.dataPlaneClient()).runDetails(name)).error;
    } catch {
      return undefined;
    }
  }

  private dataPlaneClient(): Promise<MachineLearningDataPlane> {
    this.dataPlane ??= describing(`Reading Azure ML workspace '${this.workspace.name}'`, async () => {
      const workspace = await this.controlPlane.getWorkspace();
      if (!workspace)
        throw new RestError(`It does not exist in resource group '${this.workspace.resourceGroup}'.`, { statusCode: 404, code: "ResourceNotFound" });
      if (!workspace.discoveryUrl) throw new RestError("Azure gave no discovery URL for it.", { code: "NoDiscoveryUrl" });
      return new MachineLearningDataPlane(this.session, { ...this.workspace, discoveryUrl: workspace.discoveryUrl });
    }).catch((error: unknown) => {
      this.dataPlane = undefined;
      throw error;
    });
    return this.dataPlane;
  }
}

// Right after submission, run history may not know the run yet.
async function runDetailsOrPending(dataPlane: MachineLearningDataPlane, runId: string): Promise<RunDetails> {
  try {
    return await dataPlane.runDetails(runId);
  } catch (error) {
    if (isNotFound(error)) return { status: "NotStarted", logFiles: {}, warnings: [] };
    throw error;
  }
}

function toJobState(job: JobBase, fallbackName: string): JobState {
  const properties = job.properties;
  const services = properties.services ?? {};
  const studio = Object.entries(services).find(([key]) => key.toLowerCase() === "studio")?.[1];
  return {
    name: job.name ?? fallbackName,
    status: properties.status ?? "Unknown",
    jobType: properties.jobType,
    displayName: properties.displayName,
    experimentName: properties.experimentName,
    studioUrl: studio?.endpoint,
    outputs: outputsOf(properties),
  };
}

function outputsOf(properties: JobBase["properties"]): Record<string, JobOutputState> {
  const outputs = (properties as { outputs?: Record<string, { jobOutputType?: string; uri?: string } | null> }).outputs ?? {};
  const states: Record<string, JobOutputState> = {};
  for (const [name, output] of Object.entries(outputs)) {
    if (output) states[name] = { type: output.jobOutputType, uri: output.uri };
  }
  return states;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
