import { describing } from "../../../common/src/errors/azureError";
import { InputError } from "../../../common/src/errors/inputError";
import { nameRules } from "../../../common/src/naming/azureNameRules";
import { ResourceReference } from "../../../common/src/settings/resourceReference";
import { mergeTags, tagsToChange } from "../../../common/src/settings/tags";
import { ComputeClusterSpec } from "../settings/computeClusters";
import { DependencyKind, WorkspaceTaskSettings } from "../settings/workspaceSettings";
import { isBroken, label, ProvisioningRun, putDependency, readSettledDependency, repairing, Reporter, titled } from "./convergenceSteps";
import { convergeExistingDependencies } from "./existingDependencies";
import { ResourceOutcome, outcomeLine } from "./resourceOutcome";
import { defaultWaitPolicy, ResourceWaiter, WaitPolicy } from "./resourceWaiter";
import { FoundResource, globallyNamedKinds, GloballyNamedKind, WorkspaceGateway, WorkspaceState } from "./workspaceGateway";

export interface ProvisionResult {
  workspace: WorkspaceState;
  outcomes: ResourceOutcome[];
  warnings: string[];
}

/** The dependencies a new workspace needs, with what exists of them already (settled: no operation running). */
interface DependencyPlan {
  kind: DependencyKind;
  resource: ResourceReference;
  existing?: FoundResource;
}

/**
 * Converges the workspace and everything around it on the settings: what exists is reused,
 * what is missing is created, what was left Failed is provisioned again, and every resource is
 * reported once as created, updated, repaired or found. A resource another operation is still
 * creating, updating or deleting is waited for (bounded, with a log line) before it is used, and
 * a change Azure refuses because another operation is running is tried again once it ends, so
 * that a re-run after a cancelled run and two runs on the same names both converge.
 * Names are checked for availability before anything is created.
 */
export async function provisionWorkspace(
  settings: WorkspaceTaskSettings,
  azure: WorkspaceGateway,
  log: (line: string) => void,
  waitPolicy: WaitPolicy = defaultWaitPolicy,
): Promise<ProvisionResult> {
  const waiter = new ResourceWaiter(log, waitPolicy);
  const outcomes: ResourceOutcome[] = [];
  const warnings: string[] = [];
  const report: Reporter = {
    outcome(outcome) {
      outcomes.push(outcome);
      log(outcomeLine(outcome));
    },
    warning(message) {
      warnings.push(message);
    },
  };

  const run: ProvisioningRun = { settings, azure, waiter, report };
  const resourceGroup = settings.environment.resourceGroup.value;
  const workspaceName = settings.workspace.name;
  const workspaceTitle = titled(label("workspace"), workspaceName);
  const readWorkspace = () =>
    describing(`Reading workspace '${workspaceName}' in resource group '${resourceGroup}'`, () => azure.getWorkspace(resourceGroup, workspaceName));
  let workspace = await waiter.untilSettled(workspaceTitle, await readWorkspace(), readWorkspace);

  if (workspace) {
    // Its dependencies first: a workspace is repaired on working ones.
    await convergeExistingDependencies(run, workspace);
    workspace = isBroken(workspace) ? await repairWorkspace(run, workspace) : await convergeWorkspaceProperties(run, workspace);
  } else {
    const location = await ensureResourceGroup(run);
    const plans = await planDependencies(run);
    const ids = await createDependencies(run, plans, location);
    workspace = await waiter.retryingBusy(
      workspaceTitle,
      () =>
        describing(`Creating workspace '${workspaceName}'`, () =>
          azure.createWorkspace(resourceGroup, workspaceName, {
            location,
            description: settings.description,
            tags: settings.tags,
            storageAccount: ids.storageAccount,
            keyVault: ids.keyVault,
            applicationInsights: ids.applicationInsights,
            containerRegistry: ids.containerRegistry,
          }),
        ),
      readWorkspace,
    );
    report.outcome({ label: label("workspace"), name: workspace.name, id: workspace.id, outcome: "created", note: location });
  }

  for (const cluster of settings.computeClusters) {
    await convergeComputeCluster(run, workspace, cluster);
  }
  return { workspace, outcomes, warnings };
}

