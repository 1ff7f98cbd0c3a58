import { ArmError, userError } from "../../../arm/armErrors";

/*
 * Azure ML's refusals around online endpoints. Where the wording was seen in Azure's answers
 * (users' logs quoted in public issues and docs) it is kept; the ones marked "ours" are worded
 * here because no public source shows Azure's text.
 */

/**
 * The shape the inferencing service's validation errors reach ARM callers in (observed): 400
 * BadRequest "The request is invalid.", with an InferencingClientCallFailed detail that carries
 * ASP.NET's validation problem as JSON text.
 */
export function inferencingValidationError(message: string): ArmError {
  const problem = JSON.stringify({ errors: { "": [message] }, title: "One or more validation errors occurred." });
  return new ArmError(400, "BadRequest", "The request is invalid.", [{ code: "InferencingClientCallFailed", message: problem }]);
}

export const onlineErrors = {
  /** Observed (azureml-examples PR #1931, mlops-project-template #29). */
  endpointNameTaken: () =>
    inferencingValidationError("There is already an endpoint with this name, Endpoint name needs to be unique within a region. Try some other name."),
  /** Observed (users' logs of `az ml online-deployment update` after a failed create). */
  deploymentUnrecoverable: (deploymentName: string) =>
    inferencingValidationError(
      `Specified deployment [${deploymentName}] failed during initial provisioning and is in an unrecoverable state. Delete and re-create.`,
    ),
  /** Observed (azure-dev #4037: 404 UserError). */
  deploymentNotFound: (deploymentName: string, endpointName: string, workspaceName: string) =>
    new ArmError(404, "UserError", `Deployment ${deploymentName} not found in endpoint ${endpointName}, workspace ${workspaceName}`),
  /** Ours, worded like the deployment's. */
  endpointNotFound: (endpointName: string, workspaceName: string) =>
    new ArmError(404, "UserError", `Endpoint ${endpointName} not found in workspace ${workspaceName}`),
  /** Ours. */
  invalidName: (kind: "endpoint" | "deployment", name: string) =>
    userError(
      `The ${kind} name '${name}' is not valid: it must begin with a letter, be 3 to 32 characters long, hold only letters, digits and hyphens, and not end with a hyphen.`,
    ),
  /** Ours. */
  trafficAtCreation: () =>
    userError("Traffic cannot be set when an endpoint is created: create the endpoint, create its deployments, then update the endpoint's traffic."),
  /** Ours. */
  trafficUnknownDeployment: (deploymentName: string, endpointName: string) =>
    userError(`Traffic names deployment '${deploymentName}', which does not exist in endpoint '${endpointName}'.`),
  /** Ours. */
  trafficNotPercent: (deploymentName: string, value: string) =>
    userError(`The traffic of deployment '${deploymentName}' is ${value}; traffic values are whole percentages from 0 to 100.`),
  /** Ours. */
  trafficSum: (sum: number) => userError(`Traffic values must sum to 100 (or to 0 to route nothing), not ${sum}.`),
  /** Ours. */
  deleteWithTraffic: (deploymentName: string, percent: number) =>
    userError(`Deployment '${deploymentName}' receives ${percent}% of its endpoint's traffic and cannot be deleted; set its traffic to 0 first.`),
  /** Ours. */
  computeTypeMismatch: (requested: string, endpointType: string, endpointName: string) =>
    userError(`A ${requested} deployment cannot be added to endpoint '${endpointName}', which is a ${endpointType} endpoint.`),
  /** Ours. */
  computeTypeChange: (current: string, requested: string) =>
    userError(`A deployment's endpointComputeType cannot change (from '${current}' to '${requested}'); delete and re-create it.`),
  /** Ours. */
  endpointComputeChange: (current: string) => userError(`An endpoint's compute cannot change (it is '${current}'); delete and re-create the endpoint.`),
  /** Ours. */
  notKubernetesCompute: (computeId: string, workspaceName: string) =>
    userError(`compute '${computeId}' is not an attached Kubernetes compute of workspace '${workspaceName}'.`),
  /** Ours. */
  instanceTypeRequired: () => userError("instanceType is required for a managed online deployment (for example Standard_DS3_v2)."),
  /** Ours. */
  credentialsOfOtherMode: (operation: "keys" | "token", authMode: string, endpointName: string) =>
    userError(
      operation === "keys"
        ? `Endpoint '${endpointName}' uses authMode '${authMode}': it has no keys (use its token).`
        : `Endpoint '${endpointName}' uses authMode '${authMode}': tokens are issued only for 'AMLToken' endpoints.`,
    ),
};

/**
 * The operation error of a deployment whose container never became ready: Azure's code and
 * opening words (ResourceNotReady, "User container has crashed or terminated", the link to the
 * troubleshooting guide), with what happened here in between.
 */
export function resourceNotReady(detail: string): ArmError {
  return new ArmError(
    400,
    "ResourceNotReady",
    `User container has crashed or terminated: ${detail} Please see troubleshooting guide, available here: https://aka.ms/oe-tsg#error-resourcenotready`,
  );
}
