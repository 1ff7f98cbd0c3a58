import { randomUUID } from "node:crypto";
import { ArmRequestContext } from "../../../arm/armRoute";
import { ArmServices } from "../../../arm/armServices";
import { HeaderMap } from "../../../http/exchange";
import { isJsonObject, JsonObject, jsonText } from "../../../state/json";
import { OperationKind, OperationRecord, StoredResource } from "../../../state/resourceStore";
import { machineLearningNamespace } from "./onlineIds";

/** How long Azure ML tells clients an endpoint or deployment operation may take. */
const operationTimeout = "PT1H";

/** Starts the long-running operation of a change to an endpoint or deployment. */
export function startOnlineOperation(
  services: ArmServices,
  context: ArmRequestContext,
  resource: StoredResource,
  kind: OperationKind,
  completion: string,
): OperationRecord {
  return services.operations.start({
    context,
    resourceId: resource.id,
    kind,
    completion,
    providerNamespace: machineLearningNamespace,
    location: jsonText(resource.body.location),
  });
}

/** A PUT's 201 (and an update's 200): the status URL to poll, as the swagger declares it. */
export function asyncOperationHeaders(services: ArmServices, operation: OperationRecord): HeaderMap {
  return {
    "Azure-AsyncOperation": services.operations.asyncOperationHeaders(operation)["Azure-AsyncOperation"],
    "x-ms-async-operation-timeout": operationTimeout,
  };
}

/**
 * A PATCH's, DELETE's or regenerateKeys' 202: Location and Retry-After, which the swagger bounds
 * to 10–600 seconds (the operation status URL itself answers with the local Azure's own pace).
 */
export function acceptedHeaders(services: ArmServices, operation: OperationRecord): HeaderMap {
  const location = services.operations.locationHeaders(operation);
  const seconds = Number(location["Retry-After"]);
  return {
    Location: location.Location,
    "Retry-After": String(Math.min(600, Math.max(10, Number.isFinite(seconds) ? seconds : 10))),
    "x-ms-async-operation-timeout": operationTimeout,
  };
}

/**
 * A tracked resource's identity as the service returns it: system-assigned unless asked
 * otherwise (online endpoints get one by default), with the ids Entra would give it.
 */
export function identityOf(requested: unknown, tenantId: string, existing?: JsonObject): JsonObject {
  const type = isJsonObject(requested) && typeof requested.type === "string" ? requested.type : jsonText(existing?.type) || "SystemAssigned";
  const identity: JsonObject = { type };
  if (type.includes("SystemAssigned")) {
    identity.principalId = typeof existing?.principalId === "string" ? existing.principalId : randomUUID();
    identity.tenantId = tenantId;
  }
  if (type.includes("UserAssigned")) {
    const assigned = isJsonObject(requested) && isJsonObject(requested.userAssignedIdentities) ? requested.userAssignedIdentities : {};
    identity.userAssignedIdentities = Object.fromEntries(Object.keys(assigned).map((id) => [id, { principalId: randomUUID(), clientId: randomUUID() }]));
  }
  return identity;
}
