import * as tl from "azure-pipelines-task-lib/task";
import { studioUrl } from "../../common/src/azure/studioUrl";
import { inLogGroup, logSection } from "../../common/src/log/logGroup";
import { lastJobNameVariable } from "../../common/src/jobs/lastJobName";
import { setOutputs } from "../../common/src/log/outputVariables";
import { uploadRunSummary } from "../../common/src/log/runSummary";
import { parseMetrics, trainSummaryMarkdown, type TrainSummary } from "./report/trainSummary";
import { pipelineTags } from "./settings/pipelineRun";
import { readTrainSettings, type TrainTaskSettings } from "./settings/trainSettings";
import type { AssetGateway } from "../../common/src/assets/assetGateway";
import { commandJobBody } from "./submission/commandJobBody";
import { generateJobName } from "./submission/jobName";
import { JobAssetResolver } from "./submission/resolveJobAssets";
import { waitFailure, waitForJob, type WaitResult } from "./waiting/waitForJob";

const log = (line: string): void => console.log(line);
const metricsFile = "outputs/metrics.json";
const maxMetricsBytes = 1024 * 1024;

function describeSettings(settings: TrainTaskSettings): void {
  const { job, workspace } = settings;
  logSection(`Azure ML job from ${job.file} in workspace '${workspace.name}', resource group '${workspace.resourceGroup}'`);
  const experimentSource = job.experimentNameSource === "default" ? " (the pipeline's name; set experiment_name or input 'experimentName' to choose)" : "";
  log(`Experiment: ${job.experimentName}${experimentSource}`);
  if (settings.overrides.length > 0) log(`Overridden by the task's inputs: ${settings.overrides.join(", ")}.`);
  const configuration = settings.configuration;
  if (configuration === undefined) {
    log("No configuration file: the command runs as written.");
  } else if (configuration.applied.placeholders.length > 0) {
    log(`Configuration: ${configuration.description}; placed in the command: ${configuration.applied.placeholders.join(", ")}.`);
  } else {
    log(`Configuration: ${configuration.description}; ${configuration.applied.appended.length} argument word(s) appended to the command.`);
  }
}

function computeText(settings: TrainTaskSettings): string {
  const compute = settings.job.compute;
  return compute.kind === "named" ? compute.name : "serverless";
}

function finalStatus(result: WaitResult): string {
  if (result.outcome === "ended") return result.state.status;
  return result.canceled ? "Canceled" : result.status;
}

/** The job's metrics file, for the summary; a job that wrote none, or a file that cannot be read, is only a note. */
async function readMetrics(assets: AssetGateway, jobName: string): Promise<Pick<TrainSummary, "metrics" | "metricsNote">> {
  try {
    const text = await assets.readJobArtifact(jobName, metricsFile, maxMetricsBytes);
    if (text === undefined) return { metrics: {} };
    const { metrics, note } = parseMetrics(text);
    return { metrics, metricsNote: note };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    tl.warning(`The job's ${metricsFile} could not be read: ${message}`);
    return { metrics: {}, metricsNote: `${metricsFile} could not be read.` };
  }
}

export async function runTrainTask(): Promise<void> {
  const settings = readTrainSettings();
  describeSettings(settings);
  const { job, workspace, connection } = settings;

  // The Azure SDKs are most of the task's code: imported only once the inputs are read and checked.
  const { createAzureSession } = await import("../../common/src/azure/azureSession");
  const { AzureJobGateway } = await import("../../common/src/jobs/azureJobGateway");
  const { AzureAssetGateway } = await import("../../common/src/assets/azureAssetGateway");
  const session = createAzureSession(connection, workspace.subscriptionId);
  const scope = { subscriptionId: workspace.subscriptionId, resourceGroup: workspace.resourceGroup, name: workspace.name };
  const assets: AssetGateway = new AzureAssetGateway(session, scope);
  const jobs = new AzureJobGateway(session, scope);

  const name = job.name ?? generateJobName();
  const { assets: resolved, outcomes } = await inLogGroup("Preparing code, environment and inputs", () =>
    new JobAssetResolver(assets, workspace.id, log).resolve(job),
  );
  const body = commandJobBody(job, resolved, { ...job.tags, ...pipelineTags(settings.pipelineRun) });
  const submitted = await jobs.submit(name, body);
  const studio = submitted.studioUrl ?? studioUrl(connection.cloud, workspace.id, connection.tenantId, `runs/${name}`);
  log(`Submitted job '${name}' to experiment '${job.experimentName}' on ${computeText(settings)} compute (status ${submitted.status}).`);
  log(`Studio: ${studio}`);
  // The status is set once, when the task knows it for good; the name and URL at once, for a later step even if the wait fails.
  setOutputs({ jobName: name, studioUrl: studio });
  // A plain job variable too: AzureMLRegisterModel in a later step of the same job takes it as its default jobName.
  tl.setVariable(lastJobNameVariable, name);

  const summary: TrainSummary = {
    jobName: name,
    status: submitted.status,
    studioUrl: studio,
    experimentName: job.experimentName,
    compute: computeText(settings),
    environment: outcomes.environment,
    code: outcomes.code,
    metrics: {},
  };
  if (!settings.wait) {
    setOutputs({ jobStatus: submitted.status });
    uploadRunSummary("azureml-train", trainSummaryMarkdown(summary));
    tl.setResult(tl.TaskResult.Succeeded, `Job '${name}' submitted; not waiting for it (input 'wait' is false).`);
    return;
  }

  const started = Date.now();
  const result = await waitForJob(jobs, name, {
    timeoutMinutes: settings.timeoutMinutes,
    cancelOnTimeout: settings.cancelOnTimeout,
    log,
    warn: (message) => tl.warning(message),
  });
  const status = finalStatus(result);
  setOutputs({ jobStatus: status });
  const metrics = result.outcome === "ended" ? await readMetrics(assets, name) : { metrics: {} };
  uploadRunSummary("azureml-train", trainSummaryMarkdown({ ...summary, ...metrics, status, durationSeconds: Math.round((Date.now() - started) / 1000) }));

  const failure = waitFailure(name, result, settings.timeoutMinutes);
  if (result.outcome === "interrupted" && failure) {
    tl.setResult(tl.TaskResult.Cancelled, failure.message);
    return;
  }
  if (failure) throw failure;
  log(`Job '${name}' completed. Studio: ${studio}`);
  tl.setResult(tl.TaskResult.Succeeded, `Job '${name}' completed.`);
}
