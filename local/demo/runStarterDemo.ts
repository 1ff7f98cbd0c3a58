import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalAzure, type LocalAzure, type ValidationCounts, type Violation } from "../azure";
import { ArmReader } from "../azure/connection/armReader";
import { repositoryRoot } from "../azure/paths";
import { choosePython } from "../azure/services/machinelearning/jobRunner/pythonRuntime";
import { runPipeline } from "../runner/pipeline/pipelineRun";
import { outputValues, type JobRecord, type RunSummary } from "../runner/pipeline/runRecords";

/*
 * The quick start's flow, for `npm run demo` (starterDemo.ts prints it) and `npm run bench`
 * (which times it): starts the local Azure, runs the Dev stage of the starter pipeline
 * (pipelines/azure-pipelines.yml) through the local runner, asks the endpoint for a real
 * prediction, and stops everything, however it ends.
 */

const starter = path.join(repositoryRoot(), "pipelines");
const machineLearningApiVersion = "2022-10-01";
const installCommand = "sudo apt-get update && sudo apt-get install -y python3-sklearn python3-pandas python3-flask gunicorn";

export interface DemoPhase {
  name: string;
  ms: number;
}

export interface StarterDemoOptions {
  /** The Python jobs and deployments run with (see checkPython). */
  python: string;
  /** Every line the demo and the runner print. */
  write: (line: string) => void;
  signal?: AbortSignal;
}

export interface StarterDemoRun {
  /** "local Azure start", then each step of the Dev stage's job by its display name, in order. */
  phases: DemoPhase[];
  summary: RunSummary;
  /** The Dev stage's job, with its outputs. */
  job: JobRecord;
  prediction: { scoringUri: string; request: string; answer: string };
  /** The training job as run history reports it: queued = created → started, run = started (Running) → ended. */
  training?: { jobName: string; queuedMs?: number; runMs?: number };
  validation: { counts: ValidationCounts; violations: Violation[] };
}

/** The Python the local Azure runs jobs and deployments with; stops the demo at once, with the install command, when it cannot. */
export function checkPython(): string {
  let executable: string;
  try {
    executable = choosePython().executable;
  } catch {
    throw new Error(`No Python 3 found (LOCAL_AZURE_PYTHON, /usr/bin/python3, python3, python). Install it with:\n  ${installCommand}`);
  }
  const missing = ["sklearn", "pandas", "flask"].filter((module) => spawnSync(executable, ["-c", `import ${module}`]).status !== 0);
  if (missing.length > 0) {
    throw new Error(
      `${executable} cannot import ${missing.join(", ")}: the training job needs scikit-learn and pandas, the deployment Flask. Install them with:\n  ${installCommand}\n(or set LOCAL_AZURE_PYTHON to a Python that has them)`,
    );
  }
  return executable;
}

function post(uri: string, body: string, key: string, ca: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = https.request(uri, { method: "POST", ca, headers: { "content-type": "application/json", authorization: `Bearer ${key}` } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

function devBuildJob(summary: RunSummary): JobRecord {
  const job = summary.stages.find((stage) => stage.name === "Dev")?.jobs.find((candidate) => candidate.name === "Build");
  if (!job) throw new Error("The run has no Dev stage with a Build job.");
  return job;
}

/** What a client of the endpoint does: its key (from ARM, as `az ml online-endpoint get-credentials` reads it), then a scoring request. */
async function predict(azure: LocalAzure, job: JobRecord): Promise<StarterDemoRun["prediction"]> {
  const outputs = outputValues(job);
  const scoringUri = outputs["deploy.scoringUri"];
  const endpointName = outputs["deploy.endpointName"];
  const workspaceId = outputs["workspace.workspaceId"];
  if (!scoringUri || !endpointName || !workspaceId) throw new Error("The Dev stage gave no scoring URI (was the model deployed?).");
  const arm = await ArmReader.signIn(azure.connection);
  const keys = await arm.readAction<{ primaryKey: string }>(`${workspaceId}/onlineEndpoints/${endpointName}`, "listKeys", machineLearningApiVersion);
  const request = fs.readFileSync(path.join(starter, "ml", "sample-request.json"), "utf8");
  const answer = await post(scoringUri, request, keys.primaryKey, fs.readFileSync(azure.connection.caCertPath ?? "", "utf8"));
  if (answer.status !== 200) throw new Error(`The endpoint answered HTTP ${answer.status}: ${answer.text}`);
  return { scoringUri, request: JSON.stringify(JSON.parse(request)), answer: answer.text };
}

const sinceMs = (from: string | undefined, to: string | undefined): number | undefined =>
  from === undefined || to === undefined ? undefined : Date.parse(to) - Date.parse(from);

/** The training job's own times, from run history (what `az ml job show` reads), apart from the step that waited for it. */
function trainingTimes(azure: LocalAzure, job: JobRecord): StarterDemoRun["training"] {
  const outputs = outputValues(job);
  const jobName = outputs["train.jobName"];
  const workspaceId = outputs["workspace.workspaceId"];
  if (!jobName || !workspaceId) return undefined;
  const run = azure.runs.run(workspaceId, jobName);
  if (!run) return { jobName };
  const queuedMs = sinceMs(run.createdTimeUtc, run.startTimeUtc);
  const runMs = sinceMs(run.startTimeUtc, run.endTimeUtc);
  return { jobName, ...(queuedMs !== undefined ? { queuedMs } : {}), ...(runMs !== undefined ? { runMs } : {}) };
}

/** Runs the quick start; the local Azure and everything it started are stopped when this settles. */
export async function runStarterDemo(options: StarterDemoOptions): Promise<StarterDemoRun> {
  const { python, write } = options;
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "azureml-demo-"));
  const phases: DemoPhase[] = [];
  let azure: LocalAzure | undefined;
  try {
    write("Starting the local Azure (HTTPS, Entra ID, Resource Manager, Azure ML, Azurite; every exchange checked against the swaggers)…");
    const started = Date.now();
    azure = await startLocalAzure({ stateDir: path.join(stateDir, "local-azure"), provisioningSeconds: 1, retryAfterSeconds: 1, python });
    phases.push({ name: "local Azure start", ms: Date.now() - started });
    write(`  ready at ${azure.connection.armUrl}\n`);

    write("Running the Dev stage of pipelines/azure-pipelines.yml with the local runner:\n");
    const summary = await runPipeline({
      file: path.join(starter, "azure-pipelines.yml"),
      stages: ["Dev"],
      sourcesDirectory: starter,
      connectionFile: azure.connectionFile,
      python,
      write,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const job = devBuildJob(summary);
    for (const step of job.steps) phases.push({ name: step.displayName, ms: step.durationMs });
    if (summary.result !== "Succeeded" && summary.result !== "SucceededWithIssues") throw new Error(`The Dev stage ended ${summary.result}.`);

    const prediction = await predict(azure, job);
    const training = trainingTimes(azure, job);
    return {
      phases,
      summary,
      job,
      prediction,
      ...(training ? { training } : {}),
      validation: { counts: azure.validationCounts(), violations: azure.violations() },
    };
  } finally {
    await azure?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}
