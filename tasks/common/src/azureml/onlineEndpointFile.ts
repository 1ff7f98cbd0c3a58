import { readReference } from "./referenceField";
import { AzureMLReference } from "./references";
import { FieldSet, loadYamlFile, YamlField } from "./yamlFields";

/*
 * An online endpoint file as `az ml online-endpoint create -f` reads it
 * (reference-yaml-endpoint-online.md, azure-ai-ml's endpoint schemas; NOTES §2, §7).
 * Like the SDK, a file with `compute` describes a Kubernetes endpoint, any other a managed one.
 */

export type OnlineEndpointKind = "managed" | "kubernetes";
export type EndpointAuthMode = "key" | "aml_token" | "aad_token";
export type PublicNetworkAccess = "enabled" | "disabled";

export interface EndpointIdentity {
  type: "system_assigned" | "user_assigned" | "system_assigned,user_assigned" | "none";
  /** Resource ids of the user-assigned identities (`user_assigned` only). */
  userAssignedIdentities: string[];
}

export interface OnlineEndpointSpec {
  file: string;
  folder: string;
  kind: OnlineEndpointKind;
  name: string;
  description?: string;
  tags: Record<string, string>;
  properties: Record<string, string>;
  authMode: EndpointAuthMode;
  /** Kubernetes endpoints only: `azureml:<compute>` (or the compute's ARM id). */
  compute?: AzureMLReference;
  identity?: EndpointIdentity;
  /** Deployment name → percent; written only when the file has it (it cannot be set at creation). */
  traffic?: Record<string, number>;
  /** At most one deployment, at most 50 %; managed endpoints only. */
  mirrorTraffic?: Record<string, number>;
  /** Managed endpoints only; Kubernetes endpoints have none. */
  publicNetworkAccess?: PublicNetworkAccess;
}

// `id`, `provisioning_state`, `scoring_uri`, `openapi_uri`, `location` and `kind` appear in
// `az ml online-endpoint show` output; az ml accepts them back and ignores them.
const endpointFields = [
  "$schema",
  "name",
  "description",
  "tags",
  "properties",
  "auth_mode",
  "compute",
  "identity",
  "traffic",
  "mirror_traffic",
  "public_network_access",
  "id",
  "provisioning_state",
  "scoring_uri",
  "openapi_uri",
  "location",
  "kind",
];

/** Endpoint and deployment names: 3 to 32 letters, digits and '-', starting with a letter, not ending with '-'. */
export const onlineNamePattern = /^[A-Za-z][A-Za-z0-9-]{1,30}[A-Za-z0-9]$/;

/** What an endpoint or deployment name must be, for an error that refuses one. */
export const onlineNameRule = "use 3 to 32 letters, digits and '-', starting with a letter and ending with a letter or digit";

export function readOnlineName(field: YamlField, what: string): string {
  const name = field.nonEmptyText();
  if (!onlineNamePattern.test(name)) {
    throw field.error(`is not a valid ${what} name: ${onlineNameRule}.`);
  }
  return name;
}

/** az ml reads these keywords through camel_to_snake: `Key`, `AMLToken` and `aml_token` are all accepted. */
export function snakeKeyword<T extends string>(field: YamlField, allowed: readonly T[]): T {
  const text = field.text();
  const snake = text
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase();
  const match = allowed.find((value) => value === snake);
  return match ?? field.oneOf(allowed);
}

export function readOnlineEndpointFile(file: string, inputName: string): OnlineEndpointSpec {
  const { origin, folder, root } = loadYamlFile(file, `Input '${inputName}'`, "an online endpoint");
  const fields = root.fields(endpointFields);
  const computeField = fields.optional("compute");
  const kind: OnlineEndpointKind = computeField === undefined ? "managed" : "kubernetes";
  const publicAccess = fields.optional("public_network_access");
  if (kind === "kubernetes" && publicAccess !== undefined) {
    throw publicAccess.error("applies to managed endpoints only; this endpoint names a Kubernetes 'compute'.");
  }
  const traffic = readTraffic(fields.optional("traffic"));
  const mirrorTraffic = readMirrorTraffic(fields, kind, traffic);
  return {
    file: origin.file,
    folder,
    kind,
    name: readOnlineName(fields.required("name"), "endpoint"),
    description: fields.optional("description")?.text(),
    tags: fields.optional("tags")?.textMap() ?? {},
    properties: fields.optional("properties")?.textMap() ?? {},
    authMode: fields.optional("auth_mode") === undefined ? "key" : snakeKeyword(fields.required("auth_mode"), ["key", "aml_token", "aad_token"] as const),
    compute: computeField === undefined ? undefined : readReference(computeField, folder, ["resource", "armId"]),
    identity: readIdentity(fields.optional("identity")),
    traffic,
    mirrorTraffic,
    publicNetworkAccess:
      kind === "managed" ? (publicAccess === undefined ? "enabled" : lowerKeyword(publicAccess, ["enabled", "disabled"] as const)) : undefined,
  };
}

