import * as path from "node:path";

/*
 * Every way an Azure ML YAML file points at something (NOTES §1, reference-yaml-core-syntax.md):
 * registered assets by version or label, workspace resources, ARM ids, datastore and job-output
 * URIs, registry assets, MLflow run artifacts, storage URLs, and local paths, which resolve
 * against the folder of the YAML file, not the working directory.
 *
 * `parseReference` only reads the text; which forms a field accepts is the field's business.
 * A malformed reference throws a ReferenceSyntaxError with the reason alone, which the caller
 * turns into one sentence naming the file, field and line.
 */

export type AssetCollection = "models" | "environments" | "components" | "data" | "codes";

/** The workspace part of a long-form ARM id or datastore URI. */
export interface WorkspaceScope {
  subscription: string;
  resourceGroup: string;
  workspace: string;
}

export type AzureMLReference =
  /** `azureml:<name>:<version>` */
  | { kind: "assetVersion"; text: string; name: string; version: string }
  /** `azureml:<name>@<label>` (`latest` is the only documented label) */
  | { kind: "assetLabel"; text: string; name: string; label: string }
  /** `azureml:<name>`: a workspace resource such as a compute, or a data asset's latest version */
  | { kind: "resource"; text: string; name: string }
  /** `azureml:/subscriptions/…/workspaces/<ws>/<collection>/<name>[/versions/<v>]` */
  | { kind: "armId"; text: string; id: string; scope: WorkspaceScope; collection: string; name: string; version?: string }
  /** `azureml://datastores/<ds>/paths/<path>`, optionally with the workspace in front */
  | { kind: "datastorePath"; text: string; datastore: string; path: string; scope?: WorkspaceScope }
  /** `azureml://jobs/<job>/outputs/<output>/paths/<path>`; output `artifacts` is the job's artifact store */
  | { kind: "jobOutput"; text: string; job: string; output: string; path: string }
  /** `azureml://registries/<reg>/<collection>/<name>/versions/<v>` or `/labels/<label>` */
  | { kind: "registryAsset"; text: string; registry: string; collection: AssetCollection; name: string; version?: string; label?: string }
  /** `runs:/<run-id>/<path>` (MLflow) */
  | { kind: "mlflowRun"; text: string; runId: string; path: string }
  /** `https://…`, `http://…`, `wasbs://…`, `wasb://…`, `abfss://…`, `adl://…` */
  | { kind: "storageUrl"; text: string; scheme: StorageScheme; url: string }
  /** A path on this machine, absolute, resolved against the YAML file's folder. */
  | { kind: "localPath"; text: string; path: string };

export type ReferenceKind = AzureMLReference["kind"];

export type StorageScheme = "https" | "http" | "wasbs" | "wasb" | "abfss" | "adl";
const storageSchemes: readonly StorageScheme[] = ["https", "http", "wasbs", "wasb", "abfss", "adl"];
const assetCollections: readonly AssetCollection[] = ["models", "environments", "components", "data", "codes"];

/** The reason a reference cannot be read; the caller adds file, field and line. */
export class ReferenceSyntaxError extends Error {
  override readonly name = "ReferenceSyntaxError";
}

// Asset and resource names: letters, digits, '-', '_', '.'; Azure's own rules are narrower per
// kind, and the service says so; what matters here is telling the forms apart.
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const versionPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const segmentPattern = /^[^/\s]+$/;

function checkName(name: string, what: string, form: string): string {
  if (!namePattern.test(name)) throw new ReferenceSyntaxError(`has ${describePart(name, what)}; ${form}`);
  return name;
}

function describePart(value: string, what: string): string {
  return value === "" ? `no ${what}` : `an invalid ${what}`;
}

const assetForms = "write azureml:<name>:<version>, azureml:<name>@latest or azureml:<name>";

