import { blobDatastoreLocation, datastoreContainerClient } from "../../../tasks/common/src/azure/clients/datastoreStorage";
import { MachineLearningControlPlane, type WorkspaceScope } from "../../../tasks/common/src/azure/clients/machineLearningControlPlane";
import { jobArtifactsPath, joinDatastorePath } from "../../../tasks/common/src/jobs/datastorePaths";
import { JobOutputFiles } from "../../../tasks/common/src/jobs/jobOutputFiles";
import { clientArguments, runClient } from "./clientSupport";
import { sessionFor } from "./mlClientSupport";

export interface JobFilesReport {
  /** The job's artifacts (`ExperimentRun/dcid.<job>`), relative paths, sorted; empty without a job name. */
  artifacts: string[];
  /** outputs/metrics.json as the job wrote it, when there is one. */
  metrics?: Record<string, number>;
  /** The first bytes of outputs/model.pkl in hex, and its length. */
  model?: { bytes: number; start: string };
  /** Every blob of the default datastore's container: name → etag, to tell what an upload changed. */
  defaultDatastoreBlobs: Record<string, string>;
}

/**
 * What a job left in the workspace's storage, read from outside the task with the tasks' own
 * storage clients: its artifacts, metrics and model, and the default datastore's blobs.
 * Arguments: the workspace's resource group and name, then optionally the job's name.
 */
runClient(async (connection): Promise<JobFilesReport> => {
  const [resourceGroup, workspaceName, jobName] = clientArguments();
  const session = sessionFor(connection);
  const scope: WorkspaceScope = { subscriptionId: connection.subscriptionId, resourceGroup, name: workspaceName };
  const controlPlane = new MachineLearningControlPlane(session, scope);

  const datastore = await controlPlane.getDefaultDatastore();
  if (!datastore) throw new Error("the workspace has no default datastore");
  const location = blobDatastoreLocation(datastore);
  const container = datastoreContainerClient(session, location, await controlPlane.listDatastoreSecrets(location.name));
  const defaultDatastoreBlobs: Record<string, string> = {};
  for await (const blob of container.listBlobsFlat()) defaultDatastoreBlobs[blob.name] = blob.properties.etag ?? "";

  if (!jobName) return { artifacts: [], defaultDatastoreBlobs };
  const files = new JobOutputFiles(session, controlPlane);
  const artifacts = jobArtifactsPath(jobName);
  const metrics = await files.readFile(joinDatastorePath(artifacts, "outputs/metrics.json"), 100_000);
  const model = await files.readFile(joinDatastorePath(artifacts, "outputs/model.pkl"), 10_000_000);
  return {
    artifacts: await files.list(artifacts),
    metrics: metrics ? (JSON.parse(metrics.toString("utf8")) as Record<string, number>) : undefined,
    model: model ? { bytes: model.length, start: model.subarray(0, 2).toString("hex") } : undefined,
    defaultDatastoreBlobs,
  };
});
