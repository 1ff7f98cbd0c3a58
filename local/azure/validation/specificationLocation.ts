import { resolve } from "node:path";
import { repositoryRoot } from "../paths";

/** The swaggers the tasks pin: each entry file, relative to the specification folder. */
export const pinnedSwaggers: readonly string[] = [
  "machinelearningservices/resource-manager/Microsoft.MachineLearningServices/stable/2022-10-01/*.json",
  "storage/resource-manager/Microsoft.Storage/stable/2023-05-01/storage.json",
  "keyvault/resource-manager/Microsoft.KeyVault/stable/2023-07-01/keyvault.json",
  "containerregistry/resource-manager/Microsoft.ContainerRegistry/stable/2023-07-01/containerregistry.json",
  "operationalinsights/resource-manager/Microsoft.OperationalInsights/stable/2022-10-01/Workspaces.json",
  "applicationinsights/resource-manager/Microsoft.Insights/stable/2020-02-02/components_API.json",
  "resources/resource-manager/Microsoft.Resources/stable/2024-03-01/resources.json",
];

/** ../shared/reference/azure-rest-api-specs/specification next to the repository, unless LOCAL_AZURE_SPECIFICATION_DIR says otherwise. */
export function specificationDirectory(): string {
  return process.env.LOCAL_AZURE_SPECIFICATION_DIR ?? resolve(repositoryRoot(), "..", "shared", "reference", "azure-rest-api-specs", "specification");
}
