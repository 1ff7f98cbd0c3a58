import * as path from "node:path";
import type { CommandJob, JobBase } from "@azure/arm-machinelearning";
import { createHttpHeaders, createPipelineRequest } from "@azure/core-rest-pipeline";
import type { AzureSession } from "../../../tasks/common/src/azure/azureSession";
import { blobAccountUrl, blobDatastoreLocation, datastoreContainerClient } from "../../../tasks/common/src/azure/clients/datastoreStorage";
import { MachineLearningControlPlane, type WorkspaceScope } from "../../../tasks/common/src/azure/clients/machineLearningControlPlane";
import { AzureJobGateway } from "../../../tasks/common/src/jobs/azureJobGateway";
import { jobArtifactsPath, joinDatastorePath, parseDatastoreUri } from "../../../tasks/common/src/jobs/datastorePaths";
import { JobOutputFiles } from "../../../tasks/common/src/jobs/jobOutputFiles";
import { containerUploadTarget, snapshotPath, uploadSnapshot } from "../../../tasks/common/src/upload";
import { clientArguments, runClient } from "./clientSupport";
import { refusal, sessionFor, type RefusalReport } from "./mlClientSupport";

export type { RefusalReport };

/** One event of following a job, with the status that was current when it came. */
export interface FollowedEvent {
  type: string;
  text: string;
  statusThen: string | undefined;
}

export interface JobScenarioReport {
  jobName: string;
  created: { status: string | undefined; outputs: Record<string, { jobOutputType?: string; uri?: string | null } | null>; studio: string | undefined };
  events: FollowedEvent[];
  final: { status: string; error?: { code?: string; message?: string } };
  extra: Record<string, unknown>;
}

const projectRoot = path.join(__dirname, "..", "..", "..", "..");
const trainingFolder = path.join(projectRoot, "test", "fixtures", "training");

/** Uploads the training fixtures as azure-ai-ml does and registers them as code version `training:1` (again: same content, 200). */
async function registerCode(
  session: AzureSession,
  controlPlane: MachineLearningControlPlane,
): Promise<{ codeId: string; codeUri: string; again: string | undefined }> {
  const datastore = await controlPlane.getDefaultDatastore();
  if (!datastore) throw new Error("no default datastore");
  const location = blobDatastoreLocation(datastore);
  const container = datastoreContainerClient(session, location, await controlPlane.listDatastoreSecrets(datastore.name ?? ""));
  const snapshot = await snapshotPath(trainingFolder, "the training code");
  const upload = await uploadSnapshot(containerUploadTarget(container), snapshot, { assetName: "training", assetVersion: "1" });
  const codeUri = `${blobAccountUrl(location)}/${location.containerName}/${upload.prefix}`;
  const code = await controlPlane.createCodeVersion("training", "1", { properties: { codeUri, isAnonymous: false, description: "the sklearn fixture" } });
  const again = await controlPlane.createCodeVersion("training", "1", { properties: { codeUri, description: "same content" } });
  return { codeId: code.id ?? "", codeUri, again: again.properties.description ?? undefined };
}

async function follow(gateway: AzureJobGateway, jobName: string): Promise<FollowedEvent[]> {
  const events: FollowedEvent[] = [];
  let status: string | undefined;
  for await (const event of gateway.follow(jobName)) {
    if (event.type === "status") status = event.status;
    const text = event.type === "status" ? event.status : event.type === "line" ? event.text : event.type === "logFile" ? event.file : event.message;
    events.push({ type: event.type, text, statusThen: status });
  }
  return events;
}

interface Workspace {
  session: AzureSession;
  controlPlane: MachineLearningControlPlane;
  gateway: AzureJobGateway;
  scope: WorkspaceScope;
}

function commandJob(properties: Omit<CommandJob, "jobType">): JobBase {
  return { properties: { jobType: "Command", ...properties } };
}

/**
 * `@azure/arm-machinelearning` 2.1.1 serializes a job's inputs and outputs with the base JobInput
 * and JobOutput mappers (its discriminator table lists only `JobInput.literal`), so an asset
 * input's `uri` and `mode` and an output's `uri` never leave the client. A job with such inputs
 * goes out as JSON through the same client's pipeline (token, retries), as the tasks must send it.
 */
