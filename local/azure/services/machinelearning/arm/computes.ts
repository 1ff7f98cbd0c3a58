import { ArmRequestContext, ArmResult, ArmRoute, defineRoute } from "../../../arm/armRoute";
import { ArmError } from "../../../arm/armErrors";
import { ArmServices } from "../../../arm/armServices";
import { isJsonObject, JsonObject, withoutKey, jsonText } from "../../../state/json";
import { StoredResource } from "../../../state/resourceStore";
import { newStoredResource, propertiesOf, requireBody, systemData, tagsOf, touch } from "../../../arm/resourceHelpers";
import { defineDeletion, defineProvisioning } from "../../../arm/provisioning";
import { isAmlComputeVmSize } from "./amlComputeSizes";
import { computeType, machineLearningApiVersions, workspaceId, workspaceTemplate } from "./workspaceIds";
import { requireWorkspace as requireParentWorkspace, requireWorkspaceChild } from "./workspaceChildren";

const computeTemplate = `${workspaceTemplate}/computes/{computeName}`;
const creation = "mlComputes.create";
const attachment = "mlComputes.attach";
const deletion = "mlComputes.delete";
/** Properties of an attached Kubernetes compute that only the extension's connection needs; never returned. */
const kubernetesSecrets = ["relayConnectionString", "serviceBusConnectionString"];

export function isValidComputeName(name: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9-]{0,14}[a-zA-Z0-9]$/.test(name);
}

function computeId(context: ArmRequestContext): string {
  return `${workspaceId(context.params)}/computes/${context.params.computeName}`;
}

function view(resource: StoredResource): JsonObject {
  return { ...resource.body, systemData: systemData(resource) };
}

function amlProperties(compute: JsonObject): JsonObject {
  return isJsonObject(compute.properties) ? compute.properties : {};
}

function scaleSettingsOf(properties: JsonObject): { min: number; max: number; idle: string } {
  const scale = isJsonObject(properties.scaleSettings) ? properties.scaleSettings : {};
  return {
    min: typeof scale.minNodeCount === "number" ? scale.minNodeCount : 0,
    max: typeof scale.maxNodeCount === "number" ? scale.maxNodeCount : -1,
    idle: typeof scale.nodeIdleTimeBeforeScaleDown === "string" ? scale.nodeIdleTimeBeforeScaleDown : "PT120S",
  };
}

function checkScaleSettings(properties: JsonObject): void {
  const { min, max } = scaleSettingsOf(properties);
  if (max < 0) throw new ArmError(400, "BadArgument", "scaleSettings.maxNodeCount is required.");
  if (min < 0 || min > max) throw new ArmError(400, "BadArgument", `scaleSettings.minNodeCount (${min}) must be between 0 and maxNodeCount (${max}).`);
}

/** The node counts of an idle cluster at its minimum size: no jobs run on these nodes here. */
function nodeState(min: number, now: string): JsonObject {
  return {
    allocationState: "Steady",
    allocationStateTransitionTime: now,
    currentNodeCount: min,
    targetNodeCount: min,
    nodeStateCounts: { idleNodeCount: min, runningNodeCount: 0, preparingNodeCount: 0, unusableNodeCount: 0, leavingNodeCount: 0, preemptedNodeCount: 0 },
  };
}

