import { ArmRequestContext, ArmResult, ArmRoute } from "../../../arm/armRoute";
import { machineLearningRoutes } from "../arm/machineLearningRoute";
import { ArmError } from "../../../arm/armErrors";
import { HeaderMap } from "../../../http/exchange";
import { ArmServices } from "../../../arm/armServices";
import { defineDeletion } from "../../../arm/provisioning";
import { newStoredResource, requireBody, systemData, touch } from "../../../arm/resourceHelpers";
import { isJsonObject, JsonObject, textOf, canonicalJson } from "../../../state/json";
import { StoredResource } from "../../../state/resourceStore";
import { terminalStatuses, JobStatus } from "../jobRunner/jobRun";
import { jobType, workspaceId, workspaceTemplate } from "../arm/workspaceIds";
import { requireWorkspace } from "../arm/workspaceChildren";
import { WorkspaceStorage } from "../arm/workspaceStorage";
import { JobDefinition, mutableJobFields } from "./jobDefinition";

const jobTemplate = `${workspaceTemplate}/jobs/{id}`;
const cancellation = "mlJobs.cancel";
const deletion = "mlJobs.delete";

function propertiesOf(resource: StoredResource): JsonObject {
  return isJsonObject(resource.body.properties) ? resource.body.properties : {};
}

function view(resource: StoredResource): JsonObject {
  return { ...resource.body, systemData: systemData(resource) };
}

function immutablePart(properties: JsonObject): string {
  const copy: JsonObject = { ...properties };
  for (const field of [...mutableJobFields, "status", "services", "parameters"]) delete copy[field];
  return canonicalJson(copy);
}

/** The swagger bounds the Retry-After of job cancels and deletes to 10–600 seconds. */
function swaggerRetryAfter(headers: HeaderMap): HeaderMap {
  const seconds = Number(headers["Retry-After"]);
  return { ...headers, "Retry-After": String(Math.min(600, Math.max(10, Number.isFinite(seconds) ? seconds : 10))) };
}

function isTerminal(job: StoredResource): boolean {
  return terminalStatuses.includes(textOf(propertiesOf(job).status) as JobStatus);
}

