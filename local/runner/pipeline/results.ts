/** The result of a step, a job, a stage or the run, as the timeline records it. */
export type RunResult = "Succeeded" | "SucceededWithIssues" | "Failed" | "Canceled" | "Skipped";

const severity: Record<RunResult, number> = { Skipped: 0, Succeeded: 1, SucceededWithIssues: 2, Failed: 3, Canceled: 4 };

/** The worse of two results, as a job's result is the worst of its steps'. */
export function worse(a: RunResult, b: RunResult): RunResult {
  return severity[a] >= severity[b] ? a : b;
}

export function isSuccess(result: RunResult | undefined): boolean {
  return result === "Succeeded" || result === "SucceededWithIssues";
}
