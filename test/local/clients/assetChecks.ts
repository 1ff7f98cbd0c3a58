import type { CommandJob } from "@azure/arm-machinelearning";
import { blobAccountUrl, blobDatastoreLocation, datastoreContainerClient } from "../../../tasks/common/src/azure/clients/datastoreStorage";
import { MachineLearningControlPlane, type WorkspaceScope } from "../../../tasks/common/src/azure/clients/machineLearningControlPlane";
import { clientArguments, runClient } from "./clientSupport";
import { refusal, sessionFor, type RefusalReport } from "./mlClientSupport";

export interface AssetChecksReport {
  refusals: Record<string, RefusalReport | undefined>;
  data: { dataType: string | undefined; dataUri: string | undefined; containerType: string | undefined; versions: string[] };
  environmentAgain: string | undefined;
  codeFromDatastoreUri: string | undefined;
  containers: Record<string, string[]>;
  deleted: { version: boolean; container: boolean };
  jobDeleted: boolean;
}

/**
 * What Azure ML refuses and accepts around assets and job references, with the SDK client a task
 * uses. Arguments: the workspace's resource group and name.
 */
runClient(async (connection): Promise<AssetChecksReport> => {
  const [resourceGroup, workspaceName] = clientArguments();
  const session = sessionFor(connection);
  const scope: WorkspaceScope = { subscriptionId: connection.subscriptionId, resourceGroup, name: workspaceName };
  const controlPlane = new MachineLearningControlPlane(session, scope);
  const client = controlPlane.client;
  const workspaceId = `/subscriptions/${connection.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${workspaceName}`;

  const datastore = await controlPlane.getDefaultDatastore();
  const location = blobDatastoreLocation(datastore!);
  const container = datastoreContainerClient(session, location, await controlPlane.listDatastoreSecrets(location.name));
  await container.getBlockBlobClient("data/checks/a.csv").upload("x,target\n1,2\n", 13);
  await container.getBlockBlobClient("LocalUpload/checks/src/main.py").upload("print('checks')\n", 16);

  const code = await controlPlane.createCodeVersion("checks", "1", {
    properties: { codeUri: "azureml://datastores/workspaceblobstore/paths/LocalUpload/checks/src" },
  });
  const environment = { properties: { image: "python:3.11-slim", condaFile: "dependencies:\n  - python=3.11\n" } };
  await controlPlane.createEnvironmentVersion("checks-env", "1", environment);
  const environmentAgain = await controlPlane.createEnvironmentVersion("checks-env", "1", {
    properties: { ...environment.properties, description: "described later" },
  });
  const data = await client.dataVersions.createOrUpdate(resourceGroup, workspaceName, "checks-data", "1", {
    properties: { dataType: "uri_folder", dataUri: "azureml://datastores/workspaceblobstore/paths/data/checks/" },
  });
  const dataContainer = await client.dataContainers.get(resourceGroup, workspaceName, "checks-data");
  const dataVersions: string[] = [];
  for await (const version of client.dataVersions.list(resourceGroup, workspaceName, "checks-data")) dataVersions.push(version.name ?? "");

  const command = (properties: Partial<CommandJob>): { properties: CommandJob } => ({
    properties: {
      jobType: "Command",
      command: "python main.py",
      environmentId: `${workspaceId}/environments/checks-env/versions/1`,
      codeId: code.id,
      ...properties,
    },
  });
  const foreignAccountUrl = blobAccountUrl({ ...location, accountName: "someoneelse" });
  const refusals: Record<string, RefusalReport | undefined> = {
    environmentChanged: await refusal(() => controlPlane.createEnvironmentVersion("checks-env", "1", { properties: { image: "python:3.12-slim" } })),
    environmentReservedName: await refusal(() => controlPlane.createEnvironmentVersion("AzureML-mine", "1", environment)),
    environmentWithoutImage: await refusal(() => controlPlane.createEnvironmentVersion("checks-env", "2", { properties: { condaFile: "dependencies: []\n" } })),
    codeOtherAccount: await refusal(() =>
      controlPlane.createCodeVersion("checks", "2", { properties: { codeUri: `${foreignAccountUrl}/${location.containerName}/LocalUpload/checks/src` } }),
    ),
    codeUnknownDatastore: await refusal(() =>
      controlPlane.createCodeVersion("checks", "3", { properties: { codeUri: "azureml://datastores/nosuchstore/paths/x" } }),
    ),
    modelVersionNotNumber: await refusal(() =>
      controlPlane.createModelVersion("checks-model", "v1", { properties: { modelUri: "azureml://datastores/workspaceblobstore/paths/data/checks/a.csv" } }),
    ),
    jobMissingCode: await refusal(() => controlPlane.createJob("checks-1", command({ codeId: `${workspaceId}/codes/nothing/versions/1` }))),
    jobMissingEnvironment: await refusal(() =>
      controlPlane.createJob("checks-2", command({ environmentId: `${workspaceId}/environments/nothing/versions/1` })),
    ),
    jobMissingCompute: await refusal(() => controlPlane.createJob("checks-3", command({ computeId: `${workspaceId}/computes/nothing` }))),
    jobBadTimeout: await refusal(() => controlPlane.createJob("checks-4", command({ limits: { jobLimitsType: "Command", timeout: "PT0S" } }))),
    jobUnknownInputInCommand: await refusal(() => controlPlane.createJob("checks-6", command({ command: "python main.py --n ${{inputs.n}}" }))),
    jobBadInputName: await refusal(() => controlPlane.createJob("checks-7", command({ inputs: { "bad-name": { jobInputType: "literal", value: "1" } } }))),
    jobNotCommand: await refusal(() => client.jobs.createOrUpdate(resourceGroup, workspaceName, "checks-5", { properties: { jobType: "Pipeline" } })),
    cancelMissingJob: await refusal(() => client.jobs.beginCancel(resourceGroup, workspaceName, "checks-missing")),
    getMissingCodeVersion: await refusal(() => client.codeVersions.get(resourceGroup, workspaceName, "checks", "99")),
    getMissingContainer: await refusal(() => client.modelContainers.get(resourceGroup, workspaceName, "no-such-model")),
  };

  // A curated environment by ARM id (it exists in every workspace), no compute (serverless).
  await controlPlane.createJob(
    "checks-curated",
    command({ environmentId: `${workspaceId}/environments/AzureML-sklearn-1.0-ubuntu20.04-py38-cpu/versions/1`, codeId: code.id }),
  );
  await client.jobs.beginDeleteAndWait(resourceGroup, workspaceName, "checks-curated", { updateIntervalInMs: 200 });
  const jobDeleted = (await controlPlane.getJob("checks-curated")) === undefined;

  await controlPlane.createModelVersion("checks-model", "1", { properties: { modelUri: "azureml://datastores/workspaceblobstore/paths/data/checks/a.csv" } });
  await client.modelVersions.delete(resourceGroup, workspaceName, "checks-model", "1");
  const versionDeleted = (await controlPlane.getModelVersion("checks-model", "1")) === undefined;
  await client.modelContainers.delete(resourceGroup, workspaceName, "checks-model");
  const containerDeleted = (await refusal(() => client.modelContainers.get(resourceGroup, workspaceName, "checks-model")))?.statusCode === 404;

  const containers: Record<string, string[]> = { codes: [], environments: [], data: [] };
  for await (const item of client.codeContainers.list(resourceGroup, workspaceName)) containers.codes.push(item.name ?? "");
  for await (const item of client.environmentContainers.list(resourceGroup, workspaceName)) containers.environments.push(item.name ?? "");
  for await (const item of client.dataContainers.list(resourceGroup, workspaceName)) containers.data.push(item.name ?? "");

  return {
    refusals,
    data: { dataType: data.properties.dataType, dataUri: data.properties.dataUri, containerType: dataContainer.properties.dataType, versions: dataVersions },
    environmentAgain: environmentAgain.properties.description ?? undefined,
    codeFromDatastoreUri: code.properties.codeUri ?? undefined,
    containers: Object.fromEntries(Object.entries(containers).map(([key, names]) => [key, names.sort()])),
    deleted: { version: versionDeleted, container: containerDeleted },
    jobDeleted,
  };
});
