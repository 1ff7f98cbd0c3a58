import * as path from "node:path";
import * as tl from "azure-pipelines-task-lib/task";
import { ServiceConnection } from "../../../common/src/auth/serviceConnection";
import { InputError } from "../../../common/src/errors/inputError";
import { readInputFile } from "../../../common/src/files/fileInputs";
import { checkOutputFilePath } from "../../../common/src/files/outputPath";
import { nameRules } from "../../../common/src/naming/azureNameRules";
import { nameOrDerived } from "../../../common/src/settings/derivedName";
import { EnvironmentSettings } from "../../../common/src/settings/environmentSettings";
import { ResourceReference, ResourceType, toResourceReference } from "../../../common/src/settings/resourceReference";
import { readConfigurationInputs } from "../../../common/src/settings/configurationInputs";
import { jobOutputRoots } from "../../../common/src/settings/outputRoots";
import { parseTags, tagLimits } from "../../../common/src/settings/tags";
import { hasControlCharacter, quoted } from "../../../common/src/text/printable";
import { readConnection, readEnvironment, resolveWorkspace, workspaceResourceType } from "../../../common/src/settings/workspaceTarget";
import { ComputeClusterSpec, computeClustersFromDocument, ensureUniqueNames, parseComputeClusters } from "./computeClusters";

export const resourceTypes = {
  workspace: workspaceResourceType,
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
    throw new InputError(`Input '${name}' is ${quoted(value)}; it must be one of ${allowed.join(", ")}.`);
  }
  return value;
}

function readDescription(): string | undefined {
  const description = tl.getInput("workspaceDescription", false)?.trim() || undefined;
  if (description !== undefined && hasControlCharacter(description)) {
    throw new InputError(`Input 'workspaceDescription' is ${quoted(description)}, which holds a control character; give one line of text.`);
  }
  return description;
}

/**
 * The agent fills an empty filePath input with the sources folder: that folder means "not set".
 * Any other folder is a mistake that readInputFile reports.
 */
function computeClustersFile(): string | undefined {
  const given = tl.getInput("computeClustersFile", false)?.trim();
  if (!given) return undefined;
  const root = tl.getVariable("System.DefaultWorkingDirectory") || process.cwd();
  const file = path.resolve(root, given);
  const unset = [root, tl.getVariable("Build.SourcesDirectory")].filter((folder): folder is string => Boolean(folder));
  return unset.some((folder) => path.resolve(folder) === file) ? undefined : file;
}

function readComputeClusters(environment: EnvironmentSettings): ComputeClusterSpec[] {
  const clusters: ComputeClusterSpec[] = [];
  const configuration = readConfigurationInputs(environment.environment);
  const configured = configuration?.values.compute_clusters;
  if (configured !== undefined && configured !== null) {
    const origin = `Configuration ${configuration?.files.map((f) => `'${f}'`).join(" + ")} compute_clusters`;
    clusters.push(...computeClustersFromDocument(Array.isArray(configured) ? configured : [configured], origin));
  }
  const file = computeClustersFile();
  if (file) {
    const content = readInputFile({ path: file, source: "Input 'computeClustersFile'" });
    clusters.push(...parseComputeClusters(content, `Compute clusters file ${quoted(file)}`));
  }
  const inline = tl.getInput("computeClusters", false);
  if (inline?.trim()) clusters.push(...parseComputeClusters(inline, "Input 'computeClusters'"));
  ensureUniqueNames(clusters);
  return clusters;
}

/** Reads and checks every input before the task makes a single call to Azure. */
export function readWorkspaceSettings(): WorkspaceTaskSettings {
  const connection = readConnection();
  const environment = readEnvironment(connection);
  const home = { subscriptionId: environment.subscriptionId, resourceGroup: environment.resourceGroup.value };
  const workspace = resolveWorkspace(connection, environment);

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

  // Checked now rather than after provisioning, so a bad path changes nothing in Azure.
  const writeConfigJson = tl.getBoolInput("writeConfigJson", false);
  const configJsonPath = writeConfigJson
    ? checkOutputFilePath({ value: tl.getInput("configJsonPath", false)?.trim() || ".azureml/config.json", source: "Input 'configJsonPath'" }, jobOutputRoots())
    : undefined;

  return {
    connection,
    environment,
    createResourceGroup: tl.getBoolInput("createResourceGroup", false),
    workspace,
    dependencies,
    storageSku: pickList("storageSku", storageSkus, "Standard_LRS"),
    containerRegistrySku: pickList("containerRegistrySku", registrySkus, "Basic"),
    description: readDescription(),
    // The tags go on every resource the task creates, the storage account among them.
    tags: parseTags(tl.getInput("tags", false), "tags", { maxNameLength: tagLimits.storageAccountNameLength }),
    computeClusters: readComputeClusters(environment),
    configJsonPath,
  };
}
