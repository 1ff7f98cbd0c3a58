import { redactSecrets } from "./redact";

/**
 * Turns what an Azure SDK or @azure/identity threw into one sentence for the log: what we were
 * doing, the Azure error code and status, and the service's own message. Never a stack trace,
 * and never a credential the service echoed back.
 */
interface AzureErrorShape {
  name?: string;
  code?: string;
  statusCode?: number;
  message?: string;
}

function asShape(error: unknown): AzureErrorShape {
  if (error && typeof error === "object") return error;
  return { message: String(error) };
}

function firstLines(message: string): string {
  // Identity errors append multi-line troubleshooting text after the service's answer.
  const compact = message
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .slice(0, 2)
    .join(" ");
  return compact.replace(/\s+/g, " ").trim();
}

// @azure/identity's error classes: the credential could not get a token.
const authenticationErrors = new Set(["AuthenticationError", "AuthenticationRequiredError", "AggregateAuthenticationError", "CredentialUnavailableError"]);

export function describeAzureError(action: string, error: unknown): string {
  return redactSecrets(sentence(action, error));
}

function sentence(action: string, error: unknown): string {
  const shape = asShape(error);
  // Scrubbed before the lines are joined and spaces squeezed, which would change a secret's spelling.
  const message = firstLines(redactSecrets(shape.message ?? ""));
  if (shape.name && authenticationErrors.has(shape.name)) {
    // MSAL's own text for an unreachable authority is a bare link; say what it means.
    const unreachable = /^(network_error|endpoints_resolution_error)\b/.exec(message);
    const reason = unreachable ? `the sign-in authority could not be reached (${unreachable[1]})` : message;
    return `${action} failed: authentication failed: ${reason}`;
  }
  const code = shape.code && shape.code !== "REQUEST_SEND_ERROR" ? shape.code : undefined;
  const status = shape.statusCode ? `HTTP ${shape.statusCode}` : undefined;
  const tag = [code, status].filter(Boolean).join(", ");
  return `${action} failed${tag ? ` (${tag})` : ""}: ${message || "no message from Azure"}`;
}

/** ARM answers 404 for a missing resource and for a missing resource group. */
export function isNotFound(error: unknown): boolean {
  return asShape(error).statusCode === 404;
}

/** The read's result, or `undefined` when Azure answers 404; every other failure is the caller's to describe. */
export async function unlessNotFound<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export class AzureOperationError extends Error {
  override readonly name = "AzureOperationError";
  constructor(
    action: string,
    override readonly cause: unknown,
  ) {
    super(describeAzureError(action, cause));
  }
}

/** Runs an Azure call and rethrows its failure as one sentence that names the action. */
export async function describing<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof AzureOperationError) throw error;
    throw new AzureOperationError(action, error);
  }
}
