import { AzureOperationError, describing } from "../../../common/src/errors/azureError";
import { ResourceReference } from "../../../common/src/settings/resourceReference";
import { DependencyKind, resourceTypes, WorkspaceTaskSettings } from "../settings/workspaceSettings";
import { readinessOf } from "./provisioningStates";
import { ResourceOutcome } from "./resourceOutcome";
import { ResourceWaiter } from "./resourceWaiter";
import { FoundResource, WorkspaceGateway } from "./workspaceGateway";

/** Where the steps of a provisioning run say what they did. */
export interface Reporter {
  outcome(outcome: ResourceOutcome): void;
  warning(message: string): void;
}

/** What every step of one provisioning run works with. */
export interface ProvisioningRun {
  settings: WorkspaceTaskSettings;
  azure: WorkspaceGateway;
  waiter: ResourceWaiter;
  report: Reporter;
}

export const label = (kind: DependencyKind | "workspace"): string => resourceTypes[kind].rule.resource;
export const sameId = (a: string | undefined, b: string): boolean => (a ?? "").toLowerCase() === b.toLowerCase();
/** "Storage account 'sa1'", as log lines and errors name a resource. */
export const titled = (what: string, name: string): string => `${what.charAt(0).toUpperCase()}${what.slice(1)} '${name}'`;
export const isBroken = (resource: { provisioningState?: string } | undefined): boolean => readinessOf(resource?.provisioningState) === "broken";

/**
 * Provisions a resource left Failed or Canceled again (ARM's PUT is idempotent and repairs it),
 * and fails with one sentence naming the resource and its state when that does not work.
 */
export async function repairing<T>(what: string, state: string | undefined, repair: () => Promise<T>): Promise<T> {
  try {
    return await repair();
  } catch (error) {
    throw new AzureOperationError(`${what} is ${state}, and repairing it`, error instanceof AzureOperationError ? error.cause : error);
  }
}

/** Reads a dependency, waiting out an operation someone else is running on it. */
export async function readSettledDependency(run: ProvisioningRun, kind: DependencyKind, resource: ResourceReference): Promise<FoundResource | undefined> {
  const read = () => describing(`Reading ${label(kind)} '${resource.name}'`, () => run.azure.getDependency(kind, resource));
  return run.waiter.untilSettled(titled(label(kind), resource.name), await read(), read);
}

/**
 * Creates a dependency, or provisions again one left Failed (`broken`), with the task's
 * settings, and reports it as created or repaired.
 */
export async function putDependency(
  run: ProvisioningRun,
  kind: DependencyKind,
  resource: ResourceReference,
  broken: FoundResource | undefined,
  location: string,
  extra: { logAnalyticsWorkspaceId?: string } = {},
): Promise<FoundResource> {
  const { settings, azure, waiter } = run;
  const sku = kind === "storageAccount" ? settings.storageSku : kind === "containerRegistry" ? settings.containerRegistrySku : undefined;
  const what = titled(label(kind), resource.name);
  const request = { location: broken?.location || location, tags: settings.tags, sku, tenantId: settings.connection.tenantId, ...extra };
  const put = () =>
    waiter.retryingBusy(
      what,
      () => describing(`${broken ? "Repairing" : "Creating"} ${label(kind)} '${resource.name}'`, () => azure.createDependency(kind, resource, request)),
      () => describing(`Reading ${label(kind)} '${resource.name}'`, () => azure.getDependency(kind, resource)),
    );
  const made = broken ? await repairing(what, broken.provisioningState, put) : await put();
  run.report.outcome({
    label: label(kind),
    name: made.name,
    id: made.id,
    outcome: broken ? "repaired" : "created",
    note: broken ? `was ${broken.provisioningState}` : request.location,
  });
  return made;
}