async function createJobAsJson(workspace: Workspace, jobName: string, job: JobBase): Promise<JobBase> {
  const { subscriptionId, resourceGroup, name } = workspace.scope;
  const url = `${workspace.session.endpoints.resourceManager}/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${name}/jobs/${jobName}?api-version=2022-10-01`;
  const response = await workspace.controlPlane.client.sendRequest(
    createPipelineRequest({ url, method: "PUT", body: JSON.stringify(job), headers: createHttpHeaders({ "Content-Type": "application/json" }) }),
  );
  if (response.status !== 201 && response.status !== 200) throw new Error(`PUT job ${jobName}: ${response.status} ${response.bodyAsText ?? ""}`);
  return JSON.parse(response.bodyAsText ?? "{}") as JobBase;
}

async function submitAndFollow(workspace: Workspace, jobName: string, job: JobBase, asJson = false): Promise<JobScenarioReport> {
  const created = asJson ? await createJobAsJson(workspace, jobName, job) : await workspace.controlPlane.createJob(jobName, job);
  const events = await follow(workspace.gateway, jobName);
  const final = await workspace.gateway.get(jobName);
  const properties = created.properties as CommandJob;
  return {
    jobName,
    created: {
      status: properties.status,
      outputs: properties.outputs ?? {},
      studio: properties.services?.Studio?.endpoint ?? undefined,
    },
    events,
    final: { status: final?.status ?? "missing", error: final?.error ? { code: final.error.code, message: final.error.message } : undefined },
    extra: {},
  };
}

/** Environment version `sklearn-local:1`: an inline image and conda file, recorded, never built. */
async function registerEnvironment(controlPlane: MachineLearningControlPlane): Promise<string> {
  const environment = await controlPlane.createEnvironmentVersion("sklearn-local", "1", {
    properties: {
      image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest",
      condaFile: "name: train\ndependencies:\n  - python=3.10\n  - scikit-learn\n",
      description: "inline image and conda file",
    },
  });
  return environment.id ?? "";
}

/**
 * Scenarios a task runs against Azure ML's jobs and assets, with the tasks' own clients.
 * Arguments: the workspace's resource group and name, the scenario (train | fail | missingModule |
 * curated | cancel | slow | timeout) and a suffix for the job's name.
 */
