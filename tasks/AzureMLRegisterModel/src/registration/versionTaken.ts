import { AzureOperationError } from "../../../common/src/errors/azureError";

/**
 * Whether creating a version failed because that version exists now: Azure ML answers 409 to a PUT
 * that would change an existing version's files, which is what happens when another run (another
 * pipeline, the same model) took the number between our read of the versions and our write.
 */
export function isVersionTaken(error: unknown): boolean {
  const cause = error instanceof AzureOperationError ? error.cause : error;
  return typeof cause === "object" && cause !== null && (cause as { statusCode?: unknown }).statusCode === 409;
}
