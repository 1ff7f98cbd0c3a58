import * as tl from "azure-pipelines-task-lib/task";
import { logSection } from "../../common/src/log/logGroup";
import { phaseTimesLine } from "../../common/src/log/phaseTimes";
import { setOutputs } from "../../common/src/log/outputVariables";
import { uploadRunSummary } from "../../common/src/log/runSummary";
import { logSafe } from "../../common/src/text/sentence";
import type { OnlineOutcome } from "./online/onlineRollout";
import { describeTraffic } from "./online/trafficPlan";
import { onlineClosingSentence, onlineSummaryMarkdown } from "./report/deploySummary";
import { dockerContextClosingSentence, dockerContextSummaryMarkdown } from "./report/dockerContextSummary";
import { describeModelChoice } from "./settings/modelChoice";
import { readDeploySettings, type DeploySettings } from "./settings/deploySettings";
import type { DeploymentOutcome, DockerContextOutcome } from "./strategies/deploymentStrategy";
import { createDeploymentStrategy } from "./strategies/strategyFactory";

const log = (line: string): void => console.log(logSafe(line));
const warn = (message: string): void => tl.warning(logSafe(message));

const targetLabels: Record<DeploySettings["target"], string> = {
  managedOnlineEndpoint: "managed online endpoint",
  kubernetesOnlineEndpoint: "Kubernetes online endpoint",
  dockerContext: "Docker build context",
};

function describeSettings(settings: DeploySettings): void {
  const { workspace, deploymentName } = settings;
  const where = `workspace '${workspace.name}', resource group '${workspace.resourceGroup}'`;
  if (settings.target === "dockerContext") {
    logSection(logSafe(`Docker build context for deployment '${deploymentName.value}' from ${where}`));
    log(
      `Build context folder: ${settings.docker.contextPath.value} (${settings.docker.contextPath.source}), published as artifact '${settings.docker.artifactName}'.`,
    );
  } else {
    logSection(logSafe(`Deployment '${deploymentName.value}' to ${targetLabels[settings.target]} '${settings.online.endpointName.value}' in ${where}`));
  }
  log(`Deployment file: ${settings.deployment.file}`);
  log(`Model: ${describeModelChoice(settings.model)}.`);
  if (settings.target !== "dockerContext") {
    const { traffic, endpoint } = settings.online;
    if (endpoint) log(`Endpoint file: ${endpoint.file}`);
    const steps = traffic.steps.length > 0 ? `${traffic.steps.map((step) => `${step} %`).join(", ")}, then ` : "";
    log(`Traffic once the smoke test passes: ${steps}${traffic.percent} % to '${deploymentName.value}'; previous deployments: ${traffic.previousDeployments}.`);
  }
}

function reportOnline(outcome: OnlineOutcome): void {
  setOutputs({
    endpointName: outcome.endpointName,
    deploymentName: outcome.deploymentName,
    scoringUri: outcome.scoringUri,
    swaggerUri: outcome.swaggerUri,
    trafficBefore: JSON.stringify(outcome.trafficBefore),
    trafficAfter: JSON.stringify(outcome.trafficAfter),
  });
  if (outcome.key) {
    // Masked before the variable is set (again, should it not be yet): the command that sets it is the only line that holds it.
    tl.setSecret(outcome.key);
    tl.setVariable("endpointKey", outcome.key, true, true);
  }
  uploadRunSummary("azureml-deploy", onlineSummaryMarkdown(outcome));
  log(`Traffic after: ${describeTraffic(outcome.trafficAfter)} (before: ${describeTraffic(outcome.trafficBefore)}).`);
  log(`Scoring URI: ${outcome.scoringUri}`);
  log(phaseTimesLine(outcome.phases));
  const sentence = logSafe(onlineClosingSentence(outcome));
  console.log(sentence);
  tl.setResult(tl.TaskResult.Succeeded, sentence);
}

function reportDockerContext(outcome: DockerContextOutcome): void {
  setOutputs({ contextPath: outcome.contextPath });
  uploadRunSummary("azureml-deploy", dockerContextSummaryMarkdown(outcome));
  const sentence = logSafe(dockerContextClosingSentence(outcome));
  console.log(sentence);
  tl.setResult(tl.TaskResult.Succeeded, sentence);
}

function report(outcome: DeploymentOutcome): void {
  if (outcome.kind === "online") reportOnline(outcome);
  else reportDockerContext(outcome);
}

export async function runDeployTask(): Promise<void> {
  const settings = readDeploySettings();
  describeSettings(settings);
  const { workspace } = settings;

  // The Azure SDKs are most of the task's code: imported only once the inputs are read and checked.
  const { createAzureSession } = await import("../../common/src/azure/azureSession");
  const { AzureAssetGateway } = await import("../../common/src/assets/azureAssetGateway");
  const { AzureOnlineEndpointGateway } = await import("./online/azureOnlineEndpointGateway");
  const { HttpScoringClient } = await import("./smokeTest/httpScoringClient");
  const { AzureModelFiles } = await import("./dockerContext/azureModelFiles");
  const { AzureEnvironmentSource } = await import("./dockerContext/azureEnvironmentSource");
  const session = createAzureSession(settings.connection, workspace.subscriptionId);
  const scope = { subscriptionId: workspace.subscriptionId, resourceGroup: workspace.resourceGroup, name: workspace.name };

  const strategy = createDeploymentStrategy(settings, {
    online: () => ({
      endpoints: new AzureOnlineEndpointGateway(session, scope),
      assets: new AzureAssetGateway(session, scope),
      scoring: new HttpScoringClient(session),
      log,
      warn,
    }),
    dockerContext: () => ({
      assets: new AzureAssetGateway(session, scope),
      models: new AzureModelFiles(session, scope),
      environments: new AzureEnvironmentSource(session, scope),
      publish: (folder, artifactName) => tl.uploadArtifact(artifactName, folder, artifactName),
      log,
    }),
  });
  report(await strategy.deploy());
}
