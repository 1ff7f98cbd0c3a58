import { userError } from "../../../arm/armErrors";
import { isJsonObject, JsonObject, JsonValue, textOf } from "../../../state/json";
import { ResourceStore, StoredResource } from "../../../state/resourceStore";
import { JobInputSpec } from "../jobRunner/jobRun";
import { ExpressionValues, substituteCommand } from "../jobRunner/commandExpressions";
import { computeType } from "../arm/workspaceIds";
import { artifactStoreName, defaultDatastoreName, jobArtifactsFolder, WorkspaceStorage } from "../arm/workspaceStorage";
import { jobOutputResolver } from "../arm/machineLearningAssets";
import { isoDurationSeconds } from "../isoDuration";

/** A data input as the job will fetch it: the datastore URI (resolved from a data asset when one is named). */
export interface DataInputSource {
  uri: string;
}

/** What a command job needs besides its stored body, resolved at submission. */
export interface JobReferences {
  /** The code version's codeUri. */
  codeUri?: string;
  environment: { reference: string; image?: string; condaFile?: string };
  /** The compute's name; undefined for serverless. */
  computeName?: string;
  inputs: Record<string, JobInputSpec>;
  /** Data input name → where its content is. */
  dataSources: Record<string, DataInputSource>;
  /** Named output → the URI of its folder. */
  outputs: Record<string, string>;
  timeoutSeconds?: number;
}

/** Fields of a job that may change after it was created (Azure: "Only description, tags, displayName, properties, and isArchived can be updated"). */
export const mutableJobFields = ["description", "tags", "displayName", "properties", "isArchived"];

function armIdPattern(workspace: StoredResource, collection: string): RegExp {
  const escaped = workspace.id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped}/${collection}/([^/]+)/versions/([^/]+)$`, "i");
}

/** `P1DT2H3M4S`, `PT30S`, `PT0.5S`: a job limit's duration, in seconds. */
export function durationSeconds(text: string): number {
  const seconds = isoDurationSeconds(text);
  if (seconds === undefined) throw userError(`limits.timeout '${text}' is not an ISO 8601 duration such as PT30M.`);
  return seconds;
}

const bindingName = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkBindingName(kind: "input" | "output", name: string): void {
  if (!bindingName.test(name)) {
    throw userError(`The job's ${kind} name '${name}' is not valid: it starts with a letter or '_' and holds only letters, digits and '_'.`);
  }
}

