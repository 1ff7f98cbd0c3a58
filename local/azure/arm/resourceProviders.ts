import { ArmRoute } from "./armRoute";
import { ArmServices } from "./armServices";
import { resourceGroupRoutes } from "./resourceGroups";
import { storageAccountRoutes } from "./providers/storageAccounts";
import { keyVaultRoutes } from "./providers/keyVaults";
import { containerRegistryRoutes } from "./providers/containerRegistries";
import { logAnalyticsWorkspaceRoutes } from "./providers/logAnalyticsWorkspaces";
import { applicationInsightsRoutes } from "./providers/applicationInsights";
import { machineLearningWorkspaceRoutes } from "../services/machinelearning/arm/workspaces";
import { computeRoutes } from "../services/machinelearning/arm/computes";
import { datastoreRoutes } from "../services/machinelearning/arm/datastores";
import { machineLearningAssetRoutes } from "../services/machinelearning/arm/machineLearningAssets";
import { jobRoutes } from "../services/machinelearning/jobs/jobRoutes";
import { onlineEndpointRoutes } from "../services/machinelearning/online/endpointRoutes";
import { onlineDeploymentRoutes } from "../services/machinelearning/online/deploymentRoutes";

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
    ...machineLearningAssetRoutes(services),
    ...jobRoutes(services),
    ...onlineEndpointRoutes(services),
    ...onlineDeploymentRoutes(services),
  ];
}
