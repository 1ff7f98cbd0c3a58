import { readFileSync } from "node:fs";

/** Run statuses as run history reports them (azure-ai-ml's RunHistoryConstants). */
export type RunStatus =
  "NotStarted" | "Queued" | "Preparing" | "Provisioning" | "Starting" | "Running" | "Finalizing" | "CancelRequested" | "Completed" | "Failed" | "Canceled";

export interface RunError {
  /** Run history's code: "UserError", "ServiceError", … */
  code: string;
  message: string;
}

/** One run as run history serves it; the jobs work writes these. */
export interface RunRecord {
  runId: string;
  /** ARM id of the workspace the run belongs to: /subscriptions/…/workspaces/{name} (compared case-insensitively). */
  workspaceId: string;
  status: RunStatus;
  /** ISO 8601 UTC. */
  createdTimeUtc?: string;
  startTimeUtc?: string;
  endTimeUtc?: string;
  error?: RunError;
  /** The compute target's name. */
  target?: string;
  /**
   * Log file name (e.g. "user_logs/std_log.txt") → the path of its content in this store
   * (`RunStore.file`). Run history answers each with a fresh signed URL, as Azure answers with SAS URLs.
   */
  logFiles: Record<string, string>;
  tags?: Record<string, string>;
  properties?: Record<string, string>;
}

/** Where the data plane reads runs and the content behind their signed file URLs. */
export interface RunStore {
  run(workspaceId: string, runId: string): RunRecord | undefined;
  /** The bytes of a run's file (a log, an artifact) by its path; undefined when there is none. */
  file(path: string): Buffer | undefined;
}

function runKey(workspaceId: string, runId: string): string {
  return `${workspaceId.toLowerCase()}|${runId}`;
}

/** A RunStore in memory: enough for tests, and for a job runner that keeps its runs for one session. */
export class InMemoryRunStore implements RunStore {
  private readonly runs = new Map<string, RunRecord>();
  private readonly files = new Map<string, Buffer>();
  private readonly linked = new Map<string, string>();

  putRun(run: RunRecord): void {
    this.runs.set(runKey(run.workspaceId, run.runId), run);
  }

  putFile(path: string, content: Buffer | string): void {
    this.linked.delete(path);
    this.files.set(path, typeof content === "string" ? Buffer.from(content) : content);
  }

  /**
   * Serves `path` from a file on this machine, read at each request, so a log is served as it
   * grows; a linked file not written yet reads as empty.
   */
  linkFile(path: string, localPath: string): void {
    this.files.delete(path);
    this.linked.set(path, localPath);
  }

  run(workspaceId: string, runId: string): RunRecord | undefined {
    return this.runs.get(runKey(workspaceId, runId));
  }

  file(path: string): Buffer | undefined {
    const local = this.linked.get(path);
    if (local === undefined) return this.files.get(path);
    try {
      return readFileSync(local);
    } catch {
      return Buffer.alloc(0);
    }
  }
}
