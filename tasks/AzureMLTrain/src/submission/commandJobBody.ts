import type {
  CommandJob,
  DistributionConfigurationUnion,
  IdentityConfigurationUnion,
  JobBase,
  JobInputUnion,
  JobOutputUnion,
  JobService,
} from "@azure/arm-machinelearning";
import type { CommandJobSpec, InputMode, JobDistribution, JobIdentity, OutputMode } from "../jobFile/commandJobSpec";

/*
 * The CommandJob body of Jobs_CreateOrUpdate at api-version 2022-10-01 (mfe.json, `CommandJob`:
 * required `jobType`, `command`, `environmentId`), built from the job file once its code,
 * environment, compute and local inputs are resolved to what Azure ML takes: ids and URIs.
 */

/** What submission resolved: Azure ML ids and URIs in place of the file's references. */
export interface ResolvedJobAssets {
  /** The environment version's ARM id or registry asset id. */
  environmentId: string;
  /** The code version's ARM id; none when the job has no code. */
  codeId?: string;
  /** The compute's ARM id; none for serverless compute. */
  computeId?: string;
  /** Per data input: its URI (datastore path of an upload, asset id, URL…). */
  inputUris: Record<string, string>;
}

const inputModes: Record<InputMode, string> = {
  ro_mount: "ReadOnlyMount",
  download: "Download",
  direct: "Direct",
  eval_mount: "EvalMount",
  eval_download: "EvalDownload",
};

const outputModes: Partial<Record<OutputMode, string>> = { rw_mount: "ReadWriteMount", upload: "Upload" };

function distributionOf(distribution: JobDistribution | undefined): DistributionConfigurationUnion | undefined {
  switch (distribution?.type) {
    case "mpi":
      return { distributionType: "Mpi", processCountPerInstance: distribution.processCountPerInstance };
    case "pytorch":
      return { distributionType: "PyTorch", processCountPerInstance: distribution.processCountPerInstance };
    case "tensorflow":
      return { distributionType: "TensorFlow", workerCount: distribution.workerCount, parameterServerCount: distribution.parameterServerCount };
    default:
      return undefined; // none, or ray (refused before: supportedFields.ts)
  }
}

function identityOf(identity: JobIdentity | undefined): IdentityConfigurationUnion | undefined {
  switch (identity?.type) {
    case "user_identity":
      return { identityType: "UserIdentity" };
    case "aml_token":
      return { identityType: "AMLToken" };
    case "managed":
      return { identityType: "Managed", clientId: identity.clientId, objectId: identity.objectId, resourceId: identity.resourceId };
    default:
      return undefined;
  }
}

function inputsOf(job: CommandJobSpec, uris: Record<string, string>): Record<string, JobInputUnion> {
  const inputs: Record<string, JobInputUnion> = {};
  for (const [name, input] of Object.entries(job.inputs)) {
    inputs[name] =
      input.kind === "literal"
        ? { jobInputType: "literal", value: String(input.value) }
        : { jobInputType: input.type, uri: uris[name], mode: inputModes[input.mode] };
  }
  return inputs;
}

function outputsOf(job: CommandJobSpec): Record<string, JobOutputUnion> {
  const outputs: Record<string, JobOutputUnion> = {};
  for (const [name, output] of Object.entries(job.outputs)) {
    const body: Record<string, string> = { jobOutputType: output.type };
    const mode = outputModes[output.mode];
    if (mode !== undefined) body.mode = mode;
    if (output.path !== undefined) body.uri = output.path.text;
    outputs[name] = body as unknown as JobOutputUnion;
  }
  return outputs;
}

function servicesOf(job: CommandJobSpec): Record<string, JobService> | undefined {
  const entries = Object.entries(job.services);
  if (entries.length === 0) return undefined;
  const services: Record<string, JobService> = {};
  for (const [name, service] of entries) {
    const properties =
      service.properties === undefined ? undefined : Object.fromEntries(Object.entries(service.properties).map(([key, value]) => [key, String(value)]));
    services[name] = withoutUndefined({ jobServiceType: service.type, port: service.port, properties });
  }
  return services;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function nonEmpty<T extends object>(value: T): T | undefined {
  return Object.keys(value).length === 0 ? undefined : value;
}

/** The Jobs_CreateOrUpdate body; `tags` already holds the pipeline's tags over the file's. */
export function commandJobBody(job: CommandJobSpec, assets: ResolvedJobAssets, tags: Record<string, string>): JobBase {
  const resources = withoutUndefined({
    instanceCount: job.resources.instanceCount,
    instanceType: job.resources.instanceType,
    shmSize: job.resources.shmSize,
    dockerArgs: job.resources.dockerArgs,
    properties: job.resources.properties as Record<string, Record<string, unknown>> | undefined,
  });
  const properties: CommandJob = withoutUndefined({
    jobType: "Command" as const,
    command: job.command,
    environmentId: assets.environmentId,
    codeId: assets.codeId,
    computeId: assets.computeId,
    displayName: job.displayName,
    experimentName: job.experimentName,
    description: job.description,
    tags: nonEmpty(tags),
    properties: nonEmpty(job.properties),
    environmentVariables: nonEmpty(job.environmentVariables),
    inputs: nonEmpty(inputsOf(job, assets.inputUris)),
    outputs: nonEmpty(outputsOf(job)),
    resources,
    limits: job.limits.timeoutSeconds === undefined ? undefined : { jobLimitsType: "Command" as const, timeout: `PT${job.limits.timeoutSeconds}S` },
    distribution: distributionOf(job.distribution),
    identity: identityOf(job.identity),
    services: servicesOf(job),
  });
  return { properties };
}
