import * as tl from "azure-pipelines-task-lib/task";
import { studioUrl } from "../../common/src/azure/studioUrl";
import { lastModelNameVariable, lastModelVersionVariable } from "../../common/src/jobs/lastRegisteredModel";
import { inLogGroup, logSection } from "../../common/src/log/logGroup";
import { setOutputs } from "../../common/src/log/outputVariables";
import { uploadRunSummary } from "../../common/src/log/runSummary";
import { registerModel, outcomeSentence, type RegistrationOutcome } from "./registration/registerModel";
import { registrationSummaryMarkdown } from "./report/registrationSummary";
import { readRegisterSettings, type RegisterSettings } from "./settings/registerSettings";
import { logSafe } from "../../common/src/text/sentence";

/** The version's page in Azure ML studio. */
function modelStudioUrl(settings: RegisterSettings, version: string): string {
  const page = `model/${encodeURIComponent(settings.modelName.value)}:${encodeURIComponent(version)}/details`;
  return studioUrl(settings.connection.cloud, settings.workspace.id, settings.connection.tenantId, page);
}

export async function runRegisterTask(): Promise<void> {
  const settings = readRegisterSettings();
  const { workspace, modelName } = settings;
  logSection(logSafe(`Azure ML model '${modelName.value}' in workspace '${workspace.name}', resource group '${workspace.resourceGroup}'`));
  if (settings.ignoredGoal) {
    console.log(logSafe(`No gate: input 'metric' is empty, so ${settings.ignoredGoal.source} ('${settings.ignoredGoal.value.trim()}') is ignored.`));
  }

  // The Azure SDKs are imported only now: a run that stops at bad input never loads them.
  const { createAzureSession } = await import("../../common/src/azure/azureSession");
  const { AzureModelRegistry } = await import("./registry/azureModelRegistry");
  const { AzureJobGateway } = await import("../../common/src/jobs/azureJobGateway");
  const session = createAzureSession(settings.connection, workspace.subscriptionId);
  const scope = { subscriptionId: workspace.subscriptionId, resourceGroup: workspace.resourceGroup, name: workspace.name };
  const registry = new AzureModelRegistry(session, scope);
  const jobs = new AzureJobGateway(session, scope);

  const outcome = await inLogGroup("Registering the model", () =>
    registerModel(settings, { registry, jobs, workspaceName: workspace.name, log: (line) => console.log(line) }),
  );
  report(settings, outcome);
}

function report(settings: RegisterSettings, outcome: RegistrationOutcome): void {
  const name = settings.modelName.value;
  const sentence = outcomeSentence(outcome, name, settings.gate !== undefined);
  if (outcome.outcome === "skipped") {
    // A skip is not a failure: the next steps read modelRegistered and the version outputs stay empty.
    setOutputs({ modelName: name, modelVersion: "", modelId: "", modelRegistered: "false" });
    uploadRunSummary(
      "azureml-register-model",
      registrationSummaryMarkdown({ modelName: name, modelType: outcome.modelType, source: outcome.source.summary, gate: outcome.gate }),
    );
    console.log(sentence);
    tl.setResult(tl.TaskResult.Succeeded, sentence);
    return;
  }
  const version = outcome.version.version;
  const modelId = outcome.version.id || `${settings.workspace.id}/models/${name}/versions/${version}`;
  const studio = modelStudioUrl(settings, version);
  setOutputs({ modelName: name, modelVersion: version, modelId, modelRegistered: "true" });
  // Plain job variables too: AzureMLDeploy in a later step of the same job deploys this version by default.
  tl.setVariable(lastModelNameVariable, name);
  tl.setVariable(lastModelVersionVariable, version);
  uploadRunSummary(
    "azureml-register-model",
    registrationSummaryMarkdown({
      modelName: name,
      modelType: outcome.modelType,
      registeredVersion: version,
      modelId,
      ...(outcome.outcome === "reused" ? { reused: true } : {}),
      source: outcome.source.summary,
      ...(outcome.outcome === "registered" && outcome.gate ? { gate: outcome.gate } : {}),
      studioUrl: studio,
    }),
  );
  console.log(sentence);
  console.log(logSafe(`Model id: ${modelId}`));
  console.log(logSafe(`Studio: ${studio}`));
  tl.setResult(tl.TaskResult.Succeeded, sentence);
}
