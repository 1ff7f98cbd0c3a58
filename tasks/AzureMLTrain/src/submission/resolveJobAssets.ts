import { createHash, randomUUID } from "node:crypto";
import type { EnvironmentVersion, EnvironmentVersionProperties } from "@azure/arm-machinelearning";
import type { AzureMLReference } from "../../../common/src/azureml/references";
import { InputError } from "../../../common/src/errors/inputError";
import { readInputFile } from "../../../common/src/files/fileInputs";
import { describeUpload, snapshotPath, uploadSnapshot, type UploadResult } from "../../../common/src/upload";
import type { CommandJobSpec, InlineEnvironment, JobCompute, JobInput } from "../jobFile/commandJobSpec";
import type { AssetGateway } from "./assetGateway";
import type { ResolvedJobAssets } from "./commandJobBody";

/** The workspace's ARM id: `/subscriptions/…/workspaces/<name>`. */
export type WorkspaceId = string;

/** How the job's code and environment were found, for the log and the summary. */
export interface AssetOutcomes {
  /** "azureml:CliV2AnonymousEnvironment:0f3c… (reused)", "azureml:sklearn:3". */
  environment: string;
  /** "code asset 1b2c…:1 (uploaded: 12 files, 30.1 KiB)", or undefined when the job has no code. */
  code?: string;
}

/** The name azure-ai-ml gives every environment written inline in a job. */
export const anonymousEnvironmentName = "CliV2AnonymousEnvironment";

/** The compute's ARM id; none for serverless compute, which the job then leaves to the service. */
export function computeIdFor(compute: JobCompute, workspaceId: WorkspaceId): string | undefined {
  if (compute.kind !== "named") return undefined;
  return compute.resourceId ?? `${workspaceId}/computes/${compute.name}`;
}

function assetId(workspaceId: WorkspaceId, collection: string, name: string, version: string): string {
  return `${workspaceId}/${collection}/${name}/versions/${version}`;
}

/** Azure ML's EnvironmentVersion body of an inline environment; the conda file as its YAML text. */
export function inlineEnvironmentBody(environment: InlineEnvironment, buildContextUri?: string): EnvironmentVersion {
  let condaFile: string | undefined;
  if (environment.condaFile?.kind === "file") {
    condaFile = readInputFile({ path: environment.condaFile.path, source: "The job's 'environment.conda_file'" });
  } else if (environment.condaFile?.kind === "inline") {
    // JSON is YAML: the specification as written, in a form the service reads.
    condaFile = JSON.stringify(environment.condaFile.specification);
  }
  const body: EnvironmentVersionProperties = {
    isAnonymous: true,
    osType: environment.osType === "windows" ? "Windows" : "Linux",
  };
  if (environment.image !== undefined) body.image = environment.image;
  if (condaFile !== undefined) body.condaFile = condaFile;
  if (environment.build !== undefined)
    body.build = { contextUri: buildContextUri ?? environment.build.context.text, dockerfilePath: environment.build.dockerfilePath };
  if (environment.description !== undefined) body.description = environment.description;
  if (Object.keys(environment.tags).length > 0) body.tags = environment.tags;
  if (environment.inferenceConfig !== undefined) body.inferenceConfig = environment.inferenceConfig as EnvironmentVersionProperties["inferenceConfig"];
  return { properties: body };
}

/**
 * The version of an anonymous environment: a hash of what defines it (image, conda file, build,
 * OS), so that the same inline environment is the same version, found and reused, and a changed
 * one is a new version. Description and tags do not change what runs, and are not hashed.
 */
export function anonymousEnvironmentVersion({ properties: body }: EnvironmentVersion): string {
  const defining = {
    image: body.image ?? null,
    condaFile: body.condaFile ?? null,
    build: body.build ?? null,
    osType: body.osType ?? null,
    inferenceConfig: body.inferenceConfig ?? null,
  };
  return createHash("md5").update(JSON.stringify(defining)).digest("hex");
}

/**
 * Resolves the job's references to the ids and URIs the job body takes, uploading what is local
 * (code, inputs, a build context) to the workspace's default datastore, content-addressed, and
 * creating the code and environment versions that do not exist yet. Each step is one log line.
 */
export class JobAssetResolver {
  constructor(
    private readonly gateway: AssetGateway,
    private readonly workspaceId: WorkspaceId,
    private readonly log: (line: string) => void,
  ) {}

  async resolve(job: CommandJobSpec): Promise<{ assets: ResolvedJobAssets; outcomes: AssetOutcomes }> {
    const code = job.code === undefined ? undefined : await this.code(job.code);
    const environment = await this.environment(job);
    const inputUris: Record<string, string> = {};
    for (const [name, input] of Object.entries(job.inputs)) {
      if (input.kind === "data") inputUris[name] = await this.inputUri(name, input);
    }
    return {
      assets: { environmentId: environment.id, codeId: code?.id, computeId: computeIdFor(job.compute, this.workspaceId), inputUris },
      outcomes: { environment: environment.outcome, code: code?.outcome },
    };
  }