/** A workspace left Failed: provisioned again on the dependencies it already has, with our description and tags. */
async function repairWorkspace({ settings, azure, waiter, report }: ProvisioningRun, workspace: WorkspaceState): Promise<WorkspaceState> {
  const resourceGroup = settings.environment.resourceGroup.value;
  const what = titled(label("workspace"), workspace.name);
  const state = workspace.provisioningState;
  const { storageAccount, keyVault, applicationInsights, containerRegistry } = workspace;
  if (!storageAccount || !keyVault || !applicationInsights || !containerRegistry) {
    throw new Error(`${what} is ${state} and could not be repaired: Azure does not say which dependencies it has; delete it and run the task again.`);
  }
  const read = () => describing(`Reading workspace '${workspace.name}'`, () => azure.getWorkspace(resourceGroup, workspace.name));
  const repaired = await repairing(what, state, () =>
    waiter.retryingBusy(
      what,
      () =>
        describing(`Repairing workspace '${workspace.name}'`, () =>
          azure.createWorkspace(resourceGroup, workspace.name, {
            location: workspace.location,
            description: settings.description ?? workspace.description,
            tags: mergeTags(workspace.tags, settings.tags, what),
            storageAccount,
            keyVault,
            applicationInsights,
            containerRegistry,
          }),
        ),
      read,
    ),
  );
  report.outcome({ label: label("workspace"), name: repaired.name, id: repaired.id, outcome: "repaired", note: `was ${state}` });
  return repaired;
}

async function convergeWorkspaceProperties({ settings, azure, waiter, report }: ProvisioningRun, workspace: WorkspaceState): Promise<WorkspaceState> {
  const missingTags = tagsToChange(workspace.tags, settings.tags);
  const descriptionDiffers = settings.description !== undefined && settings.description !== (workspace.description ?? "");
  if (missingTags.length === 0 && !descriptionDiffers) {
    report.outcome({ label: label("workspace"), name: workspace.name, id: workspace.id, outcome: "found", note: workspace.location });
    return workspace;
  }

  const resourceGroup = settings.environment.resourceGroup.value;
  const tags = mergeTags(workspace.tags, settings.tags, titled(label("workspace"), workspace.name));
  const updated = await waiter.retryingBusy(
    titled(label("workspace"), workspace.name),
    () =>
      describing(`Updating workspace '${workspace.name}'`, () =>
        azure.updateWorkspace(resourceGroup, workspace.name, {
          description: descriptionDiffers ? settings.description : undefined,
          // Tags set outside the pipeline are kept; only ours are added or corrected.
          tags,
        }),
      ),
    () => describing(`Reading workspace '${workspace.name}'`, () => azure.getWorkspace(resourceGroup, workspace.name)),
  );
  const changed = [descriptionDiffers ? "description" : "", missingTags.length ? `tags ${missingTags.join(", ")}` : ""].filter(Boolean).join(", ");
  report.outcome({ label: label("workspace"), name: updated.name, id: updated.id, outcome: "updated", note: changed });
  return updated;
}

