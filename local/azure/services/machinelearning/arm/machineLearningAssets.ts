import { ArmRoute } from "../../../arm/armRoute";
import { ArmServices } from "../../../arm/armServices";
import { isJsonObject, JsonObject, textOf } from "../../../state/json";
import { ResourceStore, StoredResource } from "../../../state/resourceStore";
import { AssetKind, assetRoutes, requiredString, VersionCheck } from "./assetRoutes";
import { userError } from "../../../arm/armErrors";
import { jobType } from "./workspaceIds";
import { artifactStoreName, jobArtifactsFolder, JobOutputResolver } from "./workspaceStorage";

/**
 * The root folder of a job's output: `artifacts` (and `default`, as the service names it) is the
 * job's place in the artifact store; a named output is where the job's `outputs.<name>.uri` says.
 */
export function jobOutputResolver(store: ResourceStore, workspace: StoredResource): JobOutputResolver {
  return (jobName, outputName) => {
    const job = store.get(`${workspace.id}/jobs/${jobName}`);
    if (!job || job.type !== jobType) return undefined;
    if (outputName === "artifacts" || outputName === "default") return `azureml://datastores/${artifactStoreName}/paths/${jobArtifactsFolder(jobName)}`;
    const properties = isJsonObject(job.body.properties) ? job.body.properties : {};
    const outputs = isJsonObject(properties.outputs) ? properties.outputs : {};
    const output = outputs[outputName];
    return isJsonObject(output) && typeof output.uri === "string" ? output.uri : undefined;
  };
}

/** The blobs a version points at must exist, as Azure ML checks ("No blobs found in storage at … path"). */
async function requireBlobs(uri: string, field: string, label: string, check: VersionCheck): Promise<void> {
  const location = check.storage.locate(uri, jobOutputResolver(check.storage.store, check.workspace));
  if (!(await check.storage.exists(location))) {
    throw userError(`No blobs found in storage at ${label} asset path: '${location.path}' in datastore '${location.datastore}' (${field} '${uri}').`);
  }
}

const codeKind: AssetKind = {
  collection: "codes",
  containerOperations: "CodeContainers",
  versionOperations: "CodeVersions",
  label: "code",
  immutable: ["codeUri"],
  prepareVersion: async (properties, check) => {
    const codeUri = requiredString(properties, "codeUri", "code");
    await requireBlobs(codeUri, "codeUri", "code", check);
    return properties;
  },
};

const environmentKind: AssetKind = {
  collection: "environments",
  containerOperations: "EnvironmentContainers",
  versionOperations: "EnvironmentVersions",
  label: "environment",
  immutable: ["image", "condaFile", "build", "inferenceConfig", "osType"],
  checkName: (name) => {
    if (/^(AzureML|Microsoft)/i.test(name)) {
      throw userError(
        `Environment name '${name}' starts with a prefix Azure ML reserves for curated environments ('AzureML', 'Microsoft'); choose another name.`,
      );
    }
  },
  // Recorded, never built: jobs run on the local Python whatever the image and conda file say.
  prepareVersion: (properties) => {
    if (typeof properties.image !== "string" && !isJsonObject(properties.build)) {
      throw userError("An environment version needs either an 'image' or a 'build' context.");
    }
    return { autoRebuild: "Disabled", osType: "Linux", ...properties, environmentType: "UserCreated" };
  },
};

const modelKind: AssetKind = {
  collection: "models",
  containerOperations: "ModelContainers",
  versionOperations: "ModelVersions",
  label: "model",
  immutable: ["modelUri", "modelType", "jobName", "flavors"],
  checkVersionName: (version) => {
    if (!/^[1-9]\d*$/.test(version)) throw userError(`Model version '${version}' is not valid: a model's version must be a positive integer.`);
  },
  prepareVersion: async (properties, check) => {
    const modelUri = requiredString(properties, "modelUri", "model");
    await requireBlobs(modelUri, "modelUri", "model", check);
    const job = /^(?:azureml:\/\/jobs\/|runs:\/)([^/]+)\//i.exec(modelUri)?.[1];
    return { modelType: "custom_model", ...properties, ...(job && properties.jobName == null ? { jobName: job } : {}) };
  },
};

const dataTypes = ["uri_file", "uri_folder", "mltable"];

const dataKind: AssetKind = {
  collection: "data",
  containerOperations: "DataContainers",
  versionOperations: "DataVersions",
  label: "data",
  immutable: ["dataType", "dataUri"],
  prepareVersion: async (properties, check) => {
    const dataUri = requiredString(properties, "dataUri", "data");
    if (!dataTypes.includes(textOf(properties.dataType))) throw userError(`Data type '${textOf(properties.dataType)}' is not one of ${dataTypes.join(", ")}.`);
    if (/^azureml:\/\//i.test(dataUri)) await requireBlobs(dataUri, "dataUri", "data", check);
    return properties;
  },
  containerFromVersion: (properties): JsonObject => ({ dataType: properties.dataType ?? "uri_folder" }),
  prepareContainer: (properties) => {
    if (!dataTypes.includes(textOf(properties.dataType))) throw userError(`Data type '${textOf(properties.dataType)}' is not one of ${dataTypes.join(", ")}.`);
    return properties;
  },
};

/** Code, environments, models and data at 2022-10-01. */
export function machineLearningAssetRoutes(services: ArmServices): ArmRoute[] {
  return [codeKind, environmentKind, modelKind, dataKind].flatMap((kind) => assetRoutes(services, kind));
}
