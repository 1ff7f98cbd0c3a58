import { isJsonObject, JsonObject, JsonValue } from "../../../state/json";
import { isoDurationSeconds } from "../isoDuration";

/** A probe as Azure ML fills it in (reference-yaml-deployment-managed-online.md, ProbeSettings). */
const defaultProbe: JsonObject = { initialDelay: "PT10S", period: "PT10S", timeout: "PT2S", successThreshold: 1, failureThreshold: 30 };
const defaultRequestSettings: JsonObject = { requestTimeout: "PT5S", maxConcurrentRequestsPerInstance: 1, maxQueueWait: "PT0.5S" };
const kubernetesScaleSettings: JsonObject = {
  scaleType: "TargetUtilization",
  minInstances: 1,
  maxInstances: 1,
  pollingInterval: "PT1S",
  targetUtilizationPercentage: 70,
};

function objectOr(value: JsonValue | undefined, fallback: JsonObject): JsonObject {
  return isJsonObject(value) ? { ...fallback, ...value } : { ...fallback };
}

/** The deployment's properties with what the service fills in when they are left out. */
export function withDeploymentDefaults(properties: JsonObject): JsonObject {
  const kubernetes = properties.endpointComputeType === "Kubernetes";
  const scaleSettings = isJsonObject(properties.scaleSettings)
    ? properties.scaleSettings.scaleType === "TargetUtilization"
      ? { ...kubernetesScaleSettings, ...properties.scaleSettings }
      : properties.scaleSettings
    : kubernetes
      ? kubernetesScaleSettings
      : { scaleType: "Default" };
  return {
    description: null,
    properties: {},
    environmentVariables: {},
    appInsightsEnabled: false,
    egressPublicNetworkAccess: "Enabled",
    ...properties,
    scaleSettings,
    requestSettings: objectOr(properties.requestSettings, defaultRequestSettings),
    livenessProbe: objectOr(properties.livenessProbe, defaultProbe),
    readinessProbe: objectOr(properties.readinessProbe, defaultProbe),
  };
}

function seconds(value: JsonValue | undefined, fallback: number): number {
  return typeof value === "string" ? (isoDurationSeconds(value) ?? fallback) : fallback;
}

function count(value: JsonValue | undefined, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * How long a new container may take to become ready before the deployment fails: the readiness
 * probe's initial delay plus `failureThreshold` failed probes, one every `period`.
 */
export function readinessDeadlineMs(properties: JsonObject): number {
  const probe = objectOr(properties.readinessProbe, defaultProbe);
  return (seconds(probe.initialDelay, 10) + seconds(probe.period, 10) * count(probe.failureThreshold, 30)) * 1000;
}

/** What the endpoint enforces in front of a deployment (how-to-troubleshoot-online-endpoints: 408 and 429). */
export interface ServingLimits {
  requestTimeoutMs: number;
  /** 2 × maxConcurrentRequestsPerInstance × instance count. */
  maxInFlight: number;
}

export function servingLimits(body: JsonObject): ServingLimits {
  const properties = isJsonObject(body.properties) ? body.properties : {};
  const request = objectOr(properties.requestSettings, defaultRequestSettings);
  const scale = isJsonObject(properties.scaleSettings) ? properties.scaleSettings : {};
  const sku = isJsonObject(body.sku) ? body.sku : {};
  const instances = scale.scaleType === "TargetUtilization" ? count(scale.minInstances, 1) : count(sku.capacity, 1);
  return {
    requestTimeoutMs: seconds(request.requestTimeout, 5) * 1000,
    maxInFlight: 2 * count(request.maxConcurrentRequestsPerInstance, 1) * instances,
  };
}
