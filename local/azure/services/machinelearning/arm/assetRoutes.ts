import { ArmRequestContext, ArmResult, ArmRoute, defineRoute } from "../../../arm/armRoute";
import { ArmError, userError } from "../../../arm/armErrors";
import { ArmServices } from "../../../arm/armServices";
import { newStoredResource, requireBody, systemData, touch } from "../../../arm/resourceHelpers";
import { isJsonObject, JsonObject, textOf, canonicalJson } from "../../../state/json";
import { StoredResource } from "../../../state/resourceStore";
import { machineLearningApiVersions, workspaceId, workspaceTemplate } from "./workspaceIds";
import { requireWorkspace } from "./workspaceChildren";
import { WorkspaceStorage } from "./workspaceStorage";

/** What a kind of asset needs to check and fill in a new version. */
export interface VersionCheck {
  workspace: StoredResource;
  storage: WorkspaceStorage;
  name: string;
  version: string;
}

/** One kind of Azure ML asset (code, environment, model, data): a container of immutable versions. */
export interface AssetKind {
  /** The path segment: `codes`, `environments`, `models`, `data`. */
  collection: string;
  /** The swagger's operation id prefixes: `CodeContainers`, `CodeVersions`. */
  containerOperations: string;
  versionOperations: string;
  /** For messages: "code", "model". */
  label: string;
  /** Version properties that may not change once the version exists (the rest: description, tags, properties, isArchived). */
  immutable: readonly string[];
  /** The version's properties as stored: defaults filled in, references checked (throws ArmError). */
  prepareVersion(properties: JsonObject, check: VersionCheck): Promise<JsonObject> | JsonObject;
  /** Refuses a version name this kind does not take. */
  checkVersionName?(version: string): void;
  /** Refuses a name this kind reserves (environments: the curated prefixes). */
  checkName?(name: string): void;
  /** Container properties a first version gives its implicit container (data: its dataType). */
  containerFromVersion?(properties: JsonObject): JsonObject;
  /** Container properties checked and defaulted on a container PUT. */
  prepareContainer?(properties: JsonObject): JsonObject;
}

const mutableVersionFields = ["description", "tags", "properties", "isArchived"];

function propertiesIn(body: JsonObject): JsonObject {
  return isJsonObject(body.properties) ? body.properties : {};
}

function notFound(what: string, workspaceName: string): ArmError {
  return new ArmError(404, "UserError", `${what} was not found in workspace '${workspaceName}'.`);
}

/** Archived versions and containers are left out unless listViewType asks for them. */
function viewFilter(context: ArmRequestContext): (resource: StoredResource) => boolean {
  const view = (context.query.get("listViewType") ?? "ActiveOnly").toLowerCase();
  return (resource) => {
    const archived = propertiesIn(resource.body).isArchived === true;
    if (view === "all") return true;
    return view === "archivedonly" ? archived : !archived;
  };
}

