import * as fs from "node:fs";
import * as path from "node:path";
import { quoted } from "../text/printable";
import { JobEnvironment, readEnvironment } from "./environmentField";
import { ModelType } from "./modelFile";
import { lowerKeyword, readOnlineName, snakeKeyword } from "./onlineEndpointFile";
import { readReference } from "./referenceField";
import { AzureMLReference } from "./references";
import { FieldSet, loadYamlFile, YamlField } from "./yamlFields";

/*
 * An online deployment file as `az ml online-deployment create -f` reads it
 * (reference-yaml-deployment-managed-online.md, reference-yaml-deployment-kubernetes-online.md;
 * NOTES §1, §2). `type: kubernetes` makes a Kubernetes deployment; no `type` (or `managed`) a
 * managed one. Defaults are filled in as documented, so the task never guesses them later.
 */

export type OnlineDeploymentKind = "managed" | "kubernetes";

export type DeploymentModel =
  /** azureml:<name>:<version>, azureml:<name>@latest, ARM id, or a registry model */
  { kind: "reference"; reference: AzureMLReference } | InlineModel;

/** A model written inside the deployment: anonymous, so never a name or version. */
export interface InlineModel {
  kind: "inline";
  /** A local file or folder (absolute), or where the model already is. */
  path: AzureMLReference;
  type: ModelType;
  description?: string;
  tags: Record<string, string>;
  properties: Record<string, string>;
  flavors?: Record<string, unknown>;
}

export interface CodeConfiguration {
  /** A local folder (absolute) or a registered code asset. */
  code: AzureMLReference;
  /** As written, relative to `code`. */
  scoringScript: string;
  /** The scoring script on this machine, when `code` is a local folder. */
  scoringScriptPath?: string;
}

export type ScaleSettings =
  | { type: "default" }
  | { type: "target_utilization"; minInstances: number; maxInstances: number; targetUtilizationPercentage: number; pollingInterval: number };

export interface RequestSettings {
  requestTimeoutMs: number;
  maxConcurrentRequestsPerInstance: number;
  /** Deprecated for managed deployments, still sent. */
  maxQueueWaitMs: number;
}

export interface ProbeSettings {
  initialDelay: number;
  period: number;
  timeout: number;
  successThreshold: number;
  failureThreshold: number;
}

/** Kubernetes quantities, as written (`"0.1"`, `"200Mi"`). */
export interface ContainerResources {
  cpu?: string;
  memory?: string;
  gpu?: string;
}

export interface OnlineDeploymentSpec {
  file: string;
  folder: string;
  kind: OnlineDeploymentKind;
  name: string;
  endpointName: string;
  description?: string;
  tags: Record<string, string>;
  properties: Record<string, string>;
  /** Optional for custom containers. */
  model?: DeploymentModel;
  modelMountPath?: string;
  codeConfiguration?: CodeConfiguration;
  environment: JobEnvironment;
  environmentVariables: Record<string, string>;
  /** Required for managed deployments; Kubernetes falls back to the cluster's default instance type. */
  instanceType?: string;
  /** Required for managed deployments and for Kubernetes with `scale_settings.type: default`. */
  instanceCount?: number;
  appInsightsEnabled: boolean;
  scaleSettings: ScaleSettings;
  requestSettings: RequestSettings;
  livenessProbe: ProbeSettings;
  readinessProbe: ProbeSettings;
  /** Managed deployments only (default `enabled`). */
  egressPublicNetworkAccess?: "enabled" | "disabled";
  /** Managed deployments only (experimental in az ml). */
  privateNetworkConnection?: boolean;
  /** Kubernetes deployments only. */
  resources?: { requests: ContainerResources; limits: ContainerResources };
  /** Carried as written. */
  dataCollector?: Record<string, unknown>;
}

const sharedFields = [
  "$schema",
  "name",
  "type",
  "endpoint_name",
  "description",
  "tags",
  "properties",
  "model",
  "model_mount_path",
  "code_configuration",
  "environment",
  "environment_variables",
  "instance_type",
  "instance_count",
  "app_insights_enabled",
  "scale_settings",
  "request_settings",
  "liveness_probe",
  "readiness_probe",
  "data_collector",
  // As `az ml online-deployment show` prints them: accepted back and ignored, as az ml does.
  "id",
  "provisioning_state",
];
const managedFields = [...sharedFields, "egress_public_network_access", "private_network_connection", "creation_context"];
const kubernetesFields = [...sharedFields, "resources"];