async function ensureResourceGroup({ settings, azure, waiter, report }: ProvisioningRun): Promise<string> {
  const { resourceGroup, location, subscriptionId } = settings.environment;
  const read = () => describing(`Reading resource group '${resourceGroup.value}'`, () => azure.getResourceGroup(resourceGroup.value));
  // A group being deleted is waited for until it is gone, then made again (if asked to).
  const existing = await waiter.untilSettled(titled(nameRules.resourceGroup.resource, resourceGroup.value), await read(), read);
  if (existing) {
    report.outcome({ label: nameRules.resourceGroup.resource, name: existing.name, id: existing.id, outcome: "found", note: existing.location });
    return location?.value ?? existing.location;
  }
  if (!settings.createResourceGroup) {
    throw new InputError(
      `Resource group '${resourceGroup.value}' (from ${resourceGroup.source}) does not exist in subscription '${subscriptionId}'; ` +
        `create it, or set input 'createResourceGroup' to true.`,
    );
  }
  if (!location) {
    throw new InputError(`Resource group '${resourceGroup.value}' must be created, and no location is set: set input 'location' or variable LOCATION.`);
  }
  const created = await describing(`Creating resource group '${resourceGroup.value}'`, () =>
    azure.createResourceGroup(resourceGroup.value, location.value, settings.tags),
  );
  report.outcome({ label: nameRules.resourceGroup.resource, name: created.name, id: created.id, outcome: "created", note: created.location });
  return location.value;
}

/**
 * Finds what exists, then checks every name that must be created before creating any, so that
 * a taken name fails the task with nothing made.
 */
async function planDependencies(run: ProvisioningRun): Promise<DependencyPlan[]> {
  const { settings, azure } = run;
  const find = async (kind: DependencyKind): Promise<DependencyPlan> => {
    const resource = settings.dependencies[kind];
    const existing = await readSettledDependency(run, kind, resource);
    if (!existing && resource.givenById) {
      throw new InputError(`The ${label(kind)} '${resource.id}' given in ${resource.source} does not exist.`);
    }
    if (existing && resource.givenById && isBroken(existing)) {
      // Not ours to re-provision: our PUT would replace its settings with the task's.
      throw new InputError(`The ${label(kind)} '${resource.id}' given in ${resource.source} is ${existing.provisioningState}; repair it or give another.`);
    }
    return { kind, resource, existing };
  };

  const plans = await Promise.all((["storageAccount", "keyVault", "applicationInsights", "containerRegistry"] as const).map(find));
  const insights = plans.find((plan) => plan.kind === "applicationInsights");
  // A Log Analytics workspace is only needed to create a workspace-based Application Insights.
  if (insights && !insights.existing) plans.push(await find("logAnalyticsWorkspace"));

  const problems: string[] = [];
  await Promise.all(
    plans
      .filter((plan): plan is DependencyPlan & { kind: GloballyNamedKind } => !plan.existing && (globallyNamedKinds as readonly string[]).includes(plan.kind))
      .map(async (plan) => {
        const check = await describing(`Checking the name of ${label(plan.kind)} '${plan.resource.name}'`, () =>
          azure.checkNameAvailability(plan.kind, plan.resource.name),
        );
        if (check.available) return;
        // Taken since we looked, by a run on the same names: then it is ours to use.
        const again = await find(plan.kind);
        if (again.existing) {
          plan.existing = again.existing;
        } else {
          problems.push(
            `${label(plan.kind)} name '${plan.resource.name}' (from ${plan.resource.source}) is not available` +
              `${check.reason ? ` (${check.reason})` : ""}${check.message ? `: ${check.message}` : ""}`,
          );
        }
      }),
  );
  if (problems.length > 0) {
    throw new InputError(`${problems.join("; ")}. Choose another name or NAMESPACE; nothing was created.`);
  }
  return plans;
}

async function createDependencies(
  run: ProvisioningRun,
  plans: DependencyPlan[],
  location: string,
): Promise<Record<Exclude<DependencyKind, "logAnalyticsWorkspace">, string>> {
  const ids = {} as Record<DependencyKind, string>;

  const converge = async (plan: DependencyPlan, extra: { logAnalyticsWorkspaceId?: string } = {}): Promise<void> => {
    const { kind, resource, existing } = plan;
    if (existing && !isBroken(existing)) {
      ids[kind] = existing.id;
      run.report.outcome({ label: label(kind), name: existing.name, id: existing.id, outcome: "found", note: resource.resourceGroup });
      return;
    }
    ids[kind] = (await putDependency(run, kind, resource, existing, location, extra)).id;
  };

  const insights = plans.find((plan) => plan.kind === "applicationInsights");
  const independent = plans.filter((plan) => plan !== insights);
  // Settle every creation before failing, so the log says exactly what exists now.
  const results = await Promise.allSettled(independent.map((plan) => converge(plan)));
  const failure = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failure) throw failure.reason;
  if (insights) await converge(insights, { logAnalyticsWorkspaceId: ids.logAnalyticsWorkspace });
  return ids;
}

