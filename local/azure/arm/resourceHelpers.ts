import { ArmRequestContext } from "./armRoute";
import { ArmError, armErrors } from "./armErrors";
import { isJsonObject, JsonObject, JsonValue } from "../state/json";
import { StoredResource } from "../state/resourceStore";
import { isAvailableLocation, availableLocations, normalizeLocation } from "./locations";

export function requireBody(context: ArmRequestContext): JsonObject {
  if (!isJsonObject(context.body)) {
    throw armErrors.invalidRequestContent("The request content was invalid and could not be deserialized: the body must be a JSON object.");
  }
  return context.body;
}

export function requireLocation(body: JsonObject, resourceType: string): string {
  const location = body.location;
  if (typeof location !== "string" || location.length === 0) {
    throw new ArmError(400, "LocationRequired", "The location property is required for this definition.");
  }
  if (!isAvailableLocation(location)) throw armErrors.locationNotAvailable(location, resourceType, availableLocations);
  return normalizeLocation(location);
}

export function tagsOf(body: JsonObject | undefined): JsonObject | undefined {
  const tags = body?.tags;
  return isJsonObject(tags) ? tags : undefined;
}

export function stringOr(value: JsonValue | undefined, fallback: string): string {
  return typeof value === "string" ? value : fallback;
}

export function booleanOr(value: JsonValue | undefined, fallback: boolean): boolean {
  return typeof value === "boolean" ? value : fallback;
}

export function numberOr(value: JsonValue | undefined, fallback: number): number {
  return typeof value === "number" ? value : fallback;
}

/** A fresh record for a resource being created by the caller of `context`. */
export function newStoredResource(context: ArmRequestContext, id: string, type: string, body: JsonObject, secrets: JsonObject = {}): StoredResource {
  return newStoredResourceBy(context.principal.clientId, id, type, body, secrets);
}

/** Same, for resources a provider makes on its own (a workspace's datastores), on behalf of `createdBy`. */
export function newStoredResourceBy(createdBy: string, id: string, type: string, body: JsonObject, secrets: JsonObject = {}): StoredResource {
  const now = new Date().toISOString();
  return { id, type, body, secrets, createdBy, createdAt: now, lastModifiedBy: createdBy, lastModifiedAt: now };
}

export function touch(resource: StoredResource, context: ArmRequestContext): StoredResource {
  return { ...resource, lastModifiedBy: context.principal.clientId, lastModifiedAt: new Date().toISOString() };
}

/** ARM's systemData, for the swaggers that declare it. */
export function systemData(resource: StoredResource): JsonObject {
  return {
    createdBy: resource.createdBy,
    createdByType: "Application",
    createdAt: resource.createdAt,
    lastModifiedBy: resource.lastModifiedBy,
    lastModifiedByType: "Application",
    lastModifiedAt: resource.lastModifiedAt,
  };
}

export function propertiesOf(body: JsonObject): JsonObject {
  const properties = body.properties;
  return isJsonObject(properties) ? properties : {};
}

/** Sets properties.provisioningState, where every resource here keeps it. */
export function withProvisioningState(resource: StoredResource, state: string): StoredResource {
  return { ...resource, body: { ...resource.body, properties: { ...propertiesOf(resource.body), provisioningState: state } } };
}

export function provisioningStateOf(resource: StoredResource): string | undefined {
  const state = propertiesOf(resource.body).provisioningState;
  return typeof state === "string" ? state : undefined;
}

/** "The Resource 'Microsoft.Storage/storageAccounts/x' under resource group 'rg' was not found." */
export function resourceNotFound(context: ArmRequestContext, typeAndName: string): ArmError {
  return armErrors.resourceNotFound(typeAndName, context.params.resourceGroupName ?? "");
}
