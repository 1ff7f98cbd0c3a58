import { InputError } from "../errors/inputError";

/** A folder or file on a workspace datastore: the datastore's name and the path inside its container (no leading `/`). */
export interface DatastorePath {
  datastore: string;
  path: string;
}

/** Azure ML keeps a job's artifacts (its `./outputs` and `./logs`) here, in the workspace's artifact store. */
export function jobArtifactsPath(jobName: string): DatastorePath {
  return { datastore: "workspaceartifactstore", path: `ExperimentRun/dcid.${jobName}` };
}

/**
 * Reads `azureml://datastores/<ds>/paths/<path>`, the form outputs and data take, and the form
 * without `paths/` that the service writes for a job's default artifacts
 * (`azureml://datastores/workspaceartifactstore/ExperimentRun/dcid.<job>`). A long form that also
 * names the subscription, resource group and workspace is read the same way.
 */
export function parseDatastoreUri(uri: string): DatastorePath {
  const match = /^azureml:\/\/(?:subscriptions\/[^/]+\/resourcegroups\/[^/]+\/workspaces\/[^/]+\/)?datastores\/([^/]+)\/(?:paths\/)?(.*)$/i.exec(uri.trim());
  if (!match || !match[1]) throw new InputError(`'${uri}' is not a datastore URI (azureml://datastores/<datastore>/paths/<path>).`);
  const path = match[2].replace(/^\/+/, "").replace(/\/+$/, "");
  if (path.split("/").some((segment) => segment === ".." || segment === ".")) {
    throw new InputError(`Datastore URI '${uri}' may not hold '.' or '..' segments.`);
  }
  return { datastore: decodeURIComponent(match[1]), path };
}

/** `a/b` + `c/d.json` → `a/b/c/d.json`, refusing a relative path that climbs out of its folder. */
export function joinDatastorePath(folder: DatastorePath, relative: string): DatastorePath {
  const segments = relative.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) throw new InputError(`Path '${relative}' inside '${folder.path}' may not hold '..'.`);
  return { datastore: folder.datastore, path: [folder.path, ...segments].filter(Boolean).join("/") };
}