/** Documented limit for managed online endpoints (how-to-manage-quotas.md). */
export const maxRequestTimeoutMs = 180000;

export function readOnlineDeploymentFile(file: string, inputName: string): OnlineDeploymentSpec {
  const { origin, folder, root } = loadYamlFile(file, `Input '${inputName}'`, "an online deployment");
  const anyKind = root.fields([...new Set([...managedFields, ...kubernetesFields])]);
  const kind = readKind(anyKind.optional("type"));
  const own = kind === "managed" ? managedFields : kubernetesFields;
  const foreign = anyKind.all().find((entry) => !own.includes(entry.key));
  if (foreign !== undefined) {
    throw foreign.error(
      kind === "managed"
        ? "applies to Kubernetes deployments only; write 'type: kubernetes' for one."
        : "applies to managed deployments only, and this one has 'type: kubernetes'.",
    );
  }
  const fields = root.fields(own);
  const scaleSettings = readScaleSettings(fields.optional("scale_settings"), kind);
  const instanceCountField = fields.optional("instance_count");
  if (instanceCountField === undefined && (kind === "managed" || scaleSettings.type === "default")) {
    fields.required("instance_count", kind === "managed" ? "" : " with 'scale_settings.type: default'");
  }
  const instanceTypeField = kind === "managed" ? fields.required("instance_type") : fields.optional("instance_type");
  const dataCollector = fields.optional("data_collector");
  if (dataCollector !== undefined) dataCollector.entries();
  const spec: OnlineDeploymentSpec = {
    file: origin.file,
    folder,
    kind,
    name: readOnlineName(fields.required("name"), "deployment"),
    endpointName: readOnlineName(fields.required("endpoint_name"), "endpoint"),
    description: fields.optional("description")?.text(),
    tags: fields.optional("tags")?.textMap() ?? {},
    properties: fields.optional("properties")?.textMap() ?? {},
    model: readModel(fields.optional("model"), folder),
    modelMountPath: fields.optional("model_mount_path")?.nonEmptyText(),
    codeConfiguration: readCodeConfiguration(fields.optional("code_configuration"), folder),
    environment: readEnvironment(fields.required("environment"), folder),
    environmentVariables: fields.optional("environment_variables")?.textMap() ?? {},
    instanceType: instanceTypeField?.nonEmptyText(),
    instanceCount: instanceCountField?.integer(1),
    appInsightsEnabled: fields.optional("app_insights_enabled")?.boolean() ?? false,
    scaleSettings,
    requestSettings: readRequestSettings(fields.optional("request_settings"), kind),
    livenessProbe: readProbe(fields.optional("liveness_probe"), kind === "managed"),
    readinessProbe: readProbe(fields.optional("readiness_probe"), false),
    egressPublicNetworkAccess: kind === "managed" ? readEgress(fields.optional("egress_public_network_access")) : undefined,
    privateNetworkConnection: fields.optional("private_network_connection")?.boolean(),
    resources: kind === "kubernetes" ? readResources(fields.optional("resources")) : undefined,
    dataCollector: dataCollector?.value as Record<string, unknown> | undefined,
  };
  if (kind === "kubernetes") refuseRegistryAssets(spec, fields);
  return spec;
}

function readEgress(field: YamlField | undefined): "enabled" | "disabled" {
  return field === undefined ? "enabled" : lowerKeyword(field, ["enabled", "disabled"] as const);
}

/*
 * az ml tells the two kinds apart by `type == "kubernetes"` exactly; any other spelling of it
 * (`Kubernetes`) passes its schema yet makes a managed deployment. Refused here rather than
 * silently deployed to the wrong place.
 */
function readKind(field: YamlField | undefined): OnlineDeploymentKind {
  if (field === undefined) return "managed";
  if (field.value === "kubernetes") return "kubernetes";
  const kind = snakeKeyword(field, ["managed", "kubernetes"] as const);
  if (kind === "kubernetes") {
    throw field.error("must be written 'kubernetes', in lower case: az ml reads any other spelling as a managed deployment.");
  }
  return kind;
}

/** azure-ai-ml refuses registry models and environments in Kubernetes deployments (exit_if_registry_assets). */
function refuseRegistryAssets(spec: OnlineDeploymentSpec, fields: FieldSet): void {
  const uses = [
    { key: "model", reference: spec.model?.kind === "reference" ? spec.model.reference : undefined },
    { key: "environment", reference: spec.environment.kind === "reference" ? spec.environment.reference : undefined },
  ];
  for (const { key, reference } of uses) {
    if (reference?.kind === "registryAsset") {
      throw fields.required(key).error("names a registry asset; Kubernetes online deployments take workspace assets only.");
    }
  }
}

