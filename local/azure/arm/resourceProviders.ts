import { ArmRoute } from "./armRoute";
import { ArmServices } from "./armServices";
import { resourceGroupRoutes } from "./resourceGroups";
import { storageAccountRoutes } from "./providers/storageAccounts";
import { keyVaultRoutes } from "./providers/keyVaults";
import { containerRegistryRoutes } from "./providers/containerRegistries";
import { logAnalyticsWorkspaceRoutes } from "./providers/logAnalyticsWorkspaces";
import { applicationInsightsRoutes } from "./providers/applicationInsights";
import { machineLearningWorkspaceRoutes } from "../machinelearning/workspaces";
import { computeRoutes } from "../machinelearning/computes";
import { datastoreRoutes } from "../machinelearning/datastores";

/** Every resource provider this local ARM hosts, at the api-versions the tasks pin. */
export function allResourceProviderRoutes(services: ArmServices): ArmRoute[] {
  return [
    ...resourceGroupRoutes(services),
    ...storageAccountRoutes(services),
    ...keyVaultRoutes(services),
    ...containerRegistryRoutes(services),
    ...logAnalyticsWorkspaceRoutes(services),
    ...applicationInsightsRoutes(services),
    ...machineLearningWorkspaceRoutes(services),
    ...computeRoutes(services),
    ...datastoreRoutes(services),
  ];
}
