import type { OnlineRolloutDependencies } from "../online/onlineRollout";
import type { DeploySettings } from "../settings/deploySettings";
import type { DeploymentStrategy } from "./deploymentStrategy";
import { DockerContextStrategy, type DockerContextDependencies } from "./dockerContextStrategy";
import { KubernetesOnlineStrategy } from "./kubernetesOnlineStrategy";
import { ManagedOnlineStrategy } from "./managedOnlineStrategy";

/** Everything a strategy may need; each target's built only when that target is chosen. */
export interface StrategyDependencies {
  online: () => OnlineRolloutDependencies;
  dockerContext: () => DockerContextDependencies;
}

/** The strategy for input 'target' (as azure-pipelines-tasks' DeploymentFactory picks a provider per deployment kind). */
export function createDeploymentStrategy(settings: DeploySettings, dependencies: StrategyDependencies): DeploymentStrategy {
  switch (settings.target) {
    case "managedOnlineEndpoint":
      return new ManagedOnlineStrategy(settings, dependencies.online());
    case "kubernetesOnlineEndpoint":
      return new KubernetesOnlineStrategy(settings, dependencies.online());
    case "dockerContext":
      return new DockerContextStrategy(settings, dependencies.dockerContext());
  }
}