function numericVersions(versions: StoredResource[]): number[] {
  return versions
    .map((version) => textOf(version.body.name))
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** Routes of one asset kind at 2022-10-01: containers and versions, each GET, PUT, DELETE and LIST. */
export function assetRoutes(services: ArmServices, kind: AssetKind): ArmRoute[] {
  const { store } = services;
  const containerType = `Microsoft.MachineLearningServices/workspaces/${kind.collection}`;
  const versionType = `${containerType}/versions`;
  const containerTemplate = `${workspaceTemplate}/${kind.collection}/{name}`;
  const versionTemplate = `${containerTemplate}/versions/{version}`;
  const action = (verb: string) => `${containerType}/${verb}`;

  const containerId = (context: ArmRequestContext) => `${workspaceId(context.params)}/${kind.collection}/${context.params.name}`;
  const versionId = (context: ArmRequestContext) => `${containerId(context)}/versions/${context.params.version}`;
  const versionsOf = (id: string) => store.under(id).filter((resource) => resource.type === versionType);

  const versionView = (resource: StoredResource): JsonObject => ({ ...resource.body, systemData: systemData(resource) });

  const containerView = (resource: StoredResource): JsonObject => {
    const versions = versionsOf(resource.id).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const numbers = numericVersions(versions);
    const properties: JsonObject = {
      ...propertiesIn(resource.body),
      nextVersion: textOf(numbers.length > 0 ? Math.max(...numbers) + 1 : 1),
    };
    if (versions.length > 0) properties.latestVersion = textOf(versions[versions.length - 1].body.name);
    return { ...resource.body, properties, systemData: systemData(resource) };
  };

  const findContainer = (context: ArmRequestContext): StoredResource => {
    requireWorkspace(store, context);
    const container = store.get(containerId(context));
    if (!container || container.type !== containerType) throw notFound(`The ${kind.label} container '${context.params.name}'`, context.params.workspaceName);
    return container;
  };

  const findVersion = (context: ArmRequestContext): StoredResource => {
    requireWorkspace(store, context);
    const version = store.get(versionId(context));
    if (!version) throw notFound(`Version '${context.params.version}' of ${kind.label} '${context.params.name}'`, context.params.workspaceName);
    return version;
  };

  const ensureContainer = (context: ArmRequestContext, versionProperties: JsonObject): void => {
    if (store.get(containerId(context))) return;
    const properties: JsonObject = {
      description: null,
      tags: {},
      properties: {},
      isArchived: false,
      ...(kind.containerFromVersion?.(versionProperties) ?? {}),
    };
    store.put(
      newStoredResource(context, containerId(context), containerType, { id: containerId(context), name: context.params.name, type: containerType, properties }),
    );
  };

  const putContainer = (context: ArmRequestContext): ArmResult => {
    requireWorkspace(store, context);
    kind.checkName?.(context.params.name);
    const requested = propertiesIn(requireBody(context));
    const prepared = kind.prepareContainer ? kind.prepareContainer(requested) : requested;
    const id = containerId(context);
    const existing = store.get(id);
    const mutable: JsonObject = {};
    for (const field of [...mutableVersionFields]) if (field in prepared) mutable[field] = prepared[field];
    if (existing) {
      const updated = touch(existing, context);
      updated.body = { ...existing.body, properties: { ...propertiesIn(existing.body), ...mutable } };
      store.put(updated);
      return { status: 200, body: containerView(updated) };
    }
    const properties: JsonObject = { description: null, tags: {}, properties: {}, isArchived: false, ...prepared };
    delete properties.latestVersion;
    delete properties.nextVersion;
    const created = newStoredResource(context, id, containerType, { id, name: context.params.name, type: containerType, properties });
    store.put(created);
    return { status: 201, body: containerView(created) };
  };

  const putVersion = async (context: ArmRequestContext): Promise<ArmResult> => {
    const workspace = requireWorkspace(store, context);
    kind.checkName?.(context.params.name);
    kind.checkVersionName?.(context.params.version);
    const requested = propertiesIn(requireBody(context));
    const id = versionId(context);
    const existing = store.get(id);
    if (existing) {
      const current = propertiesIn(existing.body);
      const changed = kind.immutable.filter((field) => field in requested && canonicalJson(requested[field]) !== canonicalJson(current[field]));
      if (changed.length > 0) {
        throw new ArmError(
          409,
          "UserError",
          `A ${kind.label} version with this name and version already exists. If you are trying to create a new ${kind.label} version, use a different name or version. ` +
            `If you are trying to update an existing one, its ${changed.join(", ")} cannot be changed. Only description, tags, properties, and isArchived can be updated.`,
        );
      }
      const updated = touch(existing, context);
      const properties = { ...current };
      for (const field of mutableVersionFields) if (field in requested) properties[field] = requested[field];
      updated.body = { ...existing.body, properties };
      store.put(updated);
      return { status: 200, body: versionView(updated) };
    }
    const storage = new WorkspaceStorage(store, services.storage, workspace);
    const prepared = await kind.prepareVersion(requested, { workspace, storage, name: context.params.name, version: context.params.version });
    const properties: JsonObject = { description: null, tags: {}, properties: {}, isArchived: false, isAnonymous: false, ...prepared };
    ensureContainer(context, properties);
    const created = newStoredResource(context, id, versionType, { id, name: context.params.version, type: versionType, properties });
    store.put(created);
    return { status: 201, body: versionView(created) };
  };

  const listVersions = (context: ArmRequestContext): ArmResult => {
    findContainer(context);
    let versions = versionsOf(containerId(context)).filter(viewFilter(context));
    const wanted = context.query.get("version");
    if (wanted) versions = versions.filter((version) => textOf(version.body.name) === wanted);
    const orderBy = (context.query.get("$orderBy") ?? "createdtime desc").toLowerCase();
    versions.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    if (!orderBy.endsWith("asc")) versions.reverse();
    const top = Number(context.query.get("$top"));
    if (Number.isInteger(top) && top > 0) versions = versions.slice(0, top);
    return { status: 200, body: { value: versions.map(versionView) } };
  };

  const remove = (context: ArmRequestContext, id: string): ArmResult => {
    requireWorkspace(store, context);
    if (!store.get(id)) return { status: 204 };
    store.delete(id);
    return { status: 200 };
  };

  const route = (
    operationId: string,
    method: "GET" | "PUT" | "DELETE",
    template: string,
    verb: string,
    handler: ArmRoute["handler"],
    scope: "path" | "pathParent" = "path",
  ) =>
    defineRoute({ operationId, method, template, apiVersions: machineLearningApiVersions, resourceType: containerType, action: action(verb), scope, handler });

  return [
    route(
      `${kind.containerOperations}_List`,
      "GET",
      `${workspaceTemplate}/${kind.collection}`,
      "read",
      (context) => {
        const workspace = requireWorkspace(store, context);
        const containers = store
          .under(workspace.id)
          .filter((resource) => resource.type === containerType)
          .filter(viewFilter(context));
        return { status: 200, body: { value: containers.map(containerView) } };
      },
      "pathParent",
    ),
    route(`${kind.containerOperations}_Get`, "GET", containerTemplate, "read", (context) => ({ status: 200, body: containerView(findContainer(context)) })),
    route(`${kind.containerOperations}_CreateOrUpdate`, "PUT", containerTemplate, "write", putContainer),
    route(`${kind.containerOperations}_Delete`, "DELETE", containerTemplate, "delete", (context) => remove(context, containerId(context))),
    route(`${kind.versionOperations}_List`, "GET", `${containerTemplate}/versions`, "read", listVersions, "pathParent"),
    route(`${kind.versionOperations}_Get`, "GET", versionTemplate, "read", (context) => ({ status: 200, body: versionView(findVersion(context)) })),
    route(`${kind.versionOperations}_CreateOrUpdate`, "PUT", versionTemplate, "write", putVersion),
    route(`${kind.versionOperations}_Delete`, "DELETE", versionTemplate, "delete", (context) => remove(context, versionId(context))),
  ];
}

/** Reads a required string property of a version body. */
export function requiredString(properties: JsonObject, field: string, label: string): string {
  const value = properties[field];
  if (typeof value !== "string" || value.trim() === "") throw userError(`The ${label} version needs '${field}'.`);
  return value;
}