/** Refuses a command whose \${{inputs.x}} or \${{outputs.y}} names no declared input or output, as Azure ML does at submission. */
function checkCommandBindings(command: string, inputs: string[], outputs: string[]): void {
  const values: ExpressionValues = {
    inputs: Object.fromEntries(inputs.map((name) => [name, { kind: "literal", value: "x" }])),
    outputs: Object.fromEntries(outputs.map((name) => [name, "x"])),
  };
  try {
    substituteCommand(command, values);
  } catch (error) {
    throw userError(`The job's command is not valid: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function stringOrUndefined(value: JsonValue | undefined): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Checks a command job's references the way Azure ML does at submission: the code version and
 * the environment version must exist in the workspace (curated `AzureML-…` environments and
 * registry environments always do), the compute too when one is named (none = serverless).
 */
export class JobDefinition {
  constructor(
    private readonly store: ResourceStore,
    private readonly workspace: StoredResource,
    private readonly storage: WorkspaceStorage,
  ) {}

  private code(codeId: string): string {
    const match = armIdPattern(this.workspace, "codes").exec(codeId);
    if (!match) throw userError(`codeId '${codeId}' is not the ARM id of a code version in workspace '${textOf(this.workspace.body.name)}'.`);
    const version = this.store.get(codeId);
    if (!version) throw userError(`Code version '${match[1]}:${match[2]}' (codeId) was not found in workspace '${textOf(this.workspace.body.name)}'.`);
    const properties = isJsonObject(version.body.properties) ? version.body.properties : {};
    const uri = stringOrUndefined(properties.codeUri);
    if (!uri) throw userError(`Code version '${match[1]}:${match[2]}' has no codeUri.`);
    return uri;
  }

  private environment(environmentId: string): JobReferences["environment"] {
    if (/^azureml:\/\/registries\/[^/]+\/environments\/[^/]+\/(versions|labels)\/[^/]+$/i.test(environmentId)) return { reference: environmentId };
    const match = armIdPattern(this.workspace, "environments").exec(environmentId);
    if (!match) {
      throw userError(
        `environmentId '${environmentId}' is neither the ARM id of an environment version in workspace '${textOf(this.workspace.body.name)}' nor a registry environment (azureml://registries/<registry>/environments/<name>/versions/<version>).`,
      );
    }
    const version = this.store.get(environmentId);
    if (!version) {
      // Curated environments exist in every workspace.
      if (/^AzureML-/i.test(match[1])) return { reference: environmentId };
      throw userError(`Environment version '${match[1]}:${match[2]}' (environmentId) was not found in workspace '${textOf(this.workspace.body.name)}'.`);
    }
    const properties = isJsonObject(version.body.properties) ? version.body.properties : {};
    return { reference: environmentId, image: stringOrUndefined(properties.image), condaFile: stringOrUndefined(properties.condaFile) };
  }

  private compute(computeId: string): string {
    const escaped = this.workspace.id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const match = new RegExp(`^${escaped}/computes/([^/]+)$`, "i").exec(computeId);
    if (!match) throw userError(`computeId '${computeId}' is not the ARM id of a compute in workspace '${textOf(this.workspace.body.name)}'.`);
    const compute = this.store.get(computeId);
    if (!compute || compute.type !== computeType)
      throw userError(`Compute '${match[1]}' (computeId) was not found in workspace '${textOf(this.workspace.body.name)}'.`);
    return textOf(compute.body.name);
  }

  /** A data asset named by `azureml:<name>:<version>` or by its ARM id: its dataUri. */
  private dataAsset(uri: string): string | undefined {
    const short = /^azureml:([^/:@]+):([^/:@]+)$/i.exec(uri);
    const id = short
      ? `${this.workspace.id}/data/${short[1]}/versions/${short[2]}`
      : armIdPattern(this.workspace, "(?:data|models)").test(uri)
        ? uri
        : undefined;
    if (id === undefined) return undefined;
    const asset = this.store.get(id);
    const properties = asset && isJsonObject(asset.body.properties) ? asset.body.properties : undefined;
    const resolved = stringOrUndefined(properties?.dataUri) ?? stringOrUndefined(properties?.modelUri);
    if (!resolved) throw userError(`The asset '${uri}' was not found in workspace '${textOf(this.workspace.body.name)}'.`);
    return resolved;
  }

  private input(name: string, input: JsonObject, references: JobReferences): void {
    const type = textOf(input.jobInputType);
    if (type === "literal") {
      references.inputs[name] = { kind: "literal", value: textOf(input.value ?? "") };
      return;
    }
    const uri = textOf(input.uri ?? "");
    // Direct mode and plain web URLs reach the command as the URI itself.
    if (textOf(input.mode).toLowerCase() === "direct" || (/^https?:\/\//i.test(uri) && !this.isWorkspaceUrl(uri))) {
      references.inputs[name] = { kind: "literal", value: uri };
      return;
    }
    const source = this.dataAsset(uri) ?? uri;
    this.storage.locate(source, jobOutputResolver(this.store, this.workspace));
    references.inputs[name] = { kind: "data" };
    references.dataSources[name] = { uri: source };
  }

  private isWorkspaceUrl(uri: string): boolean {
    try {
      this.storage.locate(uri);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The job as stored (defaults filled in, outputs given their URIs, the `default` artifacts
   * output added, Studio and Tracking services) and what running it needs. Throws ArmError.
   */
  resolve(jobName: string, requested: JsonObject, studioEndpoint: string): { properties: JsonObject; references: JobReferences } {
    if (requested.jobType !== "Command") {
      throw userError(`Job type '${textOf(requested.jobType)}' is not one the local Azure runs: only command jobs (jobType 'Command') run here.`);
    }
    const references: JobReferences = { environment: { reference: "" }, inputs: {}, dataSources: {}, outputs: {} };
    const codeId = stringOrUndefined(requested.codeId);
    if (codeId) references.codeUri = this.code(codeId);
    references.environment = this.environment(textOf(requested.environmentId ?? ""));
    const computeId = stringOrUndefined(requested.computeId);
    if (computeId) references.computeName = this.compute(computeId);

    const inputs = isJsonObject(requested.inputs) ? requested.inputs : {};
    for (const [name, input] of Object.entries(inputs)) {
      checkBindingName("input", name);
      if (isJsonObject(input)) this.input(name, input, references);
    }

    const outputs: JsonObject = {};
    const requestedOutputs = isJsonObject(requested.outputs) ? requested.outputs : {};
    for (const [name, output] of Object.entries(requestedOutputs)) {
      if (!isJsonObject(output) || name === "default") continue;
      checkBindingName("output", name);
      const uri = stringOrUndefined(output.uri) ?? WorkspaceStorage.folderUri(defaultDatastoreName, `azureml/${jobName}/${name}`);
      this.storage.locate(uri);
      references.outputs[name] = uri;
      outputs[name] = { mode: "ReadWriteMount", ...output, uri };
    }
    checkCommandBindings(textOf(requested.command), Object.keys(inputs), Object.keys(references.outputs));
    // As the service writes it: the job's artifacts, without `paths/`.
    outputs.default = { jobOutputType: "uri_folder", mode: "ReadWriteMount", uri: `azureml://datastores/${artifactStoreName}/${jobArtifactsFolder(jobName)}` };

    const limits = isJsonObject(requested.limits) ? requested.limits : undefined;
    const timeout = stringOrUndefined(limits?.timeout);
    if (timeout !== undefined) {
      references.timeoutSeconds = durationSeconds(timeout);
      if (references.timeoutSeconds <= 0) throw userError(`limits.timeout '${timeout}' must be longer than zero.`);
    }

    const properties: JsonObject = {
      description: null,
      tags: {},
      properties: {},
      experimentName: "Default",
      isArchived: false,
      resources: { instanceCount: 1, shmSize: "2g" },
      ...requested,
      outputs,
      services: {
        Studio: { jobServiceType: "Studio", endpoint: studioEndpoint },
        Tracking: { jobServiceType: "Tracking", endpoint: `azureml://${textOf(this.workspace.body.location)}.api.azureml.ms/mlflow/v1.0${this.workspace.id}` },
      },
      status: "NotStarted",
    };
    return { properties, references };
  }
}
