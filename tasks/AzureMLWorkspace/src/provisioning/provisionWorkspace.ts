import { describing } from "../../../common/src/errors/azureError";
import { InputError } from "../../../common/src/errors/inputError";
import { nameRules } from "../../../common/src/naming/azureNameRules";
import { ResourceReference } from "../../../common/src/settings/resourceReference";
import { ComputeClusterSpec } from "../settings/computeClusters";
import { DependencyKind, resourceTypes, WorkspaceTaskSettings } from "../settings/workspaceSettings";
import { ResourceOutcome, outcomeLine } from "./resourceOutcome";
import { FoundResource, globallyNamedKinds, GloballyNamedKind, WorkspaceGateway, WorkspaceState } from "./workspaceGateway";

export interface ProvisionResult {
  workspace: WorkspaceState;
  outcomes: ResourceOutcome[];
  warnings: string[];
}

interface Reporter {
  outcome(outcome: ResourceOutcome): void;
  warning(message: string): void;
}

const label = (kind: DependencyKind | "workspace"): string => resourceTypes[kind].rule.resource;
const sameId = (a: string | undefined, b: string): boolean => (a ?? "").toLowerCase() === b.toLowerCase();

/** The dependencies a new workspace needs, with what exists of them already. */
interface DependencyPlan {
  kind: DependencyKind;
  resource: ResourceReference;
  existing?: FoundResource;
}

/**
 * Converges the workspace and everything around it on the settings: what exists is reused,
 * what is missing is created, and every resource is reported once as created, updated or found.
 * Names are checked for availability before anything is created.
 */
export async function provisionWorkspace(
  settings: WorkspaceTaskSettings,
  azure: WorkspaceGateway,
  log: (line: string) => void,
): Promise<ProvisionResult> {
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

  const resourceGroup = settings.environment.resourceGroup.value;
  const workspaceName = settings.workspace.name;
  let workspace = await describing(`Reading workspace '${workspaceName}' in resource group '${resourceGroup}'`, () =>
    azure.getWorkspace(resourceGroup, workspaceName),
  );

  if (workspace) {
    workspace = await convergeWorkspaceProperties(settings, workspace, azure, report);
    reportExistingDependencies(settings, workspace, report);
  } else {
    const location = await ensureResourceGroup(settings, azure, report);
    const plans = await planDependencies(settings, azure);
    const ids = await createDependencies(settings, plans, location, azure, report);
    workspace = await describing(`Creating workspace '${workspaceName}'`, () =>
      azure.createWorkspace(resourceGroup, workspaceName, {
        location,
        description: settings.description,
        tags: settings.tags,
        storageAccount: ids.storageAccount,
        keyVault: ids.keyVault,
        applicationInsights: ids.applicationInsights,
        containerRegistry: ids.containerRegistry,
      }),
    );
    report.outcome({ label: label("workspace"), name: workspace.name, id: workspace.id, outcome: "created", note: location });
  }

  for (const cluster of settings.computeClusters) {
    await convergeComputeCluster(settings, workspace, cluster, azure, report);
  }
  return { workspace, outcomes, warnings };
}

function reportExistingDependencies(settings: WorkspaceTaskSettings, workspace: WorkspaceState, report: Reporter): void {
  const used: Array<[DependencyKind, string | undefined]> = [
    ["storageAccount", workspace.storageAccount],
    ["keyVault", workspace.keyVault],
    ["applicationInsights", workspace.applicationInsights],
    ["containerRegistry", workspace.containerRegistry],
  ];
  for (const [kind, id] of used) {
    if (!id) continue;
    report.outcome({ label: label(kind), name: id.split("/").pop() ?? id, id, outcome: "found", note: "used by the workspace" });
    const wanted = settings.dependencies[kind];
    if (!sameId(id, wanted.id)) {
      report.warning(
        `Workspace '${workspace.name}' uses ${label(kind)} '${id.split("/").pop()}', not '${wanted.name}' from ${wanted.source}: ` +
          `a workspace's ${label(kind)} is fixed when it is created, so the existing one is kept.`,
      );
    }
  }
}