const inlineModelFields = ["name", "version", "path", "type", "description", "tags", "properties", "flavors", "stage", "$schema"];

function readModel(field: YamlField | undefined, folder: string): DeploymentModel | undefined {
  if (field === undefined) return undefined;
  if (field.type === "text") {
    const reference = readReference(field, folder, ["assetVersion", "assetLabel", "armId", "registryAsset", "resource"]);
    if (reference.kind === "resource") {
      throw field.error(
        `names the model '${reference.name}' without a version; write azureml:${reference.name}:<version> or azureml:${reference.name}@latest.`,
      );
    }
    if (reference.kind === "registryAsset" && reference.collection !== "models") throw field.error(`points at registry ${reference.collection}, not models.`);
    if (reference.kind === "armId" && reference.collection.toLowerCase() !== "models")
      throw field.error(`is a resource id of '${reference.collection}', not of a model.`);
    return { kind: "reference", reference };
  }
  const fields = field.fields(inlineModelFields, "a model reference (text) or an inline model (a mapping)");
  for (const key of ["name", "version"]) {
    const written = fields.optional(key);
    if (written !== undefined) {
      throw written.error("is not allowed in an inline model, which is anonymous; register the model and write azureml:<name>:<version>, or drop the field.");
    }
  }
  const flavors = fields.optional("flavors");
  if (flavors !== undefined) flavors.entries("a mapping of flavour names to settings");
  return {
    kind: "inline",
    path: readReference(fields.required("path"), folder, [
      "localPath",
      "assetVersion",
      "armId",
      "datastorePath",
      "jobOutput",
      "registryAsset",
      "mlflowRun",
      "storageUrl",
    ]),
    type: fields.optional("type")?.oneOf(["custom_model", "mlflow_model", "triton_model"] as const) ?? "custom_model",
    description: fields.optional("description")?.text(),
    tags: fields.optional("tags")?.textMap() ?? {},
    properties: fields.optional("properties")?.textMap() ?? {},
    flavors: flavors?.value as Record<string, unknown> | undefined,
  };
}

/** `scoring_script` is relative to `code` (NOTES §1); a local one must be there before anything is uploaded. */
function readCodeConfiguration(field: YamlField | undefined, folder: string): CodeConfiguration | undefined {
  if (field === undefined) return undefined;
  const fields = field.fields(["code", "scoring_script"]);
  const code = readReference(fields.required("code"), folder, ["localPath", "assetVersion", "armId"], "folder");
  const scriptField = fields.required("scoring_script");
  const scoringScript = scriptField.nonEmptyText();
  if (path.isAbsolute(scoringScript)) throw scriptField.error("is an absolute path; it must be relative to 'code_configuration.code'.");
  if (code.kind !== "localPath") return { code, scoringScript };
  const scoringScriptPath = path.resolve(code.path, scoringScript);
  const relative = path.relative(code.path, scoringScriptPath);
  if (relative.startsWith("..") || path.isAbsolute(relative)) {
    throw scriptField.error("leaves the 'code_configuration.code' folder; the scoring script must be inside it, as only that folder is uploaded.");
  }
  let stats: fs.Stats;
  try {
    stats = fs.statSync(scoringScriptPath);
  } catch {
    throw scriptField.error(`names ${quoted(scoringScript)}, which is not in the code folder ${quoted(code.path)}.`);
  }
  if (!stats.isFile()) throw scriptField.error(`names ${quoted(scoringScriptPath)}, which is not a file.`);
  return { code, scoringScript, scoringScriptPath };
}

