import type { OnlineEndpointSpec } from "../../../common/src/azureml/onlineEndpointFile";
import { InputError } from "../../../common/src/errors/inputError";
import type { OnlineEndpointGateway } from "../online/onlineEndpointGateway";
import { OnlineRollout, type OnlineEndpointKind, type OnlineOutcome, type OnlineRolloutDependencies } from "../online/onlineRollout";
import type { OnlineDeploySettings } from "../settings/deploySettings";
import type { DeploymentStrategy } from "./deploymentStrategy";

/** The compute type Azure ML gives a Kubernetes cluster attached for online endpoints (not the older "AKS"). */
export const kubernetesComputeType = "Kubernetes";

/**
 * An online endpoint on a Kubernetes cluster attached to the workspace: a new endpoint names the
 * attached compute in its file, and that compute must exist and be of type Kubernetes.
 */
export class KubernetesOnlineStrategy implements DeploymentStrategy, OnlineEndpointKind {
  readonly kind = "kubernetes" as const;
  readonly label = "Kubernetes online endpoint";

  constructor(
    private readonly settings: OnlineDeploySettings,
    private readonly dependencies: OnlineRolloutDependencies,
  ) {}

  async newEndpointCompute(
    spec: OnlineEndpointSpec | undefined,
    endpointName: string,
    context: { endpoints: OnlineEndpointGateway; workspaceId: string; workspaceName: string },
  ): Promise<string> {
    const reference = spec?.compute;
    if (!spec || !reference) {
      throw new InputError(
        `Endpoint '${endpointName}' does not exist, and a Kubernetes endpoint is created from an endpoint file that names its compute: set input 'endpointFile' (with compute: azureml:<attached compute>).`,
      );
    }
    const name = reference.kind === "resource" || reference.kind === "armId" ? reference.name : reference.text;
    const where = `Endpoint file ${spec.file} names compute '${name}'`;
    const compute = await context.endpoints.getCompute(name);
    if (!compute) throw new InputError(`${where}, which is not attached to workspace '${context.workspaceName}'; attach the Kubernetes cluster first.`);
    if (compute.computeType !== kubernetesComputeType) {
      throw new InputError(
        `${where}, which is a compute of type ${compute.computeType}, not an attached Kubernetes compute; Kubernetes online endpoints run on type Kubernetes only.`,
      );
    }
    if (compute.provisioningState && compute.provisioningState !== "Succeeded") {
      throw new InputError(`${where}, which is ${compute.provisioningState}; it must be Succeeded before an endpoint can use it.`);
    }
    return reference.kind === "armId" ? reference.id : compute.id || `${context.workspaceId}/computes/${name}`;
  }

  deploy(): Promise<OnlineOutcome> {
    return new OnlineRollout(this.settings, this.dependencies, this).run();
  }
}