async function convergeWorkspaceProperties(
  settings: WorkspaceTaskSettings,
  workspace: WorkspaceState,
  azure: WorkspaceGateway,
  report: Reporter,
): Promise<WorkspaceState> {
  const missingTags = Object.entries(settings.tags).filter(([key, value]) => workspace.tags[key] !== value);
  const descriptionDiffers = settings.description !== undefined && settings.description !== (workspace.description ?? "");
  if (missingTags.length === 0 && !descriptionDiffers) {
    report.outcome({ label: label("workspace"), name: workspace.name, id: workspace.id, outcome: "found", note: workspace.location });
    return workspace;
  }

  const updated = await describing(`Updating workspace '${workspace.name}'`, () =>
    azure.updateWorkspace(settings.environment.resourceGroup.value, workspace.name, {
      description: descriptionDiffers ? settings.description : undefined,
      // Tags set outside the pipeline are kept; only ours are added or corrected.
      tags: { ...workspace.tags, ...settings.tags },
    }),
  );
  const changed = [descriptionDiffers ? "description" : "", missingTags.length ? `tags ${missingTags.map(([k]) => k).join(", ")}` : ""]
    .filter(Boolean)
    .join(", ");
  report.outcome({ label: label("workspace"), name: updated.name, id: updated.id, outcome: "updated", note: changed });
  return updated;
}

async function ensureResourceGroup(settings: WorkspaceTaskSettings, azure: WorkspaceGateway, report: Reporter): Promise<string> {
  const { resourceGroup, location, subscriptionId } = settings.environment;
  const existing = await describing(`Reading resource group '${resourceGroup.value}'`, () => azure.getResourceGroup(resourceGroup.value));
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
async function planDependencies(settings: WorkspaceTaskSettings, azure: WorkspaceGateway): Promise<DependencyPlan[]> {
  const find = async (kind: DependencyKind): Promise<DependencyPlan> => {
    const resource = settings.dependencies[kind];
    const existing = await describing(`Reading ${label(kind)} '${resource.name}'`, () => azure.getDependency(kind, resource));
    if (!existing && resource.givenById) {
      throw new InputError(`The ${label(kind)} '${resource.id}' given in ${resource.source} does not exist.`);
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
        if (!check.available) {
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
  settings: WorkspaceTaskSettings,
  plans: DependencyPlan[],
  location: string,
  azure: WorkspaceGateway,
  report: Reporter,
): Promise<Record<Exclude<DependencyKind, "logAnalyticsWorkspace">, string>> {
  const ids = {} as Record<DependencyKind, string>;
  const tenantId = settings.connection.tenantId;

  const converge = async (plan: DependencyPlan, extra: { logAnalyticsWorkspaceId?: string } = {}): Promise<void> => {
    if (plan.existing) {
      ids[plan.kind] = plan.existing.id;
      report.outcome({ label: label(plan.kind), name: plan.existing.name, id: plan.existing.id, outcome: "found", note: plan.resource.resourceGroup });
      return;
    }
    const sku = plan.kind === "storageAccount" ? settings.storageSku : plan.kind === "containerRegistry" ? settings.containerRegistrySku : undefined;
    const created = await describing(`Creating ${label(plan.kind)} '${plan.resource.name}'`, () =>
      azure.createDependency(plan.kind, plan.resource, { location, tags: settings.tags, sku, tenantId, ...extra }),
    );
    ids[plan.kind] = created.id;
    report.outcome({ label: label(plan.kind), name: created.name, id: created.id, outcome: "created", note: location });
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
  settings: WorkspaceTaskSettings,
  workspace: WorkspaceState,
  cluster: ComputeClusterSpec,
  azure: WorkspaceGateway,
  report: Reporter,
): Promise<void> {
  const resourceGroup = settings.environment.resourceGroup.value;
  const what = `compute cluster '${cluster.name}' in workspace '${workspace.name}'`;
  const existing = await describing(`Reading ${what}`, () => azure.getCompute(resourceGroup, workspace.name, cluster.name));
  const computeLabel = nameRules.computeCluster.resource;
  const scaleText = (min: number, max: number, idle: number) => `${min}–${max} nodes, idle ${idle}s`;

  if (!existing) {
    const created = await describing(`Creating ${what}`, () => azure.createCompute(resourceGroup, workspace.name, cluster, workspace.location, settings.tags));
    report.outcome({
      label: computeLabel,
      name: cluster.name,
      id: created.id,
      outcome: "created",
      note: `${cluster.size}, ${scaleText(cluster.minInstances, cluster.maxInstances, cluster.idleSecondsBeforeScaleDown)}`,
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
  const updated = await describing(`Updating the scale settings of ${what}`, () =>
    azure.updateComputeScale(resourceGroup, workspace.name, cluster.name, {
      minInstances: cluster.minInstances,
      maxInstances: cluster.maxInstances,
      idleSecondsBeforeScaleDown: cluster.idleSecondsBeforeScaleDown,
    }),
  );
  report.outcome({
    label: computeLabel,
    name: cluster.name,
    id: updated.id,
    outcome: "updated",
    note: `${scaleText(existing.minInstances ?? 0, existing.maxInstances ?? 0, existing.idleSecondsBeforeScaleDown ?? 0)} → ${scaleText(cluster.minInstances, cluster.maxInstances, cluster.idleSecondsBeforeScaleDown)}`,
  });
}
