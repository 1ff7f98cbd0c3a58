import { RunResult } from "./results";

/** What the run did, unit by unit: the log's table and the dependencies' results and outputs come from here. */

export interface StepRecord {
  name: string;
  displayName: string;
  result: RunResult;
  durationMs: number;
  /** Why it failed or was skipped, in one sentence. */
  reason?: string;
}

export interface JobRecord {
  stage: string;
  name: string;
  displayName: string;
  kind: "job" | "deployment";
  result: RunResult;
  durationMs: number;
  steps: StepRecord[];
  /**
   * Output variables as `dependencies.<job>.outputs` holds them: `<step>.<variable>`
   * (deployments: `<job>.<step>.<variable>`), secrets masked; the values themselves only reach
   * the jobs and stages that depend on this one (see `outputValues`).
   */
  outputs: Record<string, string>;
  reason?: string;
}

export interface StageRecord {
  name: string;
  displayName: string;
  result: RunResult;
  durationMs: number;
  jobs: JobRecord[];
  reason?: string;
}

export interface RunSummary {
  result: RunResult;
  durationMs: number;
  stages: StageRecord[];
  /** The run's folder (jobs' work folders, artifacts, step logs); gone unless it was kept. */
  runDirectory: string;
  kept: boolean;
}

const unmaskedOutputs = new WeakMap<JobRecord, Record<string, string>>();

/** Records the real values of a job's outputs, which its record shows masked. */
export function keepOutputValues(job: JobRecord, values: Record<string, string>): void {
  unmaskedOutputs.set(job, values);
}

/** The outputs of a job as dependent jobs and stages read them. */
export function outputValues(job: JobRecord): Record<string, string> {
  return unmaskedOutputs.get(job) ?? job.outputs;
}