export function computeRoutes(services: ArmServices): ArmRoute[] {
  const { store, operations } = services;

  operations.defineCompletion(creation, {
    succeed: (operation) => {
      const compute = store.get(operation.resourceId);
      if (!compute) return;
      const properties = propertiesOf(compute.body);
      const aml = amlProperties(properties);
      const now = new Date().toISOString();
      store.put({
        ...compute,
        body: {
          ...compute.body,
          properties: { ...properties, provisioningState: "Succeeded", modifiedOn: now, properties: { ...aml, ...nodeState(scaleSettingsOf(aml).min, now) } },
        },
      });
    },
    fail: (operation) => {
      const compute = store.get(operation.resourceId);
      if (!compute) return;
      const properties = propertiesOf(compute.body);
      store.put({
        ...compute,
        body: {
          ...compute.body,
          properties: {
            ...properties,
            provisioningState: "Failed",
            provisioningErrors: [{ error: { code: "InternalServerError", message: "An internal execution error occurred. Please retry later." } }],
          },
        },
      });
    },
  });
  defineProvisioning(services, attachment);
  defineDeletion(services, deletion);

  const requireWorkspace = (context: ArmRequestContext): StoredResource => requireParentWorkspace(store, context);
  const find = (context: ArmRequestContext): StoredResource =>
    requireWorkspaceChild(store, context, computeId(context), `computes/${context.params.computeName}`);

  /**
   * Stores a new compute (with the identity the request gave) and starts the operation that
   * provisions or attaches it: 201 with the Azure-AsyncOperation header.
   */
  const startCreation = (
    context: ArmRequestContext,
    resource: { id: string; name: string; location: string; tags: JsonObject; properties: JsonObject },
    body: JsonObject,
    completion: string,
    secrets: JsonObject = {},
  ): ArmResult => {
    const { id, name, location, tags, properties } = resource;
    const resourceBody: JsonObject = { id, name, type: computeType, location, tags, properties };
    if (isJsonObject(body.identity)) resourceBody.identity = body.identity;
    store.put(newStoredResource(context, id, computeType, resourceBody, secrets));
    const operation = operations.start({
      context,
      resourceId: id,
      kind: "create",
      completion,
      providerNamespace: "Microsoft.MachineLearningServices",
      location,
    });
    const created = store.get(id);
    return {
      status: 201,
      body: created ? view(created) : resourceBody,
      headers: { "Azure-AsyncOperation": operations.asyncOperationHeaders(operation)["Azure-AsyncOperation"] },
    };
  };

  /**
   * Attaches an Arc-enabled or AKS cluster (`resourceId` names it; the cluster itself is not
   * reached here) so that Kubernetes online endpoints can name it. The extension's connection
   * strings are kept as secrets, never returned.
   */
  const attachKubernetes = (
    context: ArmRequestContext,
    workspace: StoredResource,
    body: JsonObject,
    requested: JsonObject,
    existing: StoredResource | undefined,
  ): ArmResult => {
    const resourceId = typeof requested.resourceId === "string" ? requested.resourceId : "";
    if (!/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+$/i.test(resourceId)) {
      throw new ArmError(
        400,
        "BadArgument",
        `resourceId '${resourceId}' is not the ARM id of a Kubernetes cluster (/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Kubernetes/connectedClusters/<name> or …/Microsoft.ContainerService/managedClusters/<name>).`,
      );
    }
    const given = isJsonObject(requested.properties) ? requested.properties : {};
    const secrets: JsonObject = {};
    const kubernetes: JsonObject = { namespace: "default" };
    for (const [key, value] of Object.entries(given)) {
      if (kubernetesSecrets.includes(key)) secrets[key] = value;
      else kubernetes[key] = value;
    }
    const now = new Date().toISOString();
    const id = computeId(context);
    if (existing) {
      operations.refuseWhileRunning(existing.id);
      const current = propertiesOf(existing.body);
      if (jsonText(current.resourceId).toLowerCase() !== resourceId.toLowerCase()) {
        throw new ArmError(
          400,
          "BadArgument",
          `The resourceId of compute '${context.params.computeName}' cannot change; detach it and attach the other cluster.`,
        );
      }
      const updated = touch(existing, context);
      updated.body = {
        ...existing.body,
        tags: tagsOf(body) ?? existing.body.tags ?? {},
        properties: { ...current, description: requested.description ?? current.description ?? null, modifiedOn: now, properties: kubernetes },
      };
      updated.secrets = { ...existing.secrets, ...secrets };
      store.put(updated);
      return { status: 200, body: view(updated) };
    }
    const location = typeof body.location === "string" ? body.location : jsonText(workspace.body.location);
    const properties: JsonObject = {
      computeType: "Kubernetes",
      computeLocation: location,
      description: typeof requested.description === "string" ? requested.description : null,
      resourceId,
      provisioningState: "Creating",
      createdOn: now,
      modifiedOn: now,
      isAttachedCompute: true,
      disableLocalAuth: requested.disableLocalAuth === true,
      properties: kubernetes,
    };
    return startCreation(context, { id, name: context.params.computeName, location, tags: tagsOf(body) ?? {}, properties }, body, attachment, secrets);
  };

  const createOrUpdate = (context: ArmRequestContext): ArmResult => {
    const workspace = requireWorkspace(context);
    const workspaceState = propertiesOf(workspace.body).provisioningState;
    if (workspaceState !== "Succeeded")
      throw new ArmError(
        409,
        "Conflict",
        `Workspace '${context.params.workspaceName}' is in provisioning state '${jsonText(workspaceState)}'; computes can be created once it has succeeded.`,
      );
    const name = context.params.computeName;
    if (!isValidComputeName(name)) {
      throw new ArmError(
        400,
        "BadArgument",
        "Compute name is invalid. It can include letters, digits and dashes. It must start with a letter, end with a letter or digit, and be between 2 and 16 characters in length.",
      );
    }
    const body = requireBody(context);
    const requested = isJsonObject(body.properties) ? body.properties : {};
    const type = requested.computeType;
    const id = computeId(context);
    const existing = store.get(id);
    if (existing && propertiesOf(existing.body).computeType !== type) {
      throw new ArmError(
        400,
        "BadArgument",
        `Compute '${name}' is of type '${jsonText(propertiesOf(existing.body).computeType)}' and cannot become '${jsonText(type)}'; delete it first.`,
      );
    }
    if (type === "Kubernetes") return attachKubernetes(context, workspace, body, requested, existing);
    if (type !== "AmlCompute") {
      throw new ArmError(
        400,
        "BadArgument",
        `Compute type '${jsonText(type)}' is not available in the local Azure: only AmlCompute clusters and attached Kubernetes computes are.`,
      );
    }
    const aml = amlProperties(requested);
    const vmSize = typeof aml.vmSize === "string" ? aml.vmSize : "";
    if (!isAmlComputeVmSize(vmSize))
      throw new ArmError(400, "BadArgument", `The specified vmSize '${vmSize}' is not supported in location '${jsonText(workspace.body.location)}'.`);
    checkScaleSettings(aml);

    const now = new Date().toISOString();
    if (existing) {
      operations.refuseWhileRunning(existing.id);
      const current = propertiesOf(existing.body);
      const currentAml = amlProperties(current);
      if (typeof currentAml.vmSize === "string" && currentAml.vmSize.toUpperCase() !== vmSize.toUpperCase()) {
        throw new ArmError(
          400,
          "BadArgument",
          `The vmSize of compute '${name}' cannot be changed from '${currentAml.vmSize}' to '${vmSize}'; delete and recreate the cluster.`,
        );
      }
      const merged = { ...currentAml, ...aml };
      const updated = touch(existing, context);
      const reprovision = current.provisioningState === "Failed";
      updated.body = {
        ...existing.body,
        properties: {
          ...withoutKey(current, "provisioningErrors"),
          ...requested,
          provisioningState: reprovision ? "Updating" : "Succeeded",
          modifiedOn: now,
          properties: { ...merged, ...nodeState(scaleSettingsOf(merged).min, now) },
        },
      };
      const tags = tagsOf(body);
      if (tags) updated.body.tags = tags;
      store.put(updated);
      if (reprovision) {
        const operation = operations.start({
          context,
          resourceId: id,
          kind: "update",
          completion: creation,
          providerNamespace: "Microsoft.MachineLearningServices",
          location: jsonText(existing.body.location),
        });
        return { status: 200, body: view(updated), headers: { "Azure-AsyncOperation": operations.asyncOperationHeaders(operation)["Azure-AsyncOperation"] } };
      }
      return { status: 200, body: view(updated) };
    }

    const location = typeof body.location === "string" ? body.location : jsonText(workspace.body.location);
    const properties: JsonObject = {
      description: "",
      disableLocalAuth: false,
      ...requested,
      computeType: "AmlCompute",
      computeLocation: location,
      provisioningState: "Creating",
      createdOn: now,
      modifiedOn: now,
      isAttachedCompute: false,
      properties: {
        osType: "Linux",
        vmPriority: "Dedicated",
        isolatedNetwork: false,
        remoteLoginPortPublicAccess: "NotSpecified",
        enableNodePublicIp: true,
        ...aml,
        scaleSettings: {
          minNodeCount: scaleSettingsOf(aml).min,
          maxNodeCount: scaleSettingsOf(aml).max,
          nodeIdleTimeBeforeScaleDown: scaleSettingsOf(aml).idle,
        },
        allocationState: "Resizing",
        allocationStateTransitionTime: now,
        currentNodeCount: 0,
        targetNodeCount: scaleSettingsOf(aml).min,
      },
    };
    return startCreation(context, { id, name, location, tags: tagsOf(body) ?? {}, properties }, body, creation);
  };

  return [
    defineRoute({
      operationId: "Compute_CreateOrUpdate",
      method: "PUT",
      template: computeTemplate,
      apiVersions: machineLearningApiVersions,
      resourceType: computeType,
      action: "Microsoft.MachineLearningServices/workspaces/computes/write",
      handler: createOrUpdate,
    }),
    defineRoute({
      operationId: "Compute_Get",
      method: "GET",
      template: computeTemplate,
      apiVersions: machineLearningApiVersions,
      resourceType: computeType,
      action: "Microsoft.MachineLearningServices/workspaces/computes/read",
      handler: (context) => ({ status: 200, body: view(find(context)) }),
    }),
    defineRoute({
      operationId: "Compute_Update",
      method: "PATCH",
      template: computeTemplate,
      apiVersions: machineLearningApiVersions,
      resourceType: computeType,
      action: "Microsoft.MachineLearningServices/workspaces/computes/write",
      handler: (context) => {
        const compute = touch(find(context), context);
        operations.refuseWhileRunning(compute.id);
        if (propertiesOf(compute.body).computeType !== "AmlCompute") {
          throw new ArmError(400, "BadArgument", `Compute '${context.params.computeName}' is not an AmlCompute cluster: only clusters can be scaled.`);
        }
        const body = requireBody(context);
        const requested = isJsonObject(body.properties) ? body.properties : {};
        const current = propertiesOf(compute.body);
        const aml = amlProperties(current);
        const merged: JsonObject = isJsonObject(requested.scaleSettings)
          ? { ...aml, scaleSettings: { ...(isJsonObject(aml.scaleSettings) ? aml.scaleSettings : {}), ...requested.scaleSettings } }
          : aml;
        checkScaleSettings(merged);
        const now = new Date().toISOString();
        compute.body = {
          ...compute.body,
          properties: { ...current, modifiedOn: now, properties: { ...merged, ...nodeState(scaleSettingsOf(merged).min, now) } },
        };
        store.put(compute);
        return { status: 200, body: view(compute) };
      },
    }),
    defineRoute({
      operationId: "Compute_Delete",
      method: "DELETE",
      template: computeTemplate,
      apiVersions: machineLearningApiVersions,
      resourceType: computeType,
      action: "Microsoft.MachineLearningServices/workspaces/computes/delete",
      handler: (context) => {
        const compute = find(context);
        operations.refuseWhileRunning(compute.id);
        store.put({ ...compute, body: { ...compute.body, properties: { ...propertiesOf(compute.body), provisioningState: "Deleting" } } });
        const operation = operations.start({
          context,
          resourceId: compute.id,
          kind: "delete",
          completion: deletion,
          providerNamespace: "Microsoft.MachineLearningServices",
          location: jsonText(compute.body.location),
        });
        return { status: 202, headers: { ...operations.asyncOperationHeaders(operation), ...operations.locationHeaders(operation) } };
      },
    }),
    defineRoute({
      operationId: "Compute_List",
      method: "GET",
      template: `${workspaceTemplate}/computes`,
      apiVersions: machineLearningApiVersions,
      resourceType: computeType,
      action: "Microsoft.MachineLearningServices/workspaces/computes/read",
      scope: "pathParent",
      handler: (context) => {
        const workspace = requireWorkspace(context);
        return {
          status: 200,
          body: {
            value: store
              .under(workspace.id)
              .filter((resource) => resource.type === computeType)
              .map(view),
          },
        };
      },
    }),
  ];
}
