import { userError } from "../../../arm/armErrors";
import { isJsonObject, JsonObject, JsonValue, textOf } from "../../../state/json";
import { ResourceStore, StoredResource } from "../../../state/resourceStore";

/** What serving a deployment needs from the assets it names, resolved when it is created or updated. */
export interface ServingSource {
  /** The code version's files and the script in them (`codeConfiguration`). */
  code: { codeId: string; uri: string; scoringScript: string };
  /** The model version whose files the script reads under AZUREML_MODEL_DIR. */
  model?: { id: string; name: string; version: string; uri: string };
  /** Recorded, never built: the local Python stands in for every environment. */
  environment?: { reference: string; image?: string; condaFile?: string };
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function stringOrUndefined(value: JsonValue | undefined): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function propertiesOf(resource: StoredResource): JsonObject {
  return isJsonObject(resource.body.properties) ? resource.body.properties : {};
}

/**
 * Checks the assets a deployment names, as Azure ML does when it is created or updated: the code
 * version and the model version must exist in the workspace, the environment too (curated and
 * registry environments always do). The model may be named by ARM id (what the SDKs send, with
 * or without `azureml:`) or by its long `azureml://…/workspaces/<ws>/models/<name>/versions/<v>` URI.
 */
export class DeploymentReferences {
  private readonly workspaceName: string;

  constructor(
    private readonly store: ResourceStore,
    private readonly workspace: StoredResource,
  ) {
    this.workspaceName = textOf(workspace.body.name);
  }

  private versionId(collection: string, reference: string): { id: string; name: string; version: string } | undefined {
    const armId = new RegExp(`^(?:azureml:)?${escaped(this.workspace.id)}/${collection}/([^/]+)/versions/([^/]+)$`, "i").exec(reference);
    if (armId) return { id: `${this.workspace.id}/${collection}/${armId[1]}/versions/${armId[2]}`, name: armId[1], version: armId[2] };
    const [, subscription = "", resourceGroup = "", workspaceName = ""] =
      /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/.*\/workspaces\/([^/]+)$/i.exec(this.workspace.id) ?? [];
    const longUri = new RegExp(
      `^azureml://subscriptions/${escaped(subscription)}/resource[gG]roups/${escaped(resourceGroup)}/(?:providers/Microsoft\\.MachineLearningServices/)?workspaces/${escaped(workspaceName)}/${collection}/([^/]+)/versions/([^/]+)$`,
      "i",
    ).exec(reference);
    if (longUri) return { id: `${this.workspace.id}/${collection}/${longUri[1]}/versions/${longUri[2]}`, name: longUri[1], version: longUri[2] };
    return undefined;
  }

  private code(codeConfiguration: JsonValue | undefined): ServingSource["code"] {
    if (!isJsonObject(codeConfiguration) || stringOrUndefined(codeConfiguration.codeId) === undefined) {
      // Ours: MLflow no-code and custom-container deployments need a generated or built image.
      throw userError(
        "The local Azure serves deployments that bring a scoring script (codeConfiguration with codeId and scoringScript); MLflow no-code and custom-container deployments are not available here.",
      );
    }
    const codeId = textOf(codeConfiguration.codeId);
    const scoringScript = textOf(codeConfiguration.scoringScript);
    if (scoringScript.trim() === "") throw userError("codeConfiguration.scoringScript is required.");
    const reference = this.versionId("codes", codeId);
    if (!reference) throw userError(`codeId '${codeId}' is not the ARM id of a code version in workspace '${this.workspaceName}'.`);
    const version = this.store.get(reference.id);
    if (!version) throw userError(`Code version '${reference.name}:${reference.version}' (codeId) was not found in workspace '${this.workspaceName}'.`);
    const uri = stringOrUndefined(propertiesOf(version).codeUri);
    if (!uri) throw userError(`Code version '${reference.name}:${reference.version}' has no codeUri.`);
    return { codeId: reference.id, uri, scoringScript };
  }

  private model(model: string): NonNullable<ServingSource["model"]> {
    if (/^azureml:\/\/registries\//i.test(model)) {
      throw userError(`The model '${model}' is in a registry; the local Azure has no registries: register the model in workspace '${this.workspaceName}'.`);
    }
    const reference = this.versionId("models", model);
    if (!reference) throw userError(`model '${model}' is not the ARM id of a model version in workspace '${this.workspaceName}'.`);
    const version = this.store.get(reference.id);
    if (!version) throw userError(`Model version '${reference.name}:${reference.version}' (model) was not found in workspace '${this.workspaceName}'.`);
    const uri = stringOrUndefined(propertiesOf(version).modelUri);
    if (!uri) throw userError(`Model version '${reference.name}:${reference.version}' has no modelUri.`);
    return { id: reference.id, name: reference.name, version: reference.version, uri };
  }

  private environment(environmentId: string): NonNullable<ServingSource["environment"]> {
    if (/^azureml:\/\/registries\/[^/]+\/environments\/[^/]+\/(versions|labels)\/[^/]+$/i.test(environmentId)) return { reference: environmentId };
    const reference = this.versionId("environments", environmentId);
    if (!reference) {
      throw userError(
        `environmentId '${environmentId}' is neither the ARM id of an environment version in workspace '${this.workspaceName}' nor a registry environment (azureml://registries/<registry>/environments/<name>/versions/<version>).`,
      );
    }
    const version = this.store.get(reference.id);
    if (!version)
      throw userError(`Environment version '${reference.name}:${reference.version}' (environmentId) was not found in workspace '${this.workspaceName}'.`);
    const properties = propertiesOf(version);
    return { reference: reference.id, image: stringOrUndefined(properties.image), condaFile: stringOrUndefined(properties.condaFile) };
  }

  /** The deployment's sources, or the ArmError Azure ML answers with. */
  resolve(properties: JsonObject): ServingSource {
    const source: ServingSource = { code: this.code(properties.codeConfiguration) };
    const model = stringOrUndefined(properties.model);
    if (model) source.model = this.model(model);
    const environmentId = stringOrUndefined(properties.environmentId);
    if (environmentId) source.environment = this.environment(environmentId);
    return source;
  }
}
