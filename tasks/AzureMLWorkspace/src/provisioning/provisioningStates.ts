/**
 * What a resource's `provisioningState` says about using it now. ARM's terminal states are
 * Succeeded, Failed and Canceled; everything else (Creating, Updating, Accepted, Provisioning,
 * Deleting, ResolvingDNS, RegisteringDns, ProvisioningAccount…) is an operation still running.
 * A resource without a provisioning state (some types omit it) is ready.
 */
export type Readiness = "ready" | "broken" | "busy";

export function readinessOf(provisioningState: string | undefined): Readiness {
  if (provisioningState === undefined || provisioningState === "") return "ready";
  switch (provisioningState.toLowerCase()) {
    case "succeeded":
      return "ready";
    case "failed":
    case "canceled":
    case "cancelled":
      return "broken";
    default:
      return "busy";
  }
}

interface ErrorShape {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * A 409 that means "wait, another operation on this resource is running": ARM's
 * AnotherOperationInProgress, and the providers that answer a plain Conflict saying the same in
 * words (Azure ML: "another operation on same entity is already running"). Such a request
 * succeeds once the other operation ends, so it is retried like a transient failure.
 * Returns Azure's error code for such an error, else undefined.
 */
export function busyConflictCode(error: unknown): string | undefined {
  if (!error || typeof error !== "object") return undefined;
  // Our own one-sentence errors keep what Azure threw as their cause.
  const cause = (error as { cause?: unknown }).cause;
  const fromCause = cause !== error ? busyConflictCode(cause) : undefined;
  if (fromCause) return fromCause;
  const { statusCode, code, message } = error as ErrorShape;
  if (statusCode !== 409) return undefined;
  if (code === "AnotherOperationInProgress" || code === "OperationInProgress") return code;
  return /another operation\b.*\b(in progress|already running|pending)/i.test(message ?? "") ? (code ?? "Conflict") : undefined;
}
