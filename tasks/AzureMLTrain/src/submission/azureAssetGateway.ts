import type { CodeVersion, EnvironmentVersion } from "@azure/arm-machinelearning";
import { RestError } from "@azure/core-rest-pipeline";
import type { AzureSession } from "../../../common/src/azure/azureSession";
import { openDatastoreContainer } from "../../../common/src/azure/clients/datastoreStorage";
import { MachineLearningControlPlane, type WorkspaceScope } from "../../../common/src/azure/clients/machineLearningControlPlane";
import { describing, isNotFound } from "../../../common/src/errors/azureError";
import { jobArtifactsPath, joinDatastorePath } from "../../../common/src/jobs/datastorePaths";
import { JobOutputFiles } from "../../../common/src/jobs/jobOutputFiles";
import { containerUploadTarget } from "../../../common/src/upload";
import type { AssetGateway, UploadDatastore } from "./assetGateway";

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
    // As azure-ai-ml resolves @latest: the versions newest first, the first one.
    return describing(`Listing the versions of environment '${name}'`, async () => {
      const [resourceGroup, workspace] = [this.workspace.resourceGroup, this.workspace.name];
      const versions: EnvironmentVersion[] = [];
      try {
        for await (const version of this.controlPlane.client.environmentVersions.list(resourceGroup, workspace, name, {
          orderBy: "createdtime desc",
          top: 1,
        })) {
          versions.push(version);
        }
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
      const created = (version: EnvironmentVersion) => version.systemData?.createdAt?.getTime() ?? 0;
      return versions.sort((a, b) => created(b) - created(a))[0]?.name;
    });
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
