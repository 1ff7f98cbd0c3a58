import { readReference } from "../../../common/src/azureml/referenceField";
import { YamlField } from "../../../common/src/azureml/yamlFields";
import { JobCompute, JobDistribution, JobIdentity, JobPriority, JobResources, JobService, JobTier } from "./commandJobSpec";

/* The run settings of a command job: where it runs, on how much, for how long, as whom. */

/** Omitted → serverless (how-to-use-serverless-compute.md), though the reference table still says `local`. */
export function readCompute(field: YamlField | undefined, folder: string): JobCompute {
  if (field === undefined) return { kind: "serverless" };
  const text = field.nonEmptyText();
  if (text === "local") return { kind: "local" };
  if (!text.startsWith("azureml:")) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(text)) throw field.error("is not a compute name; write azureml:<compute-name> or the name alone.");
    return { kind: "named", name: text, text };
  }
  const reference = readReference(field, folder, ["resource", "armId"]);
  if (reference.kind === "armId") {
    if (reference.collection.toLowerCase() !== "computes") throw field.error(`is a resource id of '${reference.collection}', not of a compute.`);
    return { kind: "named", name: reference.name, text, resourceId: reference.id };
  }
  return { kind: "named", name: reference.kind === "resource" ? reference.name : text, text };
}

const resourceFields = ["instance_count", "instance_type", "shm_size", "docker_args", "locations", "max_instance_count", "properties"];

export function readResources(field: YamlField | undefined): JobResources {
  if (field === undefined) return { instanceCount: 1 };
  const fields = field.fields(resourceFields);
  const shm = fields.optional("shm_size");
  const shmSize = shm?.text();
  if (shm !== undefined && shmSize !== undefined && !/^[1-9][0-9]*[bkmg]$/.test(shmSize)) {
    throw shm.error("must be <number><unit> with unit b, k, m or g (e.g. 2g).");
  }
  const locations = fields.optional("locations");
  return {
    instanceCount: fields.optional("instance_count")?.integer(1) ?? 1,
    instanceType: fields.optional("instance_type")?.nonEmptyText(),
    shmSize,
    dockerArgs: fields.optional("docker_args")?.text(),
    locations: locations === undefined ? undefined : readTextList(locations),
    maxInstanceCount: fields.optional("max_instance_count")?.integer(1),
    properties: mappingValue(fields.optional("properties")),
  };
}

function readTextList(field: YamlField): string[] {
  if (!Array.isArray(field.value)) throw field.wrongType("a list of text");
  return field.value.map((item, index) => {
    if (typeof item !== "string") throw field.error(`item ${index + 1} is not text.`);
    return item;
  });
}

/** A mapping carried as written, for the service to judge. */
function mappingValue(field: YamlField | undefined): Record<string, unknown> | undefined {
  if (field === undefined) return undefined;
  field.entries();
  return field.value as Record<string, unknown>;
}

export function readTimeout(field: YamlField | undefined): { timeoutSeconds?: number } {
  if (field === undefined) return {};
  const fields = field.fields(["timeout"]);
  return { timeoutSeconds: fields.optional("timeout")?.integer(1) };
}

export function readDistribution(field: YamlField | undefined): JobDistribution | undefined {
  if (field === undefined) return undefined;
  const type = field
    .fields([
      "type",
      "process_count_per_instance",
      "worker_count",
      "parameter_server_count",
      "address",
      "port",
      "dashboard_port",
      "include_dashboard",
      "head_node_additional_args",
      "worker_node_additional_args",
    ])
    .required("type");
  const kind = type.oneOf(["mpi", "pytorch", "tensorflow", "ray"] as const);
  switch (kind) {
    case "mpi":
    case "pytorch": {
      const fields = field.fields(["type", "process_count_per_instance"]);
      return { type: kind, processCountPerInstance: fields.optional("process_count_per_instance")?.integer(1) };
    }
    case "tensorflow": {
      const fields = field.fields(["type", "worker_count", "parameter_server_count"]);
      return {
        type: kind,
        workerCount: fields.optional("worker_count")?.integer(1),
        parameterServerCount: fields.optional("parameter_server_count")?.integer(0),
      };
    }
    case "ray": {
      const fields = field.fields([
        "type",
        "address",
        "port",
        "dashboard_port",
        "include_dashboard",
        "head_node_additional_args",
        "worker_node_additional_args",
      ]);
      const settings: Record<string, unknown> = {};
      for (const entry of fields.all()) if (entry.key !== "type") settings[entry.key] = entry.value;
      return { type: kind, settings };
    }
  }
}

export function readIdentity(field: YamlField | undefined): JobIdentity | undefined {
  if (field === undefined) return undefined;
  const fields = field.fields(["type", "client_id", "object_id", "msi_resource_id"]);
  const type = fields.required("type").oneOf(["user_identity", "managed", "managed_identity", "aml_token"] as const);
  if (type === "managed" || type === "managed_identity") {
    return {
      type: "managed",
      clientId: fields.optional("client_id")?.nonEmptyText(),
      objectId: fields.optional("object_id")?.nonEmptyText(),
      resourceId: fields.optional("msi_resource_id")?.nonEmptyText(),
    };
  }
  for (const key of ["client_id", "object_id", "msi_resource_id"]) {
    const extra = fields.optional(key);
    if (extra !== undefined) throw extra.error(`goes only with a managed identity, not with '${type}'.`);
  }
  return { type };
}

export function readQueueSettings(field: YamlField | undefined): { jobTier?: JobTier; priority?: JobPriority } | undefined {
  if (field === undefined) return undefined;
  const fields = field.fields(["job_tier", "priority"]);
  return {
    jobTier: fields.optional("job_tier")?.oneOf(["spot", "basic", "standard", "premium", "null"] as const),
    priority: fields.optional("priority")?.oneOf(["low", "medium", "high"] as const),
  };
}

const serviceFields = ["type", "job_service_type", "port", "nodes", "properties", "ssh_public_keys", "log_dir"];

export function readServices(field: YamlField | undefined): Record<string, JobService> {
  const services: Record<string, JobService> = {};
  if (field === undefined) return services;
  for (const entry of field.entries("a mapping of service names to services")) {
    const fields = entry.fields(serviceFields);
    const type = fields.optional("type") ?? fields.optional("job_service_type");
    const properties = fields.optional("properties");
    const service: JobService = {
      type: type?.oneOf(["ssh", "tensor_board", "vs_code", "jupyter_lab", "SSH", "TensorBoard", "VSCode", "JupyterLab", "Custom", "custom"] as const),
      port: fields.optional("port")?.integer(1),
      nodes: fields.optional("nodes")?.text(),
      properties: mappingValue(properties),
      sshPublicKeys: fields.optional("ssh_public_keys")?.text(),
      logDir: fields.optional("log_dir")?.text(),
    };
    Object.defineProperty(services, entry.key, { value: service, enumerable: true, writable: true, configurable: true });
  }
  return services;
}
