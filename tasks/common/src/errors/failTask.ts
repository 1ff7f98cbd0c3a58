import * as tl from "azure-pipelines-task-lib/task";

/**
 * Ends the task as Failed with one sentence. Errors we raise already carry that sentence;
 * anything unexpected keeps its message, and its stack goes to the debug log only.
 */
export function failTask(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.stack) tl.debug(error.stack);
  tl.setResult(tl.TaskResult.Failed, message || "The task failed without a message.");
}
