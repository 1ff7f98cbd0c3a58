import * as fs from "node:fs";
import * as tl from "azure-pipelines-task-lib/task";
import { readServiceConnection, ServiceConnection } from "../../../common/src/auth/serviceConnection";
import { InputError } from "../../../common/src/errors/inputError";
import { nameRules } from "../../../common/src/naming/azureNameRules";
import { connectionSource } from "../../../common/src/settings/connectionScope";
import { nameOrDerived } from "../../../common/src/settings/derivedName";
import { EnvironmentSettings, readEnvironmentSettings } from "../../../common/src/settings/environmentSettings";
import { ResourceReference, ResourceType, toResourceReference } from "../../../common/src/settings/resourceReference";
import { readConfigurationInputs } from "../../../common/src/settings/configurationInputs";
import { parseTags } from "../../../common/src/settings/tags";
import { ComputeClusterSpec, computeClustersFromDocument, ensureUniqueNames, parseComputeClusters } from "./computeClusters";

export const resourceTypes = {
  workspace: { type: "Microsoft.MachineLearningServices/workspaces", rule: nameRules.workspace },
  storageAccount: { type: "Microsoft.Storage/storageAccounts", rule: nameRules.storageAccount },
  keyVault: { type: "Microsoft.KeyVault/vaults", rule: nameRules.keyVault },
  applicationInsights: { type: "Microsoft.Insights/components", rule: nameRules.applicationInsights },
  logAnalyticsWorkspace: { type: "Microsoft.OperationalInsights/workspaces", rule: nameRules.logAnalyticsWorkspace },
  containerRegistry: { type: "Microsoft.ContainerRegistry/registries", rule: nameRules.containerRegistry },
} satisfies Record<string, ResourceType>;

export type DependencyKind = Exclude<keyof typeof resourceTypes, "workspace">;
export const dependencyKinds: DependencyKind[] = ["storageAccount", "keyVault", "logAnalyticsWorkspace", "applicationInsights", "containerRegistry"];

export interface WorkspaceTaskSettings {
  connection: ServiceConnection;
  environment: EnvironmentSettings;
  createResourceGroup: boolean;
  workspace: ResourceReference;
  dependencies: Record<DependencyKind, ResourceReference>;
  storageSku: string;
  containerRegistrySku: string;
  description?: string;
  tags: Record<string, string>;
  computeClusters: ComputeClusterSpec[];
  configJsonPath?: string;
}

// Per dependency: its task input, its DESIGN §1 variable, and the prefix of its default name.
const dependencyNaming: Record<DependencyKind, { input: string; variable: string; prefix: string }> = {
  storageAccount: { input: "storageAccount", variable: "STORAGEACCOUNT", prefix: "sa" },
  keyVault: { input: "keyVault", variable: "KEYVAULT", prefix: "kv" },
  applicationInsights: { input: "applicationInsights", variable: "APPINSIGHTS", prefix: "ai" },
  logAnalyticsWorkspace: { input: "logAnalyticsWorkspace", variable: "LOGANALYTICS", prefix: "la" },
  containerRegistry: { input: "containerRegistry", variable: "CONTAINERREGISTRY", prefix: "cr" },
};

const storageSkus = ["Standard_LRS", "Standard_GRS", "Standard_RAGRS", "Standard_ZRS"];
const registrySkus = ["Basic", "Standard", "Premium"];

function pickList(name: string, allowed: string[], fallback: string): string {
  const value = tl.getInput(name, false)?.trim() || fallback;
  if (!allowed.includes(value)) {
    throw new InputError(`Input '${name}' is '${value}'; it must be one of ${allowed.join(", ")}.`);
  }
  return value;
}

function readComputeClusters(environment: EnvironmentSettings): ComputeClusterSpec[] {
  const clusters: ComputeClusterSpec[] = [];
  const configuration = readConfigurationInputs(environment.environment);
  const configured = configuration?.values.compute_clusters;
  if (configured !== undefined && configured !== null) {
    const origin = `Configuration ${configuration?.files.map((f) => `'${f}'`).join(" + ")} compute_clusters`;
    clusters.push(...computeClustersFromDocument(Array.isArray(configured) ? configured : [configured], origin));
  }
  const file = tl.getInput("computeClustersFile", false)?.trim();
  // The agent fills an empty filePath input with the sources directory: that is "not set".
  if (file && !(fs.existsSync(file) && fs.statSync(file).isDirectory())) {
    if (!fs.existsSync(file)) {
      throw new InputError(`Input 'computeClustersFile': file '${file}' does not exist.`);
    }
    clusters.push(...parseComputeClusters(fs.readFileSync(file, "utf8"), `Compute clusters file '${file}'`));
  }
  const inline = tl.getInput("computeClusters", false);
  if (inline?.trim()) clusters.push(...parseComputeClusters(inline, "Input 'computeClusters'"));
  ensureUniqueNames(clusters);
  return clusters;
}

/** Reads and checks every input before the task makes a single call to Azure. */
export function readWorkspaceSettings(): WorkspaceTaskSettings {
  const connection = readServiceConnection("azureSubscription");
  const environment = readEnvironmentSettings(connection);
  const home = { subscriptionId: environment.subscriptionId, resourceGroup: environment.resourceGroup.value };

  const workspaceName = nameOrDerived(
    [
      { input: "workspaceName" },
      { variable: "AMLWORKSPACE" },
      { fixed: connection.mlWorkspaceName, source: connectionSource(connection) },
    ],
    { variable: "AMLWORKSPACE", prefix: "aml", rule: nameRules.workspace },
    environment.namespace,
  );
  const workspace = toResourceReference(workspaceName, resourceTypes.workspace, home);
  if (workspace.givenById) {
    throw new InputError(`${workspaceName.source} must be a workspace name, not a resource id; set the resource group with 'resourceGroup'.`);
  }

  const dependencies = {} as Record<DependencyKind, ResourceReference>;
  for (const kind of dependencyKinds) {
    const naming = dependencyNaming[kind];
    const value = nameOrDerived(
      [{ input: naming.input }, { variable: naming.variable }],
      { variable: naming.variable, prefix: naming.prefix, rule: resourceTypes[kind].rule },
      environment.namespace,
    );
    dependencies[kind] = toResourceReference(value, resourceTypes[kind], home);
  }

  const writeConfigJson = tl.getBoolInput("writeConfigJson", false);
  const configJsonPath = writeConfigJson
    ? tl.getInput("configJsonPath", false)?.trim() || `${tl.getVariable("System.DefaultWorkingDirectory") ?? "."}/.azureml/config.json`
    : undefined;
  // Found now rather than after provisioning, so a bad path changes nothing in Azure.
  if (configJsonPath && fs.existsSync(configJsonPath) && fs.statSync(configJsonPath).isDirectory()) {
    throw new InputError(`Input 'configJsonPath' is '${configJsonPath}', which is a folder; give the path of the file to write.`);
  }

  return {
    connection,
    environment,
    createResourceGroup: tl.getBoolInput("createResourceGroup", false),
    workspace,
    dependencies,
    storageSku: pickList("storageSku", storageSkus, "Standard_LRS"),
    containerRegistrySku: pickList("containerRegistrySku", registrySkus, "Basic"),
    description: tl.getInput("workspaceDescription", false)?.trim() || undefined,
    tags: parseTags(tl.getInput("tags", false), "tags"),
    computeClusters: readComputeClusters(environment),
    configJsonPath,
  };
}
