import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { startLocalAzure } from "../azure";
import { agentServiceConnection, stepWithConnection } from "../runner/serviceConnections";
import { runTaskStep } from "../runner/taskProcess";

// The starter project's Dev job, its first three steps (provision, train, register), run for
// real on the local Azure by the built tasks as the agent runs them; what a person would see of
// the run is kept: each step's log, time and result, and the summaries the tasks uploaded.

const repository = path.resolve(__dirname, "../../..");
const starter = path.join(repository, "pipelines");

/** One step of the run as the run view shows it. */
export interface RecordedStep {
  displayName: string;
  /** Task reference (`AzureMLTrain@1`), as in the pipeline. */
  task: string;
  /** task.json's friendly name, description, version and author: the agent prints them first. */
  taskInfo: { friendlyName: string; description: string; version: string; author: string; helpUrl: string };
  result: string;
  seconds: number;
  /** The log lines as the agent keeps them (secrets masked), logging commands included. */
  lines: string[];
  /** Markdown the step uploaded with ##vso[task.uploadsummary]. */
  summaries: string[];
}

export interface RecordedRun {
  pipelineName: string;
  runName: string;
  stage: string;
  job: string;
  steps: RecordedStep[];
  /** Requests checked against the swaggers, and what failed the check. */
  validated: number;
  unmatched: number;
  violations: number;
}

interface StepPlan {
  displayName: string;
  task: string;
  inputs: Record<string, string>;
}

/** The steps of pipelines/templates/steps/provision.yml and train-and-register.yml, as the Dev stage gives them. */
const plan: StepPlan[] = [
  {
    displayName: "Provision the Azure ML workspace",
    task: "AzureMLWorkspace",
    inputs: { createResourceGroup: "true", tags: "environment=$(ENVIRONMENT)\nproject=diabetes" },
  },
  {
    displayName: "Train the model",
    task: "AzureMLTrain",
    inputs: { jobFile: "ml/train-job.yml", configurationSection: "training", timeoutMinutes: "60" },
  },
  {
    displayName: "Register the model if it beats the champion",
    task: "AzureMLRegisterModel",
    inputs: { modelName: "$(MODEL_NAME)", metric: "rmse", goal: "minimize", tags: "environment=$(ENVIRONMENT)\nbuild=$(Build.BuildId)" },
  },
];

function taskInfo(taskDirectory: string): RecordedStep["taskInfo"] {
  const taskJson = JSON.parse(fs.readFileSync(path.join(taskDirectory, "task.json"), "utf8")) as {
    friendlyName: string;
    description: string;
    author: string;
    helpUrl: string;
    version: { Major: number; Minor: number; Patch: number };
  };
  const { Major, Minor, Patch } = taskJson.version;
  return {
    friendlyName: taskJson.friendlyName,
    description: taskJson.description,
    version: `${Major}.${Minor}.${Patch}`,
    author: taskJson.author,
    helpUrl: taskJson.helpUrl,
  };
}

/** The uploaded summaries' text: the files are the task's, in the step's temp folder. */
const summaryTexts = (files: string[]) => files.filter((file) => fs.existsSync(file)).map((file) => fs.readFileSync(file, "utf8"));

/**
 * Paths of this machine's temporary folders, shown as a hosted agent and an Azure ML compute
 * node print theirs: the sources under the agent's `/home/vsts/work/1/s`, a job's folder under
 * `/mnt/azureml/cr/j/<id>` (the local Azure lays a job's folder out as Azure ML does below it).
 */
function agentPaths(work: string, sources: string): (text: string) => string {
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const jobFolder = new RegExp(`${escaped(path.join(work, "azure", "jobs"))}/([^/\\s]+)/[^/\\s]+`, "g");
  return (text) => text.split(sources).join("/home/vsts/work/1/s").replace(jobFolder, "/mnt/azureml/cr/j/$1");
}

/** Runs the Dev job's provision, train and register steps on a local Azure of its own, then stops it and removes its files. */
export async function recordStarterRun(log: (line: string) => void = () => undefined): Promise<RecordedRun> {
  for (const { task } of plan) {
    if (!fs.existsSync(path.join(repository, "build", "tasks", task, "index.mjs")))
      throw new Error(`build/tasks/${task} is not built: run \`npm run build\` first.`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "marketplace-run-"));
  const sources = path.join(work, "s");
  const shown = agentPaths(work, sources);
  fs.cpSync(starter, sources, { recursive: true });
  const devVariables = (yaml.load(fs.readFileSync(path.join(starter, "variables", "dev.yml"), "utf8")) as { variables: Record<string, string> }).variables;
  const azure = await startLocalAzure({ stateDir: path.join(work, "azure"), provisioningSeconds: 1, retryAfterSeconds: 1 });
  try {
    const service = agentServiceConnection(azure.connection, "secret");
    const steps: RecordedStep[] = [];
    // Variables a step sets (AZUREML_LAST_JOB_NAME…) reach the later steps of the job, as on the agent.
    const jobVariables: Record<string, string> = {};
    for (const [index, step] of plan.entries()) {
      log(`${step.displayName} (${step.task}@1)…`);
      const taskDirectory = path.join(repository, "build", "tasks", step.task);
      const agentTemp = fs.mkdtempSync(path.join(work, `temp-${index}-`));
      const started = Date.now();
      const result = await runTaskStep(
        stepWithConnection(
          {
            taskDirectory,
            inputs: step.inputs,
            timeoutMs: 600_000,
            variables: {
              ...devVariables,
              "System.DefaultWorkingDirectory": sources,
              "Agent.TempDirectory": agentTemp,
              "Build.BuildId": "20261130",
              "Build.BuildNumber": "20261130.1",
              "Build.DefinitionName": "diabetes-mlops",
              "Build.SourceVersion": "5178db6919375e6dd43a2eb523c746f2492500a2",
              ...jobVariables,
            },
          },
          azure.connection,
          service,
        ),
      );
      if (result.result !== "Succeeded")
        throw new Error(`${step.displayName} ended ${result.result ?? "without a result"}: ${result.message ?? ""}\n${result.log}`);
      Object.assign(jobVariables, result.variables);
      steps.push({
        displayName: step.displayName,
        task: `${step.task}@1`,
        taskInfo: taskInfo(taskDirectory),
        result: result.result,
        seconds: Math.max(1, Math.round((Date.now() - started) / 1000)),
        lines: result.log.split("\n").map(shown),
        summaries: summaryTexts(result.summaries).map(shown),
      });
    }
    const counts = azure.validationCounts();
    return {
      pipelineName: "diabetes-mlops",
      runName: "20261130.1",
      stage: "Dev",
      job: "Build",
      steps,
      validated: counts.validated,
      unmatched: counts.unmatched,
      violations: azure.violations().length,
    };
  } finally {
    await azure.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