runClient(async (connection): Promise<JobScenarioReport> => {
  const [resourceGroup, workspaceName, scenario, suffix = "1"] = clientArguments();
  const session = sessionFor(connection);
  const scope: WorkspaceScope = { subscriptionId: connection.subscriptionId, resourceGroup, name: workspaceName };
  const controlPlane = new MachineLearningControlPlane(session, scope);
  const gateway = new AzureJobGateway(session, scope, { polling: { minMs: 200, maxMs: 400 } });
  const workspace: Workspace = { session, controlPlane, gateway, scope };
  const { codeId, codeUri, again } = await registerCode(session, controlPlane);
  const environmentId = await registerEnvironment(controlPlane);
  const computeId = `/subscriptions/${connection.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${workspaceName}/computes/cpu-cluster`;
  const jobName = `${scenario}-${suffix}`;

  switch (scenario) {
    case "train": {
      const datastore = await controlPlane.getDefaultDatastore();
      const location = blobDatastoreLocation(datastore!);
      const container = datastoreContainerClient(session, location, await controlPlane.listDatastoreSecrets(location.name));
      await container.getBlockBlobClient("data/notes/notes.txt").upload("notes from the datastore\n", 25);
      const report = await submitAndFollow(
        workspace,
        jobName,
        commandJob({
          command:
            "python train.py --alpha ${{inputs.alpha}} --model_dir ./outputs && cat ${{inputs.notes}} && cp outputs/metrics.json ${{outputs.report}}/metrics.json && echo odd > 'outputs/odd name 100%.txt'",
          codeId,
          environmentId,
          computeId,
          experimentName: "local-jobs",
          displayName: "train on the local Azure",
          inputs: {
            alpha: { jobInputType: "literal", value: "0.5" },
            notes: { jobInputType: "uri_file", uri: "azureml://datastores/workspaceblobstore/paths/data/notes/notes.txt" },
          },
          outputs: { report: { jobOutputType: "uri_folder" } },
          environmentVariables: { TRAINING_MODE: "local" },
        }),
        true,
      );
      const files = new JobOutputFiles(session, controlPlane);
      const artifacts = jobArtifactsPath(jobName);
      const model = await files.readFile(joinDatastorePath(artifacts, "outputs/model.pkl"), 10_000_000);
      const metrics = await files.readFile(joinDatastorePath(artifacts, "outputs/metrics.json"), 100_000);
      const artifactList = await files.list(artifacts);
      const job = await gateway.get(jobName);
      const reportUri = job?.outputs.report?.uri ?? "";
      const namedMetrics = await files.readFile(joinDatastorePath(parseDatastoreUri(reportUri), "metrics.json"), 100_000);
      const modelUri = `azureml://jobs/${jobName}/outputs/artifacts/paths/outputs/model.pkl`;
      const registered = await controlPlane.createModelVersion("local-jobs-model", "1", {
        properties: { modelUri, modelType: "custom_model", tags: { source: "local" } },
      });
      const sameAgain = await controlPlane.createModelVersion("local-jobs-model", "1", {
        properties: { modelUri, modelType: "custom_model", tags: { source: "again" } },
      });
      const changed = await refusal(() =>
        controlPlane.createModelVersion("local-jobs-model", "1", { properties: { modelUri: `${modelUri}.bak`, modelType: "custom_model" } }),
      );
      const missingPath = await refusal(() =>
        controlPlane.createModelVersion("local-jobs-model", "2", {
          properties: { modelUri: `azureml://jobs/${jobName}/outputs/artifacts/paths/outputs/none.pkl` },
        }),
      );
      const missingJob = await refusal(() =>
        controlPlane.createModelVersion("local-jobs-model", "3", {
          properties: { modelUri: "azureml://jobs/no-such-job/outputs/artifacts/paths/outputs/model.pkl" },
        }),
      );
      const fromNamedOutput = await controlPlane.createModelVersion("local-jobs-model", "4", {
        properties: { modelUri: `azureml://jobs/${jobName}/outputs/report/paths/metrics.json` },
      });
      const fromRun = await controlPlane.createModelVersion("local-jobs-model", "5", { properties: { modelUri: `runs:/${jobName}/outputs/model.pkl` } });
      const codeChanged = await refusal(() => controlPlane.createCodeVersion("training", "1", { properties: { codeUri: `${codeUri}-other` } }));
      const codeMissingBlobs = await refusal(() => controlPlane.createCodeVersion("training", "9", { properties: { codeUri: `${codeUri}-nothing-here` } }));
      const missingModel = await controlPlane.getModelVersion("local-jobs-model", "77");
      const missingJobState = await gateway.get("no-such-job");
      const versions = (await controlPlane.listModelVersions("local-jobs-model")).map((version) => version.name ?? "");
      const listedJobs: string[] = [];
      for await (const listed of controlPlane.client.jobs.list(resourceGroup, workspaceName)) listedJobs.push(listed.name ?? "");
      const container2 = await controlPlane.client.modelContainers.get(resourceGroup, workspaceName, "local-jobs-model");
      const environment = await controlPlane.getEnvironmentVersion("sklearn-local", "1");
      const readBack = (await controlPlane.getJob(jobName))!.properties;
      const resubmitSame = await createJobAsJson(workspace, jobName, { properties: { ...readBack, description: "updated" } });
      const resubmitChanged = await refusal(() =>
        controlPlane.createJob(jobName, commandJob({ command: "python train.py", codeId, environmentId, computeId, experimentName: "local-jobs" })),
      );
      report.extra = {
        codeAgainDescription: again,
        modelBytes: model?.length ?? 0,
        modelStart: model ? model.subarray(0, 2).toString("hex") : "",
        metrics: metrics ? (JSON.parse(metrics.toString()) as unknown) : undefined,
        namedMetrics: namedMetrics ? (JSON.parse(namedMetrics.toString()) as unknown) : undefined,
        reportUri,
        artifactList,
        registered: {
          modelUri: registered.properties.modelUri,
          jobName: registered.properties.jobName,
          modelType: registered.properties.modelType,
          createdAt: registered.systemData?.createdAt?.toISOString(),
        },
        sameAgainTags: sameAgain.properties.tags,
        changed,
        missingPath,
        missingJob,
        fromNamedOutput: fromNamedOutput.properties.modelUri,
        fromRun: fromRun.properties.modelUri,
        codeChanged,
        codeMissingBlobs,
        missingModel: missingModel === undefined,
        missingJobState: missingJobState === undefined,
        versions: versions.sort(),
        listedJobs,
        container: { latestVersion: container2.properties.latestVersion, nextVersion: container2.properties.nextVersion },
        environment: {
          image: environment?.properties.image,
          condaFile: environment?.properties.condaFile,
          environmentType: environment?.properties.environmentType,
        },
        resubmitSame: (resubmitSame.properties as CommandJob).description,
        resubmitChanged,
      };
      return report;
    }
    case "fail":
    case "missingModule":
      return submitAndFollow(
        workspace,
        jobName,
        commandJob({
          command: scenario === "fail" ? "python fail.py" : "python fail.py --missing-module",
          codeId,
          environmentId,
          experimentName: "local-jobs",
        }),
      );
    case "curated":
      return submitAndFollow(
        workspace,
        jobName,
        commandJob({
          command: "python -c \"import sklearn, os; print('sklearn', sklearn.__version__, os.environ['AZUREML_RUN_ID'])\"",
          environmentId: "azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
          experimentName: "local-jobs",
        }),
      );
    case "chained":
      // Inputs from another job's outputs, and a web URL in Direct mode, which reaches the command as text.
      return submitAndFollow(
        workspace,
        jobName,
        commandJob({
          command:
            "ls ${{inputs.report}} && python -c \"import sys, os; print('model bytes', os.path.getsize(sys.argv[1]))\" ${{inputs.model}} && echo url=${{inputs.page}}",
          codeId,
          environmentId,
          experimentName: "local-jobs",
          inputs: {
            report: { jobInputType: "uri_folder", uri: "azureml://jobs/train-1/outputs/report" },
            model: { jobInputType: "uri_file", uri: "azureml://jobs/train-1/outputs/artifacts/paths/outputs/model.pkl" },
            page: { jobInputType: "uri_file", uri: "https://example.com/data.csv", mode: "Direct" },
          },
        }),
        true,
      );
    case "cancel": {
      const created = await controlPlane.createJob(
        jobName,
        commandJob({ command: "python slow.py --seconds 120 --child --pid_file child.pid", codeId, environmentId, experimentName: "local-jobs" }),
      );
      let sawTick = false;
      let liveLog = "";
      const files = new JobOutputFiles(session, controlPlane);
      for await (const event of gateway.follow(jobName)) {
        if (event.type === "line" && event.text.startsWith("tick") && !sawTick) {
          sawTick = true;
          // While it runs, its log is also copied to the artifact store, where `az ml job stream` looks.
          const deadline = Date.now() + 15000;
          while (!liveLog.includes("tick") && Date.now() < deadline) {
            liveLog = (await files.readFile(joinDatastorePath(jobArtifactsPath(jobName), "user_logs/std_log.txt"), 1_000_000))?.toString() ?? "";
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
          await gateway.cancel(jobName);
        }
      }
      const final = await gateway.get(jobName);
      return {
        jobName,
        created: { status: (created.properties as CommandJob).status, outputs: {}, studio: undefined },
        events: [],
        final: { status: final?.status ?? "missing" },
        extra: { sawTick, liveLog, cancelAgain: await refusal(() => gateway.cancel(jobName)) },
      };
    }
    case "slow": {
      // Left running: something else ends it (the local Azure stopping).
      const created = await controlPlane.createJob(
        jobName,
        commandJob({ command: "python slow.py --seconds 120 --child --pid_file child.pid", codeId, environmentId, experimentName: "local-jobs" }),
      );
      return {
        jobName,
        created: { status: (created.properties as CommandJob).status, outputs: {}, studio: undefined },
        events: [],
        final: { status: "" },
        extra: {},
      };
    }
    case "timeout":
      return submitAndFollow(
        workspace,
        jobName,
        commandJob({
          command: "python slow.py --seconds 120",
          codeId,
          environmentId,
          experimentName: "local-jobs",
          limits: { jobLimitsType: "Command", timeout: "PT3S" },
        }),
      );
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
});
