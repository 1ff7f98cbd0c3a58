import { ArmRequestContext } from "../../../arm/armRoute";
import { workspaceId, workspaceTemplate } from "../arm/workspaceIds";

export const onlineEndpointType = "Microsoft.MachineLearningServices/workspaces/onlineEndpoints";
export const onlineDeploymentType = `${onlineEndpointType}/deployments`;
export const onlineEndpointTemplate = `${workspaceTemplate}/onlineEndpoints/{endpointName}`;
export const onlineDeploymentTemplate = `${onlineEndpointTemplate}/deployments/{deploymentName}`;
export const machineLearningNamespace = "Microsoft.MachineLearningServices";

export function onlineEndpointId(context: ArmRequestContext): string {
  return `${workspaceId(context.params)}/onlineEndpoints/${context.params.endpointName}`;
}

export function onlineDeploymentId(context: ArmRequestContext): string {
  return `${onlineEndpointId(context)}/deployments/${context.params.deploymentName}`;
}

/** The endpoint a deployment id lies under. */
export function endpointIdOf(deploymentId: string): string {
  return deploymentId.slice(0, deploymentId.toLowerCase().lastIndexOf("/deployments/"));
}

/** The workspace an endpoint or deployment id lies under. */
export function workspaceIdOf(endpointOrDeploymentId: string): string {
  return endpointOrDeploymentId.slice(0, endpointOrDeploymentId.toLowerCase().lastIndexOf("/onlineendpoints/"));
}

/**
 * Azure ML's naming rule for online endpoints and their deployments (how-to-manage-quotas,
 * "Azure Machine Learning online endpoints and batch endpoints"): a letter first, then letters,
 * digits and hyphens, 3 to 32 characters, not ending with a hyphen.
 */
export function isValidOnlineName(name: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9-]{1,30}[a-zA-Z0-9]$/.test(name);
}