function readIdentity(field: YamlField | undefined): EndpointIdentity | undefined {
  if (field === undefined) return undefined;
  const fields = field.fields(["type", "user_assigned_identities", "principal_id", "tenant_id"]);
  const type = snakeKeyword(fields.required("type"), ["system_assigned", "user_assigned", "system_assigned,user_assigned", "none"] as const);
  const listField = fields.optional("user_assigned_identities");
  if (!type.includes("user_assigned")) {
    if (listField !== undefined) throw listField.error(`goes only with a user-assigned identity type, not '${type}'.`);
    return { type, userAssignedIdentities: [] };
  }
  if (listField === undefined) throw field.error(`has type '${type}' and needs 'user_assigned_identities', the resource ids of the identities.`);
  const ids = readIdentityIds(listField);
  if (ids.length === 0) throw listField.error("is empty; name at least one user-assigned identity.");
  return { type, userAssignedIdentities: ids };
}

/**
 * Three forms are in use: a list of ids, a list of `- resource_id: <id>`, and a mapping keyed
 * by id (as the SDK's identity schema dumps it).
 */
function readIdentityIds(listField: YamlField): string[] {
  if (listField.isMapping()) return listField.entries().map((entry) => entry.key);
  if (listField.type !== "list") throw listField.wrongType("a list of identity resource ids");
  return (listField.value as unknown[]).map((item, index) => {
    const entry = new YamlField(listField.origin, `${listField.path}[${index}]`, listField.line, item, undefined);
    if (entry.type === "text") return entry.nonEmptyText();
    return entry
      .fields(["resource_id", "client_id", "principal_id"], "an identity resource id (text) or a mapping with 'resource_id'")
      .required("resource_id")
      .nonEmptyText();
  });
}

/** Fields read through azure-ai-ml's default StringTransformedEnum transform (lower case). */
export function lowerKeyword<T extends string>(field: YamlField, allowed: readonly T[]): T {
  const lower = field.text().toLowerCase();
  return allowed.find((value) => value === lower) ?? field.oneOf(allowed);
}

function readPercentMap(field: YamlField, maximum: number): Record<string, number> {
  const result: Record<string, number> = {};
  for (const entry of field.entries("a mapping of deployment names to percentages")) {
    const percent = entry.integer(0);
    if (percent > maximum) throw entry.error(`is ${percent}; it must be at most ${maximum} (percent).`);
    Object.defineProperty(result, entry.key, { value: percent, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/** NOTES §7: percentages per deployment whose total is 0 or 100. */
function readTraffic(field: YamlField | undefined): Record<string, number> | undefined {
  if (field === undefined) return undefined;
  const traffic = readPercentMap(field, 100);
  const total = Object.values(traffic).reduce((sum, percent) => sum + percent, 0);
  if (total !== 0 && total !== 100) throw field.error(`adds up to ${total} percent; the total must be 0 or 100.`);
  return traffic;
}

/** NOTES §7: one deployment, at most 50 %, never one that takes live traffic, not on Kubernetes. */
function readMirrorTraffic(fields: FieldSet, kind: OnlineEndpointKind, traffic: Record<string, number> | undefined): Record<string, number> | undefined {
  const field = fields.optional("mirror_traffic");
  if (field === undefined) return undefined;
  if (kind === "kubernetes") throw field.error("is not supported on Kubernetes endpoints.");
  const mirror = readPercentMap(field, 50);
  const names = Object.keys(mirror);
  if (names.length > 1) throw field.error(`names ${names.length} deployments; traffic can be mirrored to one deployment only.`);
  for (const name of names) {
    if (mirror[name] > 0 && (traffic?.[name] ?? 0) > 0) {
      throw field.error(`mirrors traffic to '${name}', which also takes live traffic; a deployment cannot take both.`);
    }
  }
  return mirror;
}
