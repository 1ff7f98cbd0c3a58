import type { ManagedServiceIdentity, OnlineEndpoint } from "@azure/arm-machinelearning";
import type { EndpointAuthMode, EndpointIdentity, OnlineEndpointSpec } from "../../../common/src/azureml/onlineEndpointFile";

/*
 * The OnlineEndpoint bodies of OnlineEndpoints_CreateOrUpdate (api-version 2022-10-01), as
 * azure-ai-ml builds them from an endpoint file (`_to_rest_online_endpoint`): auth mode in the
 * service's spelling, a system-assigned identity unless the file says otherwise, no traffic at
 * creation (the deployments do not exist yet).
 */

const authModes: Record<EndpointAuthMode, string> = { key: "Key", aml_token: "AMLToken", aad_token: "AADToken" };

/** The file's auth mode as the service spells it, and back. */
export function restAuthMode(mode: EndpointAuthMode): string {
  return authModes[mode];
}

export function fileAuthMode(rest: string | undefined): EndpointAuthMode | undefined {
  const found = (Object.keys(authModes) as EndpointAuthMode[]).find((mode) => authModes[mode].toLowerCase() === (rest ?? "").toLowerCase());
  return found;
}

const identityTypes: Record<EndpointIdentity["type"], string> = {
  system_assigned: "SystemAssigned",
  user_assigned: "UserAssigned",
  "system_assigned,user_assigned": "SystemAssigned,UserAssigned",
  none: "None",
};

function restIdentity(identity: EndpointIdentity | undefined): ManagedServiceIdentity {
  if (identity === undefined) return { type: "SystemAssigned" };
  const body: ManagedServiceIdentity = { type: identityTypes[identity.type] };
  if (identity.userAssignedIdentities.length > 0) {
    body.userAssignedIdentities = Object.fromEntries(identity.userAssignedIdentities.map((id) => [id, {}]));
  }
  return body;
}

/** A new endpoint: from the endpoint file, or (no file) a managed endpoint with key authentication. */
export function newEndpointBody(spec: OnlineEndpointSpec | undefined, location: string, computeId?: string): OnlineEndpoint {
  const properties: OnlineEndpoint["properties"] = { authMode: restAuthMode(spec?.authMode ?? "key") };
  if (spec?.description !== undefined) properties.description = spec.description;
  if (spec && Object.keys(spec.properties).length > 0) properties.properties = spec.properties;
  if (computeId !== undefined) properties.compute = computeId;
  if (spec?.publicNetworkAccess !== undefined) properties.publicNetworkAccess = spec.publicNetworkAccess === "disabled" ? "Disabled" : "Enabled";
  return {
    location,
    ...(spec && Object.keys(spec.tags).length > 0 ? { tags: spec.tags } : {}),
    identity: restIdentity(spec?.identity),
    properties,
  };
}

/**
 * The body that changes an existing endpoint (traffic, description, tags) by PUT, as azure-ai-ml
 * does: what Azure returned, without what only Azure writes (state, URIs, keys, principal ids).
 */
export function endpointUpdateBody(
  current: OnlineEndpoint,
  change: { traffic?: Record<string, number>; description?: string; tags?: Record<string, string> },
): OnlineEndpoint {
  const now = current.properties;
  const properties: OnlineEndpoint["properties"] = { authMode: now.authMode };
  const description = change.description ?? now.description;
  if (description !== undefined && description !== null) properties.description = description;
  if (now.properties && Object.keys(now.properties).length > 0) properties.properties = now.properties;
  if (now.compute) properties.compute = now.compute;
  if (now.publicNetworkAccess) properties.publicNetworkAccess = now.publicNetworkAccess;
  const traffic = change.traffic ?? now.traffic;
  if (traffic) properties.traffic = traffic;
  const tags = change.tags ?? current.tags;
  const body: OnlineEndpoint = { location: current.location, properties };
  if (tags && Object.keys(tags).length > 0) body.tags = tags;
  if (current.kind) body.kind = current.kind;
  if (current.identity) {
    body.identity = { type: current.identity.type };
    const assigned = Object.keys(current.identity.userAssignedIdentities ?? {});
    if (assigned.length > 0) body.identity.userAssignedIdentities = Object.fromEntries(assigned.map((id) => [id, {}]));
  }
  return body;
}