function parseShortAsset(text: string, body: string): AzureMLReference {
  const at = body.indexOf("@");
  if (at >= 0) {
    const name = checkName(body.slice(0, at), "name before '@'", assetForms);
    const label = body.slice(at + 1);
    if (!namePattern.test(label)) throw new ReferenceSyntaxError(`has ${describePart(label, "label after '@'")}; ${assetForms}`);
    return { kind: "assetLabel", text, name, label };
  }
  const parts = body.split(":");
  if (parts.length > 2) throw new ReferenceSyntaxError(`has more than one ':' after 'azureml:'; ${assetForms}`);
  const name = checkName(parts[0], "name", assetForms);
  if (parts.length === 1) return { kind: "resource", text, name };
  if (!versionPattern.test(parts[1])) throw new ReferenceSyntaxError(`has ${describePart(parts[1], "version after the name")}; ${assetForms}`);
  return { kind: "assetVersion", text, name, version: parts[1] };
}

const armIdPattern =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)\/([^/]+)\/([^/]+)(?:\/versions\/([^/]+))?\/?$/i;

function parseArmId(text: string, id: string): AzureMLReference {
  const match = armIdPattern.exec(id);
  if (match === null) {
    throw new ReferenceSyntaxError(
      "is not a workspace resource id; write azureml:/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.MachineLearningServices/workspaces/<workspace>/<kind>/<name>[/versions/<version>]",
    );
  }
  const [, subscription, resourceGroup, workspace, collection, name, version] = match;
  return { kind: "armId", text, id, scope: { subscription, resourceGroup, workspace }, collection, name, version };
}

/** The path after `/paths/`, which must not be empty and is kept as written (a trailing '/' means a folder). */
function pathAfter(rest: string[], form: string): string {
  if (rest[0] !== "paths" || rest.length < 2 || rest.slice(1).join("/") === "") {
    throw new ReferenceSyntaxError(`has no '/paths/<path>' part; ${form}`);
  }
  return rest.slice(1).join("/");
}

function segment(value: string | undefined, what: string, form: string): string {
  if (value === undefined || !segmentPattern.test(value)) throw new ReferenceSyntaxError(`has ${describePart(value ?? "", what)}; ${form}`);
  return value;
}

const datastoreForm = "write azureml://datastores/<datastore>/paths/<path>";
const jobForm = "write azureml://jobs/<job>/outputs/<output>/paths/<path>";
const registryForm = "write azureml://registries/<registry>/<models|environments|components|data>/<name>/versions/<version> or …/labels/latest";

function parseDatastore(text: string, parts: string[], scope?: WorkspaceScope): AzureMLReference {
  const datastore = segment(parts[1], "datastore name", datastoreForm);
  return { kind: "datastorePath", text, datastore, path: pathAfter(parts.slice(2), datastoreForm), scope };
}

function parseJobOutput(text: string, parts: string[]): AzureMLReference {
  const job = segment(parts[1], "job name", jobForm);
  if (parts[2] !== "outputs") throw new ReferenceSyntaxError(`has no '/outputs/<output>' part; ${jobForm}`);
  const output = segment(parts[3], "output name", jobForm);
  return { kind: "jobOutput", text, job, output, path: pathAfter(parts.slice(4), jobForm) };
}

function parseRegistry(text: string, parts: string[]): AzureMLReference {
  const registry = segment(parts[1], "registry name", registryForm);
  const collection = assetCollections.find((name) => name === parts[2]);
  if (collection === undefined) throw new ReferenceSyntaxError(`names no asset kind (models, environments, components or data); ${registryForm}`);
  const name = checkName(parts[3] ?? "", "asset name", registryForm);
  const value = parts[5] ?? "";
  if (parts.length !== 6 || !namePattern.test(value)) throw new ReferenceSyntaxError(`does not end in /versions/<version> or /labels/<label>; ${registryForm}`);
  if (parts[4] === "versions") return { kind: "registryAsset", text, registry, collection, name, version: value };
  if (parts[4] === "labels") return { kind: "registryAsset", text, registry, collection, name, label: value };
  throw new ReferenceSyntaxError(`does not end in /versions/<version> or /labels/<label>; ${registryForm}`);
}

