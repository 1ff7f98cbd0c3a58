import type { ModelVersionInfo } from "../gate/modelVersions";

/**
 * The version a new registration takes: one more than the highest numeric version, archived
 * ones included (their names stay taken), as `az ml model create` numbers a model without a
 * `version`; "1" for a model's first version. Versions that are not numbers are left out.
 */
export function nextVersion(versions: ModelVersionInfo[]): string {
  let highest = 0n;
  for (const { version } of versions) {
    if (/^\d+$/.test(version) && BigInt(version) > highest) highest = BigInt(version);
  }
  return String(highest + 1n);
}

/** Whether an existing version holds the same model: the same files, of the same type. */
export function sameContent(existing: { modelUri?: string; modelType?: string }, modelUri: string, modelType: string): boolean {
  return normalizedUri(existing.modelUri) === normalizedUri(modelUri) && (existing.modelType ?? "custom_model").toLowerCase() === modelType.toLowerCase();
}

// The service may echo a folder URI with or without its trailing slash.
function normalizedUri(uri: string | undefined): string {
  return (uri ?? "").trim().replace(/\/+$/, "");
}
