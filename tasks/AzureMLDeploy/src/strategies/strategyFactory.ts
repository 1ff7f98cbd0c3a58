import type { OnlineRolloutDependencies } from "../online/onlineRollout";
import type { DeploySettings } from "../settings/deploySettings";
import type { DeploymentStrategy } from "./deploymentStrategy";
import { KubernetesOnlineStrategy } from "./kubernetesOnlineStrategy";
import { ManagedOnlineStrategy } from "./managedOnlineStrategy";

/** Everything a strategy may need; each takes what its target uses. */
export interface StrategyDependencies {
  online: () => OnlineRolloutDependencies;
}

/** The strategy for input 'target' (as azure-pipelines-tasks' DeploymentFactory picks a provider per deployment kind). */
export function createDeploymentStrategy(settings: DeploySettings, dependencies: StrategyDependencies): DeploymentStrategy {
  switch (settings.target) {
    case "managedOnlineEndpoint":
      return new ManagedOnlineStrategy(settings, dependencies.online());
    case "kubernetesOnlineEndpoint":
      return new KubernetesOnlineStrategy(settings, dependencies.online());
    case "dockerContext":
      throw new Error("The dockerContext target is not available in this build of the task.");
  }
}
