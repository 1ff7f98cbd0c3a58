import { randomUUID } from "node:crypto";
import type { JobEnvironment, InlineEnvironment } from "../azureml/environmentField";
import type { AzureMLReference } from "../azureml/references";
import { InputError } from "../errors/inputError";
import { describeUpload, uploadSnapshot, type UploadResult } from "../upload/datastoreUpload";
import { snapshotPath } from "../upload/folderSnapshot";
import { anonymousEnvironmentName, anonymousEnvironmentVersion, inlineEnvironmentBody } from "./anonymousEnvironment";
import type { AssetGateway } from "./assetGateway";

/** The workspace's ARM id: `/subscriptions/…/workspaces/<name>`. */
export type WorkspaceId = string;

/** An asset as the service takes it, and how it was found, for the log and the summary. */
export interface ResolvedAsset {
  /** The version's ARM id (or a registry asset id). */
  id: string;
  /** "azureml:CliV2AnonymousEnvironment:0f3c… (reused)", "code asset 1b2c…:1 (uploaded: 12 files)". */
  outcome: string;
}

/** A local file or folder, uploaded to the default datastore (or found there already). */
export interface LocalUpload {
  result: UploadResult;
  /** The datastore's name. */
  datastore: string;
  /** The container's URL. */
  location: string;
  isFile: boolean;
  /** `azureml://datastores/<datastore>/paths/<prefix>`, with a trailing '/' for a folder. */
  uri: string;
}

export function assetId(workspaceId: WorkspaceId, collection: string, name: string, version: string): string {
  return `${workspaceId}/${collection}/${name}/versions/${version}`;
}

/**
 * Resolves what a job or deployment file names (code, environment, local files) to the ids and
 * URIs Azure ML takes, as azure-ai-ml does: local files uploaded to the workspace's default
 * datastore content-addressed (unchanged content is not sent again, and keeps its anonymous
 * asset), code and environment versions created when they do not exist yet. Each step is one
 * log line. `owner` names the file's object in errors: "The job's", "The deployment's".
 */
export class AssetResolver {
  constructor(
    private readonly gateway: AssetGateway,
    private readonly workspaceId: WorkspaceId,
    private readonly log: (line: string) => void,
  ) {}

  /** Uploads a local file or folder content-addressed; `what` names it in the log: "the code folder 'src'". */
  async upload(path: string, what: string): Promise<LocalUpload> {
    const snapshot = await snapshotPath(path, what);
    const ignored = snapshot.ignoreFile === undefined ? "" : ` (${snapshot.ignoreFile} applied)`;
    this.log(`Hashed ${what}: ${snapshot.files.length} file(s)${ignored}, content hash ${snapshot.hash}.`);
    const datastore = await this.gateway.defaultDatastore();
    // A new upload is stamped with the anonymous asset it becomes (azure-ai-ml: a uuid, version 1).
    const result = await uploadSnapshot(datastore.target, snapshot, { assetName: randomUUID(), assetVersion: "1" });
    // A folder's URI ends in '/', as azure-ai-ml writes it.
    const uri = `azureml://datastores/${datastore.name}/paths/${result.prefix}${snapshot.isFile ? "" : "/"}`;
    return { result, datastore: datastore.name, location: datastore.target.location, isFile: snapshot.isFile, uri };
  }

  async code(reference: AzureMLReference, owner: string): Promise<ResolvedAsset> {
    if (reference.kind === "assetVersion")
      return { id: assetId(this.workspaceId, "codes", reference.name, reference.version), outcome: `code asset ${reference.text}` };
    if (reference.kind === "armId") return { id: reference.id, outcome: `code asset ${reference.text}` };
    if (reference.kind !== "localPath") throw new InputError(`${owner} 'code' is ${reference.text}; give a local folder or a registered code version.`);

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

  async environment(environment: JobEnvironment, owner: string): Promise<ResolvedAsset> {
    if (environment.kind === "inline") return this.inlineEnvironment(environment, owner);
    const reference = environment.reference;
    switch (reference.kind) {
      case "assetVersion":
        return { id: assetId(this.workspaceId, "environments", reference.name, reference.version), outcome: reference.text };
      case "assetLabel": {
        const version = await this.gateway.latestEnvironmentVersion(reference.name);
        if (version === undefined)
          throw new InputError(`${owner} environment ${reference.text}: environment '${reference.name}' has no version in the workspace.`);
        this.log(`Environment ${reference.text} is version ${version}.`);
        return { id: assetId(this.workspaceId, "environments", reference.name, version), outcome: `azureml:${reference.name}:${version}` };
      }
      case "armId":
        return { id: reference.id, outcome: reference.text };
      case "registryAsset":
        // The registry asset id is what the service takes for an environment shared in a registry.
        return { id: reference.text, outcome: reference.text };
      default:
        throw new InputError(`${owner} environment ${reference.text} is not a form the task resolves.`);
    }
  }

  private async inlineEnvironment(environment: InlineEnvironment, owner: string): Promise<ResolvedAsset> {
    let contextUri: string | undefined;
    if (environment.build?.context.kind === "localPath") {
      const { result, location } = await this.upload(environment.build.context.path, `the environment's build context '${environment.build.context.path}'`);
      this.log(describeUpload(result, "Build context", location));
      // The swagger's BuildContext.contextUri takes a blob URI, as azure-ai-ml gives it.
      contextUri = `${location}/${result.prefix}/`;
    }
    const body = inlineEnvironmentBody(environment, contextUri, owner);
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
}
