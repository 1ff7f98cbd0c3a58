import * as tl from "azure-pipelines-task-lib/task";
import { studioUrl } from "../../common/src/azure/studioUrl";
import { inLogGroup, logSection } from "../../common/src/log/logGroup";
import { setOutputs } from "../../common/src/log/outputVariables";
import { uploadRunSummary } from "../../common/src/log/runSummary";
import { writeConfigJson } from "./configJson";
import { provisionWorkspace } from "./provisioning/provisionWorkspace";
import { workspaceSummaryMarkdown } from "./report/workspaceSummary";
import { readWorkspaceSettings } from "./settings/workspaceSettings";

export async function runWorkspaceTask(): Promise<void> {
  const settings = readWorkspaceSettings();
  const { subscriptionId, resourceGroup } = settings.environment;
  logSection(`Azure ML workspace '${settings.workspace.name}' in resource group '${resourceGroup.value}', subscription '${subscriptionId}'`);

  // The Azure SDKs are most of the task's code: imported only now, once the settings are read
  // and logged, they cost nothing to a run that stops at bad input (the bundle splits here).
  const { AzureWorkspaceGateway } = await import("./provisioning/azureWorkspaceGateway");
  const { createAzureSession } = await import("../../common/src/azure/azureSession");
  const gateway = new AzureWorkspaceGateway(createAzureSession(settings.connection, subscriptionId).arm);
  const result = await inLogGroup("Provisioning", () => provisionWorkspace(settings, gateway, (line) => console.log(line)));
  result.warnings.forEach((warning) => tl.warning(warning));

  const { workspace, outcomes } = result;
  const studio = studioUrl(settings.connection.cloud, workspace.id, settings.connection.tenantId);
  if (settings.configJsonPath) {
    writeConfigJson(settings.configJsonPath, { subscriptionId, resourceGroup: resourceGroup.value, name: workspace.name });
    console.log(`Wrote ${settings.configJsonPath} (subscription, resource group and workspace name; no secret).`);
  }
  setOutputs({
    workspaceName: workspace.name,
    workspaceId: workspace.id,
    workspaceLocation: workspace.location,
    resourceGroup: resourceGroup.value,
    subscriptionId,
    studioUrl: studio,
    discoveryUrl: workspace.discoveryUrl,
    storageAccountId: workspace.storageAccount,
    keyVaultId: workspace.keyVault,
    applicationInsightsId: workspace.applicationInsights,
    containerRegistryId: workspace.containerRegistry,
    configJsonPath: settings.configJsonPath,
  });
  uploadRunSummary(
    "azureml-workspace",
    workspaceSummaryMarkdown({
      workspaceName: workspace.name,
      resourceGroup: resourceGroup.value,
      location: workspace.location,
      studioUrl: studio,
      outcomes,
      warnings: result.warnings,
    }),
  );

  const changed = outcomes.filter((o) => o.outcome !== "found").length;
  const verdict =
    changed === 0 ? `nothing to change, ${outcomes.length} resources found` : `${changed} of ${outcomes.length} resources created, updated or repaired`;
  console.log(`Workspace '${workspace.name}' is ready: ${verdict}. Studio: ${studio}`);
  tl.setResult(tl.TaskResult.Succeeded, `Workspace '${workspace.name}' is ready: ${verdict}.`);
}
