import type { CodeVersion, EnvironmentVersion, ModelVersion } from "@azure/arm-machinelearning";
import { RestError } from "@azure/core-rest-pipeline";
import type { AzureSession } from "../azure/azureSession";
import { openDatastoreContainer } from "../azure/clients/datastoreStorage";
import { MachineLearningControlPlane, type WorkspaceScope } from "../azure/clients/machineLearningControlPlane";
import { describing, isNotFound } from "../errors/azureError";
import { jobArtifactsPath, joinDatastorePath } from "../jobs/datastorePaths";
import { JobOutputFiles } from "../jobs/jobOutputFiles";
import { containerUploadTarget } from "../upload";
import type { AssetGateway, UploadDatastore } from "./assetGateway";

// As azure-ai-ml resolves @latest: the versions newest first, the first one.
const newestFirst = { orderBy: "createdtime desc", top: 1 };

/** The name of the newest version listed (undefined when the asset does not exist or has none). */
async function newestOf(versions: AsyncIterable<{ name?: string; systemData?: { createdAt?: Date } }>): Promise<string | undefined> {
  const found: Array<{ name?: string; systemData?: { createdAt?: Date } }> = [];
  try {
    for await (const version of versions) found.push(version);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  const created = (version: (typeof found)[number]) => version.systemData?.createdAt?.getTime() ?? 0;
  return found.sort((a, b) => created(b) - created(a))[0]?.name;
}

/** AssetGateway on Azure ML (api-version 2022-10-01) and the workspace's blob datastores. */
export class AzureAssetGateway implements AssetGateway {
  private readonly controlPlane: MachineLearningControlPlane;
  private datastore: Promise<UploadDatastore> | undefined;
  private outputFiles: JobOutputFiles | undefined;

  constructor(
    private readonly session: AzureSession,
    private readonly workspace: WorkspaceScope,
  ) {
    this.controlPlane = new MachineLearningControlPlane(session, workspace);
  }

  getEnvironmentVersion(name: string, version: string): Promise<EnvironmentVersion | undefined> {
    return describing(`Reading environment ${name}:${version}`, () => this.controlPlane.getEnvironmentVersion(name, version));
  }

  latestEnvironmentVersion(name: string): Promise<string | undefined> {
    const [resourceGroup, workspace] = [this.workspace.resourceGroup, this.workspace.name];
    return describing(`Listing the versions of environment '${name}'`, () =>
      newestOf(this.controlPlane.client.environmentVersions.list(resourceGroup, workspace, name, newestFirst)),
    );
  }

  createEnvironmentVersion(name: string, version: string, body: EnvironmentVersion): Promise<EnvironmentVersion> {
    return describing(`Creating environment ${name}:${version}`, () => this.controlPlane.createEnvironmentVersion(name, version, body));
  }

  getCodeVersion(name: string, version: string): Promise<CodeVersion | undefined> {
    return describing(`Reading code asset ${name}:${version}`, () => this.controlPlane.getCodeVersion(name, version));
  }

  createCodeVersion(name: string, version: string, body: CodeVersion): Promise<CodeVersion> {
    return describing(`Creating code asset ${name}:${version}`, () => this.controlPlane.createCodeVersion(name, version, body));
  }

  getModelVersion(name: string, version: string): Promise<ModelVersion | undefined> {
    return describing(`Reading model ${name}:${version}`, () => this.controlPlane.getModelVersion(name, version));
  }

  latestModelVersion(name: string): Promise<string | undefined> {
    const [resourceGroup, workspace] = [this.workspace.resourceGroup, this.workspace.name];
    return describing(`Listing the versions of model '${name}'`, () =>
      newestOf(this.controlPlane.client.modelVersions.list(resourceGroup, workspace, name, newestFirst)),
    );
  }

  createModelVersion(name: string, version: string, body: ModelVersion): Promise<ModelVersion> {
    return describing(`Registering model ${name}:${version}`, () => this.controlPlane.createModelVersion(name, version, body));
  }

  defaultDatastore(): Promise<UploadDatastore> {
    this.datastore ??= this.openDefaultDatastore().catch((error: unknown) => {
      this.datastore = undefined;
      throw error;
    });
    return this.datastore;
  }

  private async openDefaultDatastore(): Promise<UploadDatastore> {
    const datastore = await describing(`Reading the default datastore of workspace '${this.workspace.name}'`, async () => {
      const found = await this.controlPlane.getDefaultDatastore();
      if (!found) throw new RestError("The workspace has no default datastore.", { statusCode: 404, code: "NoDefaultDatastore" });
      return found;
    });
    const name = datastore.name ?? "workspaceblobstore";
    return { name, target: containerUploadTarget(await openDatastoreContainer(this.session, this.controlPlane, datastore, name)) };
  }

  async readJobArtifact(jobName: string, relativePath: string, maxBytes: number): Promise<string | undefined> {
    this.outputFiles ??= new JobOutputFiles(this.session, this.controlPlane);
    const bytes = await this.outputFiles.readFile(joinDatastorePath(jobArtifactsPath(jobName), relativePath), maxBytes);
    return bytes?.toString("utf8");
  }
}
