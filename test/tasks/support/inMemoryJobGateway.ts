import * as fs from "node:fs";
import type { JobBase } from "@azure/arm-machinelearning";
import type { ServiceError } from "../../../tasks/common/src/errors/azureMLFailure";
import type { FollowOptions, JobEvent, JobGateway, JobOutputState, JobState } from "../../../tasks/common/src/jobs/jobGateway";
import { isActiveJobStatus } from "../../../tasks/common/src/jobs/logStream";

/** How a submitted job goes: the statuses it passes through, what its log says, how it ends. */
export interface ScriptedJob {
  /** e.g. ["Queued", "Running", "Completed"]; the last is where it stays. */
  statuses: string[];
  /** Printed while the job is Running, file by file. */
  logs?: Record<string, string[]>;
  error?: ServiceError;
  outputs?: Record<string, JobOutputState>;
  /**
   * When the last status is an active one (Running…), the job stays there: following it waits
   * until someone cancels it or the follower stops, as a long job does. Without it, following
   * ends after the script.
   */
  holdLastStatus?: boolean;
}

export interface InMemoryJob {
  submitted: JobBase;
  status: string;
  script: ScriptedJob;
}

/** The in-memory Azure ML's jobs, kept in a JSON file so a task run in a child process and its test share them. */
export interface InMemoryJobsState {
  /** How the next submitted job of a name goes; "*" for any name without its own script. */
  scripts: Record<string, ScriptedJob>;
  jobs: Record<string, InMemoryJob>;
  /** Every call made, in order: submit, get, follow, cancel. */
  calls: Array<{ operation: string; target: string }>;
}

export const jobsStateFileVariable = "IN_MEMORY_JOBS_STATE";

export function emptyJobsState(scripts: Record<string, ScriptedJob> = { "*": { statuses: ["Queued", "Running", "Completed"] } }): InMemoryJobsState {
  return { scripts, jobs: {}, calls: [] };
}

export function readJobsState(file: string): InMemoryJobsState {
  return JSON.parse(fs.readFileSync(file, "utf8")) as InMemoryJobsState;
}

/**
 * A stateful twin of Azure ML's jobs for task tests, in place of AzureJobGateway (its constructor
 * takes and ignores the same arguments). Following a job walks it through its script's statuses
 * at once, printing its log lines while it is Running; cancelling ends it Canceled.
 */
export class InMemoryJobGateway implements JobGateway {
  private readonly file: string;

  // Takes AzureJobGateway's arguments (session, workspace, options), which an in-memory Azure has no use for.
  constructor(...ignored: unknown[]) {
    void ignored;
    const file = process.env[jobsStateFileVariable];
    if (!file) throw new Error(`${jobsStateFileVariable} is not set`);
    this.file = file;
  }

  private update<T>(operation: string, target: string, change: (state: InMemoryJobsState) => T): T {
    const state = readJobsState(this.file);
    state.calls.push({ operation, target });
    try {
      return change(state);
    } finally {
      fs.writeFileSync(this.file, JSON.stringify(state, null, 2));
    }
  }

  async submit(name: string, job: JobBase): Promise<JobState> {
    await Promise.resolve();
    return this.update("submit", name, (state) => {
      if (state.jobs[name]) throw Object.assign(new Error(`A job named '${name}' already exists.`), { statusCode: 409, code: "UserError" });
      const script = state.scripts[name] ?? state.scripts["*"] ?? { statuses: ["Completed"] };
      state.jobs[name] = { submitted: job, status: "NotStarted", script };
      return toState(name, state.jobs[name]);
    });
  }

  async get(name: string): Promise<JobState | undefined> {
    await Promise.resolve();
    return this.update("get", name, (state) => (state.jobs[name] ? toState(name, state.jobs[name]) : undefined));
  }

  async *follow(name: string, options: FollowOptions = {}): AsyncGenerator<JobEvent> {
    await Promise.resolve();
    const job = this.update("follow", name, (state) => state.jobs[name]);
    if (!job) throw Object.assign(new Error(`Job '${name}' does not exist.`), { statusCode: 404 });
    const remaining = isActiveJobStatus(job.status) ? job.script.statuses : [job.status];
    for (const status of remaining) {
      if (options.signal?.aborted) return;
      // A cancel made while following wins over the script.
      const current = readJobsState(this.file).jobs[name];
      const next = current.status === "Canceled" ? "Canceled" : status;
      this.update("status", `${name}=${next}`, (state) => (state.jobs[name].status = next));
      yield { type: "status", status: next };
      if (next === "Running") {
        for (const [file, lines] of Object.entries(job.script.logs ?? {})) {
          yield { type: "logFile", file };
          for (const text of lines) yield { type: "line", file, text };
        }
      }
      if (!isActiveJobStatus(next)) return;
    }
    while (job.script.holdLastStatus === true && !options.signal?.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const status = readJobsState(this.file).jobs[name].status;
      if (!isActiveJobStatus(status)) {
        yield { type: "status", status };
        return;
      }
    }
  }

  async cancel(name: string): Promise<void> {
    await Promise.resolve();
    this.update("cancel", name, (state) => {
      const job = state.jobs[name];
      if (job && isActiveJobStatus(job.status)) job.status = "Canceled";
    });
  }
}

function toState(name: string, job: InMemoryJob): JobState {
  const properties = job.submitted.properties;
  return {
    name,
    status: job.status,
    jobType: properties.jobType,
    displayName: properties.displayName,
    experimentName: properties.experimentName,
    studioUrl: `https://ml.azure.com/runs/${name}`,
    outputs: job.script.outputs ?? {},
    error: job.status === "Failed" ? job.script.error : undefined,
  };
}
