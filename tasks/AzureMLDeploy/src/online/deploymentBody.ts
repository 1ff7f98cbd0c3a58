import type { ContainerResourceSettings, OnlineDeployment, OnlineDeploymentPropertiesUnion, ProbeSettings as RestProbe } from "@azure/arm-machinelearning";
import type { ContainerResources, OnlineDeploymentSpec, ProbeSettings } from "../../../common/src/azureml/onlineDeploymentFile";
import { timedeltaIsoDuration } from "../../../common/src/azure/isoDuration";

/*
 * The OnlineDeployment body of OnlineDeployments_CreateOrUpdate (api-version 2022-10-01) for a
 * deployment file, as azure-ai-ml's ManagedOnlineDeployment / KubernetesOnlineDeployment
 * `_to_rest_object` builds it: code, environment and model as ARM ids, instance count as
 * `sku.capacity` of sku "Default", probe and request durations as ISO 8601 durations of a
 * timedelta (seconds for probes and polling, milliseconds for requests).
 */

/** What the file's references became in the workspace. */
export interface ResolvedDeploymentAssets {
  environmentId: string;
  /** The code version's id; absent when the deployment has no `code_configuration`. */
  codeId?: string;
  /** The model version's id; absent when the deployment serves no model. */
  modelId?: string;
}

function probe(settings: ProbeSettings): RestProbe {
  return {
    failureThreshold: settings.failureThreshold,
    successThreshold: settings.successThreshold,
    timeout: timedeltaIsoDuration(settings.timeout * 1000),
    period: timedeltaIsoDuration(settings.period * 1000),
    initialDelay: timedeltaIsoDuration(settings.initialDelay * 1000),
  };
}

function quantities(resources: ContainerResources): ContainerResourceSettings | undefined {
  const settings: ContainerResourceSettings = {};
  if (resources.cpu !== undefined) settings.cpu = resources.cpu;
  if (resources.memory !== undefined) settings.memory = resources.memory;
  if (resources.gpu !== undefined) settings.gpu = resources.gpu;
  return Object.keys(settings).length > 0 ? settings : undefined;
}

export function deploymentBody(spec: OnlineDeploymentSpec, assets: ResolvedDeploymentAssets, location: string): OnlineDeployment {
  const shared = {
    description: spec.description,
    properties: spec.properties,
    environmentId: assets.environmentId,
    environmentVariables: spec.environmentVariables,
    ...(assets.codeId !== undefined && spec.codeConfiguration
      ? { codeConfiguration: { codeId: assets.codeId, scoringScript: spec.codeConfiguration.scoringScript } }
      : {}),
    ...(assets.modelId !== undefined ? { model: assets.modelId } : {}),
    ...(spec.modelMountPath !== undefined ? { modelMountPath: spec.modelMountPath } : {}),
    appInsightsEnabled: spec.appInsightsEnabled,
    ...(spec.instanceType !== undefined ? { instanceType: spec.instanceType } : {}),
    requestSettings: {
      requestTimeout: timedeltaIsoDuration(spec.requestSettings.requestTimeoutMs),
      maxConcurrentRequestsPerInstance: spec.requestSettings.maxConcurrentRequestsPerInstance,
      maxQueueWait: timedeltaIsoDuration(spec.requestSettings.maxQueueWaitMs),
    },
    livenessProbe: probe(spec.livenessProbe),
    readinessProbe: probe(spec.readinessProbe),
    scaleSettings:
      spec.scaleSettings.type === "default"
        ? { scaleType: "Default" as const }
        : {
            scaleType: "TargetUtilization" as const,
            minInstances: spec.scaleSettings.minInstances,
            maxInstances: spec.scaleSettings.maxInstances,
            pollingInterval: timedeltaIsoDuration(spec.scaleSettings.pollingInterval * 1000),
            targetUtilizationPercentage: spec.scaleSettings.targetUtilizationPercentage,
          },
  };
  let properties: OnlineDeploymentPropertiesUnion;
  if (spec.kind === "managed") {
    properties = {
      ...shared,
      endpointComputeType: "Managed",
      egressPublicNetworkAccess: spec.egressPublicNetworkAccess === "disabled" ? "Disabled" : "Enabled",
    };
  } else {
    const limits = spec.resources ? quantities(spec.resources.limits) : undefined;
    const requests = spec.resources ? quantities(spec.resources.requests) : undefined;
    properties = {
      ...shared,
      endpointComputeType: "Kubernetes",
      ...(limits || requests
        ? {
            containerResourceRequirements: {
              ...(limits ? { containerResourceLimits: limits } : {}),
              ...(requests ? { containerResourceRequests: requests } : {}),
            },
          }
        : {}),
    };
  }
  return {
    location,
    ...(Object.keys(spec.tags).length > 0 ? { tags: spec.tags } : {}),
    properties,
    sku: { name: "Default", ...(spec.instanceCount !== undefined ? { capacity: spec.instanceCount } : {}) },
  };
}
