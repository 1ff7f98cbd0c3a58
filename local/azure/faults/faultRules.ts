export type FaultKind = "throttle" | "internalError" | "serviceUnavailable" | "dropConnection" | "slowOperation" | "failOperation";

/**
 * "arm": Resource Manager and the Azure ML control plane; "identity": Entra, managed identity, Azure
 * DevOps OIDC; "azureml": the Azure ML data plane (run history, discovery, signed file URLs).
 */
export type FaultTarget = "arm" | "identity" | "azureml";

export interface FaultRule {
  kind: FaultKind;
  /** Probability (0–1) that a matching request gets the fault; default 1. */
  rate?: number;
  /** Only requests for this swagger operation id, e.g. "StorageAccounts_Create" or "Workspaces_CreateOrUpdate". */
  operationId?: string;
  method?: string;
  /** Only paths containing this text (case-insensitive). */
  pathContains?: string;
  /** Default "arm". */
  target?: FaultTarget;
  /** Stop after this many injections. */
  times?: number;
  /** For throttle and serviceUnavailable; default 1. */
  retryAfterSeconds?: number;
  /**
   * For internalError and dropConnection: process the request first (state changes) and lose the
   * answer, as when a gateway fails after the resource provider acted.
   */
  afterProcessing?: boolean;
  /** For slowOperation: extra seconds the long-running operation takes; default 5. */
  extraSeconds?: number;
}

export interface FaultSettings {
  /** Seed of the random draws, so a run with rates is reproducible; default 1. */
  seed?: number;
  rules: FaultRule[];
}

export const transportFaultKinds: readonly FaultKind[] = ["throttle", "internalError", "serviceUnavailable", "dropConnection"];
export const operationFaultKinds: readonly FaultKind[] = ["slowOperation", "failOperation"];

export function isFaultSettings(value: unknown): value is FaultSettings {
  if (typeof value !== "object" || value === null) return false;
  const rules = (value as { rules?: unknown }).rules;
  if (!Array.isArray(rules)) return false;
  const kinds: readonly string[] = [...transportFaultKinds, ...operationFaultKinds];
  return rules.every((rule: unknown) => typeof rule === "object" && rule !== null && kinds.includes(String((rule as { kind?: unknown }).kind)));
}
