import * as tl from "azure-pipelines-task-lib/task";
import { redactSecrets } from "./redact";

/**
 * Ends the task as Failed with one sentence. Errors we raise already carry that sentence;
 * anything unexpected keeps its message, and its stack goes to the debug log only. Both are
 * scrubbed of secrets first: a message may quote what a service echoed of our request.
 */
export function failTask(error: unknown): void {
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  if (error instanceof Error && error.stack) tl.debug(redactSecrets(error.stack));
  tl.setResult(tl.TaskResult.Failed, message || "The task failed without a message.");
}
