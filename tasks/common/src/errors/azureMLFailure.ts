import { redactSecrets } from "./redact";

/** The error Azure ML reports on a failed job or deployment (RunDetails.error.error, JobBase's error). */
export interface ServiceError {
  code?: string;
  message?: string;
}

// A job's error message may quote a whole traceback; the task's sentence keeps its start.
const LONGEST_MESSAGE = 1000;

/**
 * A job or deployment that Azure ML ran and that failed there: the calls to Azure worked, the
 * work did not. The sentence carries the service's own message and code, e.g.
 * "Job 'brave_lamp_1' failed: Execution failed. User process 'python' exited with status code 1. (UserError)".
 */
export class AzureMLFailure extends Error {
  override readonly name = "AzureMLFailure";

  /**
   * @param subject what failed, as the log names it: "Job 'brave_lamp_1'", "Deployment 'blue' of endpoint 'churn'"
   * @param outcome what happened to it: "failed", "was canceled", "timed out"
   */
  constructor(
    readonly subject: string,
    readonly outcome: string,
    readonly serviceError: ServiceError = {},
  ) {
    super(sentence(subject, outcome, serviceError));
  }
}

function sentence(subject: string, outcome: string, error: ServiceError): string {
  const message = oneLine(redactSecrets(error.message ?? ""));
  const code = error.code?.trim();
  if (!message) return `${subject} ${outcome}${code ? ` (${code})` : ""}; Azure ML gave no error message.`;
  return `${subject} ${outcome}: ${message}${code ? ` (${code})` : ""}`;
}

function oneLine(text: string): string {
  const squeezed = text.replace(/\s+/g, " ").trim();
  return squeezed.length > LONGEST_MESSAGE ? `${squeezed.slice(0, LONGEST_MESSAGE - 1)}…` : squeezed;
}
