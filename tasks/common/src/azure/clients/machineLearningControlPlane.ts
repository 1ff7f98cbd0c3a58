import type {
  AzureMachineLearningWorkspaces,
  CodeVersion,
  Datastore,
  DatastoreSecretsUnion,
  EnvironmentVersion,
  JobBase,
  ModelVersion,
  Workspace,
} from "@azure/arm-machinelearning";
import { maskSecret } from "../../auth/secretMasking";
import { isNotFound, unlessNotFound } from "../../errors/azureError";
import type { AzureSession } from "../azureSession";
import { machineLearningClient } from "./armClients";

/** The Azure ML workspace a client acts in; `resolveWorkspace()`'s result is one. */
export interface WorkspaceScope {
  subscriptionId: string;
  resourceGroup: string;
  /** The workspace's name. */
  name: string;
}

/**
 * The Azure ML control plane (ARM, api-version 2022-10-01, `@azure/arm-machinelearning` 2.1.1)
 * for one workspace: the workspace itself, jobs, code, environment and model versions, and
 * datastores with their secrets. Calls are not wrapped: the task's gateway says what it was
 * doing (`describing`). Each `get…` gives `undefined` when Azure answers 404.
 */
export class MachineLearningControlPlane {
  readonly client: AzureMachineLearningWorkspaces;

  constructor(
    session: AzureSession,
    readonly workspace: WorkspaceScope,
  ) {
    this.client = machineLearningClient({ ...session.arm, subscriptionId: workspace.subscriptionId });
  }

  private get scope(): [string, string] {
    return [this.workspace.resourceGroup, this.workspace.name];
  }

  getWorkspace(): Promise<Workspace | undefined> {
    return unlessNotFound(() => this.client.workspaces.get(...this.scope));
  }

  getJob(name: string): Promise<JobBase | undefined> {
    return unlessNotFound(() => this.client.jobs.get(...this.scope, name));
  }

  /** Jobs_CreateOrUpdate: synchronous, the job is queued when it returns. */
  createJob(name: string, job: JobBase): Promise<JobBase> {
    return this.client.jobs.createOrUpdate(...this.scope, name, job);
  }

  /** Asks Azure ML to cancel the job, without waiting for it to stop (a cancelled pipeline has little time). */
  async cancelJob(name: string): Promise<void> {
    await this.client.jobs.beginCancel(...this.scope, name);
  }

  getCodeVersion(name: string, version: string): Promise<CodeVersion | undefined> {
    return unlessNotFound(() => this.client.codeVersions.get(...this.scope, name, version));
  }

  createCodeVersion(name: string, version: string, body: CodeVersion): Promise<CodeVersion> {
    return this.client.codeVersions.createOrUpdate(...this.scope, name, version, body);
  }

  getEnvironmentVersion(name: string, version: string): Promise<EnvironmentVersion | undefined> {
    return unlessNotFound(() => this.client.environmentVersions.get(...this.scope, name, version));
  }

  /** The environment's newest version, as azure-ai-ml resolves `@latest` (by creation time); undefined when there is none. */
  async newestEnvironmentVersion(name: string): Promise<EnvironmentVersion | undefined> {
    const versions: EnvironmentVersion[] = [];
    try {
      for await (const version of this.client.environmentVersions.list(...this.scope, name, { orderBy: "createdtime desc", top: 1 })) versions.push(version);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    const created = (version: EnvironmentVersion) => version.systemData?.createdAt?.getTime() ?? 0;
    return versions.sort((a, b) => created(b) - created(a))[0];
  }

  createEnvironmentVersion(name: string, version: string, body: EnvironmentVersion): Promise<EnvironmentVersion> {
    return this.client.environmentVersions.createOrUpdate(...this.scope, name, version, body);
  }

  getModelVersion(name: string, version: string): Promise<ModelVersion | undefined> {
    return unlessNotFound(() => this.client.modelVersions.get(...this.scope, name, version));
  }

  createModelVersion(name: string, version: string, body: ModelVersion): Promise<ModelVersion> {
    return this.client.modelVersions.createOrUpdate(...this.scope, name, version, body);
  }

  /** Every version of a model, archived ones too (none when the model does not exist). */
  async listModelVersions(name: string): Promise<ModelVersion[]> {
    const versions: ModelVersion[] = [];
    try {
      // The service lists active versions only unless asked: an archived one still holds its number.
      for await (const version of this.client.modelVersions.list(...this.scope, name, { listViewType: "All" })) versions.push(version);
    } catch (error) {
      if (isNotFound(error)) return [];
      throw error;
    }
    return versions;
  }

  getDatastore(name: string): Promise<Datastore | undefined> {
    return unlessNotFound(() => this.client.datastores.get(...this.scope, name));
  }

  /** The workspace's default datastore (workspaceblobstore unless someone changed it). */
  async getDefaultDatastore(): Promise<Datastore | undefined> {
    for await (const datastore of this.client.datastores.list(...this.scope, { isDefault: true })) {
      if (datastore.properties.isDefault !== false) return datastore;
    }
    return undefined;
  }

  /** Datastores_ListSecrets; every secret in the answer is registered with the agent's masker before it is returned. */
  async listDatastoreSecrets(name: string): Promise<DatastoreSecretsUnion> {
    const secrets = await this.client.datastores.listSecrets(...this.scope, name);
    for (const field of ["key", "sasToken", "clientSecret", "certificate"] as const) {
      const value = (secrets as Partial<Record<typeof field, unknown>>)[field];
      if (typeof value === "string") maskSecret(value);
    }
    return secrets;
  }
}