/** Jobs at 2022-10-01: create (runs it), get, list, cancel (long-running, Location), delete (long-running). */
export function jobRoutes(services: ArmServices): ArmRoute[] {
  const { store, operations, jobs } = services;

  operations.defineCompletion(cancellation, {
    // The operation ends once the process tree is gone.
    succeed: async (operation) => {
      const job = store.get(operation.resourceId);
      if (job) await jobs.waitFor(job.id.slice(0, job.id.toLowerCase().lastIndexOf("/jobs/")), textOf(job.body.name));
    },
    fail: () => Promise.resolve(),
  });
  defineDeletion(services, deletion);

  const jobId = (context: ArmRequestContext) => `${workspaceId(context.params)}/jobs/${context.params.id}`;

  const find = (context: ArmRequestContext): StoredResource => {
    requireWorkspace(store, context);
    const job = store.get(jobId(context));
    if (!job || job.type !== jobType)
      throw new ArmError(404, "UserError", `Job '${context.params.id}' was not found in workspace '${context.params.workspaceName}'.`);
    return job;
  };

  const studioEndpoint = (workspace: StoredResource, jobName: string) =>
    `https://ml.azure.com/runs/${encodeURIComponent(jobName)}?wsid=${encodeURIComponent(workspace.id)}&tid=${encodeURIComponent(services.directory.state.tenantId)}`;

  const createOrUpdate = (context: ArmRequestContext): ArmResult => {
    const workspace = requireWorkspace(store, context);
    const body = requireBody(context);
    const requested = isJsonObject(body.properties) ? body.properties : {};
    const id = jobId(context);
    const existing = store.get(id);
    const storage = new WorkspaceStorage(store, services.storage, workspace);
    const { properties, references } = new JobDefinition(store, workspace, storage).resolve(
      context.params.id,
      requested,
      studioEndpoint(workspace, context.params.id),
    );
    if (existing) {
      // Compared as stored (defaults filled in), so a job read back with GET can be sent again.
      if (immutablePart(properties) !== immutablePart(propertiesOf(existing))) {
        throw new ArmError(
          400,
          "UserError",
          "A job with this name already exists. If you are trying to create a new job, use a different name. If you are trying to update an existing job, the existing job's Settings, Inputs, Outputs cannot be changed. Only description, tags, displayName, properties, and isArchived can be updated.",
        );
      }
      const updated = touch(existing, context);
      const current = { ...propertiesOf(existing) };
      for (const field of mutableJobFields) if (field in requested) current[field] = requested[field];
      updated.body = { ...existing.body, properties: current };
      store.put(updated);
      return { status: 200, body: view(updated) };
    }
    // A job deleted while it ran may still be ending (its process tree gets a grace period).
    if (jobs.isActive(workspace.id, context.params.id)) {
      throw new ArmError(
        409,
        "UserError",
        `A job named '${context.params.id}' is still being stopped in workspace '${context.params.workspaceName}'; retry in a few seconds.`,
      );
    }
    const created = newStoredResource(context, id, jobType, { id, name: context.params.id, type: jobType, properties });
    store.put(created);
    const answer = view(store.get(id) ?? created);
    jobs.submit(workspace, created, references);
    return { status: 201, body: answer };
  };

  const cancel = (context: ArmRequestContext): ArmResult => {
    const job = find(context);
    const location = textOf(requireWorkspace(store, context).body.location);
    if (isTerminal(job)) return { status: 200 };
    const workspace = workspaceId(context.params);
    if (!jobs.cancel(job, workspace) && !jobs.isActive(workspace, context.params.id)) jobs.markCanceled(job, workspace);
    const operation = operations.start({
      context,
      resourceId: job.id,
      kind: "update",
      completion: cancellation,
      providerNamespace: "Microsoft.MachineLearningServices",
      location,
    });
    return { status: 202, headers: swaggerRetryAfter(operations.locationHeaders(operation)) };
  };

  const remove = (context: ArmRequestContext): ArmResult => {
    const location = textOf(requireWorkspace(store, context).body.location);
    const job = store.get(jobId(context));
    if (!job) return { status: 204 };
    operations.refuseWhileRunning(job.id);
    if (!isTerminal(job)) jobs.cancel(job, workspaceId(context.params));
    const operation = operations.start({
      context,
      resourceId: job.id,
      kind: "delete",
      completion: deletion,
      providerNamespace: "Microsoft.MachineLearningServices",
      location,
    });
    return { status: 202, headers: { ...swaggerRetryAfter(operations.locationHeaders(operation)), "x-ms-async-operation-timeout": "PT1H" } };
  };

  const list = (context: ArmRequestContext): ArmResult => {
    const workspace = requireWorkspace(store, context);
    let found = store.under(workspace.id).filter((resource) => resource.type === jobType);
    const wantedType = context.query.get("jobType");
    if (wantedType) found = found.filter((job) => textOf(propertiesOf(job).jobType).toLowerCase() === wantedType.toLowerCase());
    const tag = context.query.get("tag");
    if (tag) found = found.filter((job) => isJsonObject(propertiesOf(job).tags) && tag in (propertiesOf(job).tags as JsonObject));
    const viewType = (context.query.get("listViewType") ?? "ActiveOnly").toLowerCase();
    if (viewType !== "all") found = found.filter((job) => (propertiesOf(job).isArchived === true) === (viewType === "archivedonly"));
    found.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return { status: 200, body: { value: found.map(view) } };
  };

  const route = machineLearningRoutes(jobType);

  return [
    route("Jobs_List", "GET", `${workspaceTemplate}/jobs`, "read", list, "pathParent"),
    route("Jobs_Get", "GET", jobTemplate, "read", (context) => ({ status: 200, body: view(find(context)) })),
    route("Jobs_CreateOrUpdate", "PUT", jobTemplate, "write", createOrUpdate),
    route("Jobs_Delete", "DELETE", jobTemplate, "delete", remove),
    route("Jobs_Cancel", "POST", `${jobTemplate}/cancel`, "cancel/action", cancel, "pathParent"),
  ];
}