async function convergeComputeCluster(
  { settings, azure, waiter, report }: ProvisioningRun,
  workspace: WorkspaceState,
  cluster: ComputeClusterSpec,
): Promise<void> {
  const resourceGroup = settings.environment.resourceGroup.value;
  const what = `compute cluster '${cluster.name}' in workspace '${workspace.name}'`;
  const computeLabel = nameRules.computeCluster.resource;
  const title = titled(computeLabel, cluster.name);
  const read = () => describing(`Reading ${what}`, () => azure.getCompute(resourceGroup, workspace.name, cluster.name));
  const existing = await waiter.untilSettled(title, await read(), read);
  const scaleText = (min: number, max: number, idle: number) => `${min}–${max} nodes, idle ${idle}s`;

  if (!existing || isBroken(existing)) {
    const put = () =>
      waiter.retryingBusy(
        title,
        () =>
          describing(`${existing ? "Repairing" : "Creating"} ${what}`, () =>
            azure.createCompute(resourceGroup, workspace.name, cluster, workspace.location, settings.tags),
          ),
        read,
      );
    const made = existing ? await repairing(title, existing.provisioningState, put) : await put();
    const spec = `${cluster.size}, ${scaleText(cluster.minInstances, cluster.maxInstances, cluster.idleSecondsBeforeScaleDown)}`;
    report.outcome({
      label: computeLabel,
      name: cluster.name,
      id: made.id,
      outcome: existing ? "repaired" : "created",
      note: existing ? `was ${existing.provisioningState}; ${spec}` : spec,
    });
    return;
  }

  for (const [field, wanted, actual] of [
    ["size", cluster.size, existing.size],
    ["tier", cluster.tier, existing.tier],
  ] as const) {
    if (actual !== undefined && actual.toLowerCase() !== wanted.toLowerCase()) {
      report.warning(
        `Compute cluster '${cluster.name}' exists with ${field} '${actual}', not '${wanted}' (${cluster.source}); ` +
          `Azure cannot change a cluster's ${field}: delete the cluster or give it another name.`,
      );
    }
  }
  const scaleMatches =
    existing.minInstances === cluster.minInstances &&
    existing.maxInstances === cluster.maxInstances &&
    existing.idleSecondsBeforeScaleDown === cluster.idleSecondsBeforeScaleDown;
  if (scaleMatches) {
    report.outcome({ label: computeLabel, name: cluster.name, id: existing.id, outcome: "found", note: existing.size });
    return;
  }
  const updated = await waiter.retryingBusy(
    title,
    () =>
      describing(`Updating the scale settings of ${what}`, () =>
        azure.updateComputeScale(resourceGroup, workspace.name, cluster.name, {
          minInstances: cluster.minInstances,
          maxInstances: cluster.maxInstances,
          idleSecondsBeforeScaleDown: cluster.idleSecondsBeforeScaleDown,
        }),
      ),
    read,
  );
  report.outcome({
    label: computeLabel,
    name: cluster.name,
    id: updated.id,
    outcome: "updated",
    note: `${scaleText(existing.minInstances ?? 0, existing.maxInstances ?? 0, existing.idleSecondsBeforeScaleDown ?? 0)} → ${scaleText(cluster.minInstances, cluster.maxInstances, cluster.idleSecondsBeforeScaleDown)}`,
  });
}
