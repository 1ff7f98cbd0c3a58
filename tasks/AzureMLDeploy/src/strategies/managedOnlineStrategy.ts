import { OnlineRollout, type OnlineEndpointKind, type OnlineOutcome, type OnlineRolloutDependencies } from "../online/onlineRollout";
import type { OnlineDeploySettings } from "../settings/deploySettings";
import type { DeploymentStrategy } from "./deploymentStrategy";

/** A managed online endpoint: Azure ML runs the deployment's instances; new endpoints need no compute. */
export class ManagedOnlineStrategy implements DeploymentStrategy, OnlineEndpointKind {
  readonly kind = "managed" as const;
  readonly label = "managed online endpoint";

  constructor(
    private readonly settings: OnlineDeploySettings,
    private readonly dependencies: OnlineRolloutDependencies,
  ) {}

  newEndpointCompute(): Promise<undefined> {
    return Promise.resolve(undefined);
  }

  deploy(): Promise<OnlineOutcome> {
    return new OnlineRollout(this.settings, this.dependencies, this).run();
  }
}
