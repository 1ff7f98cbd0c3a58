import { AzureOperationError } from "../../../common/src/errors/azureError";
import { ResourceReference, toResourceReference } from "../../../common/src/settings/resourceReference";
import { DependencyKind, resourceTypes } from "../settings/workspaceSettings";
import { isBroken, label, ProvisioningRun, putDependency, readSettledDependency, sameId, titled } from "./convergenceSteps";
import { WorkspaceState } from "./workspaceGateway";

/**
 * The resources an existing workspace uses, checked rather than assumed: one another operation
 * is working on is waited for, one left Failed is provisioned again when it is the one the
 * settings name (else the task fails naming it: its settings are not ours to impose), and the
 * Log Analytics workspace of our Application Insights is repaired the same way.
 */
export async function convergeExistingDependencies(run: ProvisioningRun, workspace: WorkspaceState): Promise<void> {
  const { settings, report } = run;
  const used: Array<[Exclude<DependencyKind, "logAnalyticsWorkspace">, string | undefined]> = [
    ["storageAccount", workspace.storageAccount],
    ["keyVault", workspace.keyVault],
    ["applicationInsights", workspace.applicationInsights],
    ["containerRegistry", workspace.containerRegistry],
  ];
  const logs = settings.dependencies.logAnalyticsWorkspace;
  // null: not checked (no id, one the task cannot read back, or a connection scoped to the
  // workspace alone, which may not read around it); undefined: gone.
  const check = (kind: DependencyKind, reference: ResourceReference | undefined) =>
    reference ? mayBeForbidden(readSettledDependency(run, kind, reference)) : Promise.resolve(null);
  const [logsNow, ...usedNow] = await Promise.all([
    check("logAnalyticsWorkspace", logs.givenById ? undefined : logs),
    ...used.map(([kind, id]) => check(kind, id ? referenceTo(kind, id, workspace.name) : undefined)),
  ]);

  if (logsNow && isBroken(logsNow)) await putDependency(run, "logAnalyticsWorkspace", logs, logsNow, workspace.location);

  for (const [index, [kind, id]] of used.entries()) {
    if (!id) continue;
    const name = id.split("/").pop() ?? id;
    const wanted = settings.dependencies[kind];
    const ours = sameId(id, wanted.id);
    const current = usedNow[index];
    if (current === null) {
      report.outcome({ label: label(kind), name, id, outcome: "found", note: "used by the workspace" });
      continue;
    }
    if (!current) {
      report.warning(`Workspace '${workspace.name}' uses ${label(kind)} '${name}', which does not exist any more; the workspace cannot work without it.`);
      continue;
    }
    if (isBroken(current)) {
      if (!ours) {
        throw new Error(
          `${titled(label(kind), name)}, which workspace '${workspace.name}' uses, is ${current.provisioningState}; ` +
            `it is not the one this pipeline names (${wanted.name}), so the task does not re-provision it: repair it in Azure, then run the task again.`,
        );
      }
      const extra = kind === "applicationInsights" ? { logAnalyticsWorkspaceId: logs.id } : {};
      await putDependency(run, kind, wanted, current, workspace.location, extra);
      continue;
    }
    report.outcome({ label: label(kind), name, id, outcome: "found", note: "used by the workspace" });
    if (!ours) {
      report.warning(
        `Workspace '${workspace.name}' uses ${label(kind)} '${name}', not '${wanted.name}' from ${wanted.source}: ` +
          `a workspace's ${label(kind)} is fixed when it is created, so the existing one is kept.`,
      );
    }
  }
}

/** A read the connection is not allowed to make answers null (not checked) instead of failing the run. */
async function mayBeForbidden<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    const cause = error instanceof AzureOperationError ? error.cause : error;
    if ((cause as { statusCode?: number } | undefined)?.statusCode === 403) return null;
    throw error;
  }
}

/** The reference of a resource the workspace names by id; undefined when the id is not one the task can read. */
function referenceTo(kind: DependencyKind, id: string, workspaceName: string): ResourceReference | undefined {
  try {
    return toResourceReference({ value: id, source: `workspace '${workspaceName}'` }, resourceTypes[kind], { subscriptionId: "", resourceGroup: "" });
  } catch {
    return undefined;
  }
}