function readScaleSettings(field: YamlField | undefined, kind: OnlineDeploymentKind): ScaleSettings {
  const fallback = kind === "managed" ? "default" : "target_utilization";
  if (field === undefined) return defaultScale(fallback);
  const fields = field.fields(["type", "min_instances", "max_instances", "target_utilization_percentage", "polling_interval"]);
  const typeField = fields.optional("type");
  const type =
    typeField === undefined ? fallback : snakeKeyword(typeField, kind === "managed" ? (["default"] as const) : (["default", "target_utilization"] as const));
  if (type === "default") {
    const extra = fields.all().find((entry) => entry.key !== "type" && entry.value !== null);
    if (extra !== undefined) throw extra.error("goes only with 'scale_settings.type: target_utilization'.");
    return { type };
  }
  const settings = defaultScale("target_utilization");
  if (settings.type !== "target_utilization") return settings;
  settings.minInstances = fields.optional("min_instances")?.integer(0) ?? settings.minInstances;
  const maxField = fields.optional("max_instances");
  settings.maxInstances = maxField?.integer(1) ?? settings.maxInstances;
  if (settings.maxInstances < settings.minInstances) {
    throw (maxField ?? field).error(`is ${settings.maxInstances}, below 'min_instances' (${settings.minInstances}).`);
  }
  const percentField = fields.optional("target_utilization_percentage");
  settings.targetUtilizationPercentage = percentField?.integer(1) ?? settings.targetUtilizationPercentage;
  if (percentField !== undefined && settings.targetUtilizationPercentage > 100) throw percentField.error("must be at most 100 (percent).");
  settings.pollingInterval = fields.optional("polling_interval")?.integer(1) ?? settings.pollingInterval;
  return settings;
}

function defaultScale(type: ScaleSettings["type"]): ScaleSettings {
  if (type === "default") return { type };
  return { type, minInstances: 1, maxInstances: 1, targetUtilizationPercentage: 70, pollingInterval: 1 };
}

function readRequestSettings(field: YamlField | undefined, kind: OnlineDeploymentKind): RequestSettings {
  const settings: RequestSettings = { requestTimeoutMs: 5000, maxConcurrentRequestsPerInstance: 1, maxQueueWaitMs: 500 };
  if (field === undefined) return settings;
  const fields = field.fields(["request_timeout_ms", "max_concurrent_requests_per_instance", "max_queue_wait_ms"]);
  const timeoutField = fields.optional("request_timeout_ms");
  if (timeoutField !== undefined) {
    settings.requestTimeoutMs = timeoutField.integer(1);
    // The documented maximum is for managed endpoints; a Kubernetes cluster sets its own.
    if (kind === "managed" && settings.requestTimeoutMs > maxRequestTimeoutMs) {
      throw timeoutField.error(`is ${settings.requestTimeoutMs}; managed online deployments allow at most ${maxRequestTimeoutMs} ms.`);
    }
  }
  settings.maxConcurrentRequestsPerInstance = fields.optional("max_concurrent_requests_per_instance")?.integer(1) ?? settings.maxConcurrentRequestsPerInstance;
  settings.maxQueueWaitMs = fields.optional("max_queue_wait_ms")?.integer(0) ?? settings.maxQueueWaitMs;
  return settings;
}

function readProbe(field: YamlField | undefined, liveness: boolean): ProbeSettings {
  const probe: ProbeSettings = { initialDelay: 10, period: 10, timeout: 2, successThreshold: 1, failureThreshold: 30 };
  if (field === undefined) return probe;
  const fields: FieldSet = field.fields(["initial_delay", "period", "timeout", "success_threshold", "failure_threshold"]);
  probe.initialDelay = fields.optional("initial_delay")?.integer(1) ?? probe.initialDelay;
  probe.period = fields.optional("period")?.integer(1) ?? probe.period;
  probe.timeout = fields.optional("timeout")?.integer(1) ?? probe.timeout;
  const successField = fields.optional("success_threshold");
  probe.successThreshold = successField?.integer(1) ?? probe.successThreshold;
  // reference-yaml-deployment-managed-online.md: "The value for liveness probe is fixed as 1".
  if (liveness && successField !== undefined && probe.successThreshold !== 1) throw successField.error("is fixed at 1 for a liveness probe.");
  probe.failureThreshold = fields.optional("failure_threshold")?.integer(1) ?? probe.failureThreshold;
  return probe;
}

function readResources(field: YamlField | undefined): { requests: ContainerResources; limits: ContainerResources } | undefined {
  if (field === undefined) return undefined;
  const fields = field.fields(["requests", "limits"]);
  return { requests: readQuantities(fields.optional("requests")), limits: readQuantities(fields.optional("limits")) };
}

function readQuantities(field: YamlField | undefined): ContainerResources {
  if (field === undefined) return {};
  const fields = field.fields(["cpu", "memory", "nvidia.com/gpu"]);
  // The SDK's schema takes text only: `cpu: 1` is refused there too (quote it: "1").
  return {
    cpu: fields.optional("cpu")?.nonEmptyText(),
    memory: fields.optional("memory")?.nonEmptyText(),
    gpu: fields.optional("nvidia.com/gpu")?.nonEmptyText(),
  };
}
