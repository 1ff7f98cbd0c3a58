import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { repositoryRoot } from "../paths";

/** The swaggers the tasks pin (ARM's and Azure ML's data plane): each entry file, relative to the specification folder. */
export const pinnedSwaggers: readonly string[] = [
  "machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable/2022-10-01/*.json",
  "storage/resource-manager/Microsoft.Storage/stable/2023-05-01/storage.json",
  "keyvault/resource-manager/Microsoft.KeyVault/stable/2023-07-01/keyvault.json",
  "containerregistry/resource-manager/Microsoft.ContainerRegistry/stable/2023-07-01/containerregistry.json",
  "operationalinsights/resource-manager/Microsoft.OperationalInsights/stable/2022-10-01/Workspaces.json",
  "applicationinsights/resource-manager/Microsoft.Insights/stable/2020-02-02/components_API.json",
  "resources/resource-manager/Microsoft.Resources/stable/2024-03-01/resources.json",
  // The Azure ML data plane (run history), which azure-ai-ml's run-history client is generated from.
  "machinelearningservices/data-plane/RunHistory/stable/v1.0/run-history.json",
];

/**
 * The repository's own copy (reference/azure-rest-api-specs/specification, upstream layout so the
 * relative $refs resolve; provenance in reference/SOURCES.md), unless LOCAL_AZURE_SPECIFICATION_DIR
 * points elsewhere.
 */
export function specificationDirectory(): string {
  return process.env.LOCAL_AZURE_SPECIFICATION_DIR ?? resolve(repositoryRoot(), "reference", "azure-rest-api-specs", "specification");
}

/** Files a pinned pattern names; the only wildcard the patterns use is `*` in the file name. */
function filesMatching(directory: string, pattern: string): string[] {
  const folder = join(directory, dirname(pattern));
  if (!existsSync(folder)) return [];
  const name = basename(pattern);
  const expression = new RegExp(
    `^${name
      .split("*")
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
  return readdirSync(folder).filter((file) => expression.test(file));
}

/**
 * Strict mode validates against every pinned swagger or not at all: oav silently loads nothing for
 * a pattern without a file, and every request of that provider would then pass unchecked.
 */
export function assertPinnedSwaggersPresent(directory: string = specificationDirectory()): void {
  const missing = pinnedSwaggers.filter((pattern) => filesMatching(directory, pattern).length === 0);
  if (missing.length > 0) {
    throw new Error(
      `Strict mode needs the pinned swaggers, but ${directory} has no ${missing.join(", no ")}; restore them (see reference/SOURCES.md) or start with strict: false.`,
    );
  }
}
