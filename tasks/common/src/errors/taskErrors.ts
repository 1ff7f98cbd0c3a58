/**
 * How a task fails: every error a task raises on purpose is one of four kinds, and each ends
 * the task (through runTask → failTask) with its message as the one sentence of the failure,
 * scrubbed of secrets, with no stack trace:
 *
 * - InputError: bad input. What the user gave the task (an input, a variable, a file named by
 *   an input) is wrong; the sentence names the input or variable and what it must be. Raised
 *   before any call to Azure, so nothing is half made.
 * - ConfigurationError: bad configuration. A configuration file or YAML the task reads cannot
 *   be used (not found, not valid YAML, a field of the wrong shape, a secret in it); the
 *   sentence names the file, the line where known, and the key.
 * - AzureOperationError: an Azure call failed (refused, not found, throttled past the retries,
 *   unreachable, authentication failed). Raised by `describing(action, call)`; the sentence
 *   names the action, Azure's error code and HTTP status, and the service's message.
 * - AzureMLFailure: the calls worked, but a job or deployment failed inside Azure ML; the
 *   sentence carries the service's own message and error code.
 *
 * Anything else is a defect of the task; it still ends in one sentence (its message), with its
 * stack in the debug log only.
 */
import { ConfigurationError } from "../configuration/configurationErrors";
import { AzureMLFailure } from "./azureMLFailure";
import { AzureOperationError } from "./azureError";
import { InputError } from "./inputError";

export { AzureMLFailure, type ServiceError } from "./azureMLFailure";
export { AzureOperationError, describing, isNotFound } from "./azureError";
export { ConfigurationError } from "../configuration/configurationErrors";
export { InputError } from "./inputError";

export type ErrorKind = "input" | "configuration" | "azure" | "azureml" | "unexpected";

/** Which of the four kinds an error is ("unexpected" for anything a task did not raise on purpose). */
export function errorKind(error: unknown): ErrorKind {
  if (error instanceof InputError) return "input";
  if (error instanceof ConfigurationError) return "configuration";
  if (error instanceof AzureOperationError) return "azure";
  if (error instanceof AzureMLFailure) return "azureml";
  return "unexpected";
}