const longDatastorePattern =
  /^subscriptions\/([^/]+)\/resource[Gg]roups\/([^/]+)\/(?:providers\/Microsoft\.MachineLearningServices\/)?workspaces\/([^/]+)\/(datastores\/.*)$/;

function parseAzureMLUri(text: string, body: string): AzureMLReference {
  const long = longDatastorePattern.exec(body);
  if (long !== null) {
    const [, subscription, resourceGroup, workspace, rest] = long;
    return parseDatastore(text, rest.split("/"), { subscription, resourceGroup, workspace });
  }
  const parts = body.split("/");
  switch (parts[0]) {
    case "datastores":
      return parseDatastore(text, parts);
    case "jobs":
      return parseJobOutput(text, parts);
    case "registries":
      return parseRegistry(text, parts);
    default:
      throw new ReferenceSyntaxError("is not an azureml:// form the task knows: azureml://datastores/…, azureml://jobs/…/outputs/… or azureml://registries/…");
  }
}

function parseRun(text: string): AzureMLReference {
  const match = /^runs:\/([^/]+)\/(.+)$/.exec(text);
  if (match === null) throw new ReferenceSyntaxError("is not a run artifact; write runs:/<run-id>/<path>");
  return { kind: "mlflowRun", text, runId: match[1], path: match[2] };
}

function parseUrl(text: string, scheme: StorageScheme): AzureMLReference {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ReferenceSyntaxError(`is not a valid ${scheme} URL`);
  }
  if (url.hostname === "") throw new ReferenceSyntaxError(`is a ${scheme} URL without a host`);
  return { kind: "storageUrl", text, scheme, url: text };
}

/** `C:\data` or `C:/data` on a Windows agent is a path, not a URI scheme. */
const windowsDrive = /^[A-Za-z]:[\\/]/;

/**
 * Reads one reference as written in a YAML file in `folder`. Text without a known scheme is a
 * local path (the `file:` prefix may be written); it is resolved but not checked here.
 */
export function parseReference(text: string, folder: string): AzureMLReference {
  if (text.trim() === "") throw new ReferenceSyntaxError("is empty");
  if (text !== text.trim()) throw new ReferenceSyntaxError("starts or ends with spaces");
  if (text.startsWith("azureml://")) return parseAzureMLUri(text, text.slice("azureml://".length));
  if (text.startsWith("azureml:/")) return parseArmId(text, text.slice("azureml:".length));
  if (text.startsWith("azureml:")) return parseShortAsset(text, text.slice("azureml:".length));
  if (text.startsWith("runs:")) return parseRun(text);
  if (windowsDrive.test(text)) return { kind: "localPath", text, path: path.resolve(folder, text) };
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1];
  if (scheme !== undefined) {
    if (scheme === "file") return { kind: "localPath", text, path: path.resolve(folder, text.slice("file:".length)) };
    const known = storageSchemes.find((name) => name === scheme.toLowerCase());
    if (known !== undefined) return parseUrl(text, known);
    if (text.startsWith(`${scheme}://`)) {
      throw new ReferenceSyntaxError(`uses the scheme '${scheme}', which Azure ML does not read; use azureml:, https, wasbs, abfss, adl or a local path`);
    }
  }
  return { kind: "localPath", text, path: path.resolve(folder, text) };
}

/** How a reference kind is named in "X is not accepted here" sentences. */
export function describeReferenceKind(kind: ReferenceKind): string {
  const names: Record<ReferenceKind, string> = {
    assetVersion: "a registered asset version (azureml:<name>:<version>)",
    assetLabel: "a registered asset label (azureml:<name>@latest)",
    resource: "a workspace resource name (azureml:<name>)",
    armId: "a resource id (azureml:/subscriptions/…)",
    datastorePath: "a datastore path (azureml://datastores/…)",
    jobOutput: "a job output (azureml://jobs/…)",
    registryAsset: "a registry asset (azureml://registries/…)",
    mlflowRun: "an MLflow run artifact (runs:/…)",
    storageUrl: "a storage URL",
    localPath: "a local path",
  };
  return names[kind];
}