  private async upload(path: string, what: string): Promise<{ result: UploadResult; datastore: string; location: string; isFile: boolean }> {
    const snapshot = await snapshotPath(path, what);
    const ignored = snapshot.ignoreFile === undefined ? "" : ` (${snapshot.ignoreFile} applied)`;
    this.log(`Hashed ${what}: ${snapshot.files.length} file(s)${ignored}, content hash ${snapshot.hash}.`);
    const datastore = await this.gateway.defaultDatastore();
    // A new upload is stamped with the anonymous asset it becomes (azure-ai-ml: a uuid, version 1).
    const result = await uploadSnapshot(datastore.target, snapshot, { assetName: randomUUID(), assetVersion: "1" });
    return { result, datastore: datastore.name, location: datastore.target.location, isFile: snapshot.isFile };
  }

  private async code(reference: AzureMLReference): Promise<{ id: string; outcome: string }> {
    if (reference.kind === "assetVersion")
      return { id: assetId(this.workspaceId, "codes", reference.name, reference.version), outcome: `code asset ${reference.text}` };
    if (reference.kind === "armId") return { id: reference.id, outcome: `code asset ${reference.text}` };
    if (reference.kind !== "localPath") throw new InputError(`The job's 'code' is ${reference.text}; give a local folder or a registered code version.`);

    const { result, location } = await this.upload(reference.path, `the code folder '${reference.path}'`);
    this.log(describeUpload(result, "Code", location));
    const asset = result.asset ?? { name: randomUUID(), version: "1" };
    const existing = await this.gateway.getCodeVersion(asset.name, asset.version);
    const id = assetId(this.workspaceId, "codes", asset.name, asset.version);
    if (existing !== undefined) {
      if (result.uploaded) this.log(`Code asset ${asset.name}:${asset.version} already exists.`);
      return { id, outcome: `code asset ${asset.name}:${asset.version} (${result.uploaded ? "uploaded" : "unchanged, reused"})` };
    }
    await this.gateway.createCodeVersion(asset.name, asset.version, { properties: { isAnonymous: true, codeUri: `${location}/${result.prefix}` } });
    this.log(`Code asset ${asset.name}:${asset.version} created for ${result.prefix}.`);
    return {
      id,
      outcome: `code asset ${asset.name}:${asset.version} (${result.uploaded ? `uploaded: ${result.files} file(s)` : "files reused, asset created"})`,
    };
  }

  private async environment(job: CommandJobSpec): Promise<{ id: string; outcome: string }> {
    const environment = job.environment;
    if (environment.kind === "inline") return this.inlineEnvironment(environment);
    const reference = environment.reference;
    switch (reference.kind) {
      case "assetVersion":
        return { id: assetId(this.workspaceId, "environments", reference.name, reference.version), outcome: reference.text };
      case "assetLabel": {
        const version = await this.gateway.latestEnvironmentVersion(reference.name);
        if (version === undefined)
          throw new InputError(`The job's environment ${reference.text}: environment '${reference.name}' has no version in the workspace.`);
        this.log(`Environment ${reference.text} is version ${version}.`);
        return { id: assetId(this.workspaceId, "environments", reference.name, version), outcome: `azureml:${reference.name}:${version}` };
      }
      case "armId":
        return { id: reference.id, outcome: reference.text };
      case "registryAsset":
        // The registry asset id is what the service takes for an environment shared in a registry.
        return { id: reference.text, outcome: reference.text };
      default:
        throw new InputError(`The job's environment ${reference.text} is not a form the task resolves.`);
    }
  }

  private async inlineEnvironment(environment: InlineEnvironment): Promise<{ id: string; outcome: string }> {
    let contextUri: string | undefined;
    if (environment.build?.context.kind === "localPath") {
      const { result, location } = await this.upload(environment.build.context.path, `the environment's build context '${environment.build.context.path}'`);
      this.log(describeUpload(result, "Build context", location));
      // The swagger's BuildContext.contextUri takes a blob URI, as azure-ai-ml gives it.
      contextUri = `${location}/${result.prefix}/`;
    }
    const body = inlineEnvironmentBody(environment, contextUri);
    const version = anonymousEnvironmentVersion(body);
    const name = anonymousEnvironmentName;
    const id = assetId(this.workspaceId, "environments", name, version);
    if ((await this.gateway.getEnvironmentVersion(name, version)) !== undefined) {
      this.log(`Environment unchanged: reusing ${name}:${version}.`);
      return { id, outcome: `azureml:${name}:${version} (reused)` };
    }
    await this.gateway.createEnvironmentVersion(name, version, body);
    this.log(`Environment ${name}:${version} created (${environment.image ?? "Docker build"}).`);
    return { id, outcome: `azureml:${name}:${version} (created)` };
  }

  private async inputUri(name: string, input: Extract<JobInput, { kind: "data" }>): Promise<string> {
    const reference = input.path;
    switch (reference.kind) {
      case "localPath": {
        const { result, datastore, location, isFile } = await this.upload(reference.path, `input '${name}' ('${reference.path}')`);
        this.log(describeUpload(result, `Input '${name}'`, location));
        // A folder's URI ends in '/', as azure-ai-ml writes it.
        return `azureml://datastores/${datastore}/paths/${result.prefix}${isFile ? "" : "/"}`;
      }
      case "assetVersion": {
        const collection = input.type.endsWith("_model") ? "models" : "data";
        return assetId(this.workspaceId, collection, reference.name, reference.version);
      }
      case "armId":
        return reference.id;
      default:
        return reference.text;
    }
  }
}
