import { createHash, randomUUID } from "node:crypto";
import type { FlavorData, ModelVersion } from "@azure/arm-machinelearning";
import type { AssetGateway } from "../../../common/src/assets/assetGateway";
import { assetId, type AssetResolver, type WorkspaceId } from "../../../common/src/assets/assetResolver";
import type { InlineModel } from "../../../common/src/azureml/onlineDeploymentFile";
import type { AzureMLReference } from "../../../common/src/azureml/references";
import { InputError } from "../../../common/src/errors/inputError";
import { formatBytes } from "../../../common/src/upload/datastoreUpload";
import { capitalized } from "../../../common/src/text/sentence";
import type { ModelChoice } from "../settings/modelChoice";

/** The model a deployment serves, as the service takes it. */
export interface ResolvedModel {
  /** The version's ARM id (or a registry model's id): the deployment's `model`. */
  id: string;
  /** The registered (or anonymous) model's name and version, where the workspace holds it. */
  name?: string;
  version?: string;
  /** For the log and the summary: "churn:3", "churn:7 (churn@latest)", "anonymous model 6f1c…:1 (uploaded)". */
  outcome: string;
}

export interface ModelContext {
  gateway: AssetGateway;
  resolver: AssetResolver;
  workspaceId: WorkspaceId;
  workspaceName: string;
  log: (line: string) => void;
}

function flavorData(flavors: Record<string, unknown> | undefined): Record<string, FlavorData> | undefined {
  if (flavors === undefined) return undefined;
  const result: Record<string, FlavorData> = {};
  for (const [flavor, settings] of Object.entries(flavors)) {
    const data: Record<string, string> = {};
    if (settings && typeof settings === "object") {
      for (const [key, value] of Object.entries(settings)) data[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    result[flavor] = { data };
  }
  return result;
}

function anonymousModelBody(model: InlineModel, modelUri: string): ModelVersion {
  const flavors = flavorData(model.flavors);
  return {
    properties: {
      modelUri,
      modelType: model.type,
      isAnonymous: true,
      ...(model.description !== undefined ? { description: model.description } : {}),
      ...(Object.keys(model.tags).length > 0 ? { tags: model.tags } : {}),
      ...(Object.keys(model.properties).length > 0 ? { properties: model.properties } : {}),
      ...(flavors ? { flavors } : {}),
    },
  };
}

async function registered(context: ModelContext, name: string, version: string, source: string, outcome: string): Promise<ResolvedModel> {
  if ((await context.gateway.getModelVersion(name, version)) === undefined) {
    throw new InputError(`Model ${name}:${version} (${source}) is not registered in workspace '${context.workspaceName}'.`);
  }
  return { id: assetId(context.workspaceId, "models", name, version), name, version, outcome };
}

/** An anonymous version (name, version "1") holding `modelUri`, created unless it exists. */
async function anonymousVersion(context: ModelContext, model: InlineModel, name: string, modelUri: string, how: string): Promise<ResolvedModel> {
  const version = "1";
  const id = assetId(context.workspaceId, "models", name, version);
  if ((await context.gateway.getModelVersion(name, version)) !== undefined) {
    context.log(`Model ${name}:${version} already holds ${modelUri}: reused.`);
    return { id, name, version, outcome: `anonymous model ${name}:${version} (${how}, reused)` };
  }
  await context.gateway.createModelVersion(name, version, anonymousModelBody(model, modelUri));
  context.log(`Model ${name}:${version} registered for ${modelUri}.`);
  return { id, name, version, outcome: `anonymous model ${name}:${version} (${how})` };
}

/** The model's files are already in Azure: the anonymous version is named after what defines it, so a rerun finds it. */
function cloudModelName(model: InlineModel, uri: string): string {
  return createHash("md5")
    .update(JSON.stringify({ uri, type: model.type }))
    .digest("hex");
}

async function inlineModel(model: InlineModel, source: string, context: ModelContext): Promise<ResolvedModel> {
  const path: AzureMLReference = model.path;
  switch (path.kind) {
    case "localPath": {
      // As az ml registers an inline model: its files uploaded content-addressed, the anonymous
      // version recorded with the upload, so unchanged files keep their version.
      const upload = await context.resolver.upload(path.path, `the model '${path.path}'`);
      const result = upload.result;
      context.log(
        result.uploaded
          ? `Model files uploaded: ${result.files} file(s), ${formatBytes(result.bytes)} to ${result.prefix} in datastore '${upload.datastore}'.`
          : `Model files unchanged: reusing ${result.prefix} in datastore '${upload.datastore}'.`,
      );
      const name = result.asset?.name ?? randomUUID();
      const modelUri = `azureml://datastores/${upload.datastore}/paths/${result.prefix}`;
      return anonymousVersion(context, model, name, modelUri, result.uploaded ? "uploaded" : "files unchanged");
    }
    case "datastorePath":
    case "jobOutput":
    case "storageUrl":
      return anonymousVersion(context, model, cloudModelName(model, path.text), path.text, `from ${path.text}`);
    case "mlflowRun": {
      // As azure-ai-ml reads it: the run is the job, the path is inside its artifact store.
      const uri = `azureml://jobs/${path.runId}/outputs/artifacts/paths/${path.path}`;
      return anonymousVersion(context, model, cloudModelName(model, uri), uri, `from ${path.text}`);
    }
    case "assetVersion":
      return registered(context, path.name, path.version, source, `${path.name}:${path.version}`);
    case "armId":
      return { id: path.id, name: path.name, ...(path.version ? { version: path.version } : {}), outcome: path.text };
    default:
      throw new InputError(`${capitalized(source)} has path ${path.text}, which is not a form the task resolves to a model.`);
  }
}

/**
 * The deployment's model as a version id: a registered version checked to exist, `@latest`
 * resolved once to the newest version (and said so), an inline model registered as an anonymous
 * version first, a reference passed as written. Undefined when the deployment serves no model.
 */
export async function resolveModel(choice: ModelChoice, context: ModelContext): Promise<ResolvedModel | undefined> {
  switch (choice.kind) {
    case "none":
      return undefined;
    case "version":
      return registered(context, choice.name, choice.version, choice.source, `${choice.name}:${choice.version}`);
    case "latest": {
      const version = await context.gateway.latestModelVersion(choice.name);
      if (version === undefined) {
        throw new InputError(`Model ${choice.name}@latest (${choice.source}): model '${choice.name}' has no version in workspace '${context.workspaceName}'.`);
      }
      context.log(`Model ${choice.name}@latest is version ${version}.`);
      return {
        id: assetId(context.workspaceId, "models", choice.name, version),
        name: choice.name,
        version,
        outcome: `${choice.name}:${version} (${choice.name}@latest)`,
      };
    }
    case "reference": {
      const reference = choice.reference;
      if (reference.kind === "armId") {
        return { id: reference.id, name: reference.name, ...(reference.version ? { version: reference.version } : {}), outcome: reference.text };
      }
      // A registry model: the service takes the registry asset id as written.
      return { id: reference.text, outcome: reference.text };
    }
    case "inline":
      return inlineModel(choice.model, choice.source, context);
  }
}
