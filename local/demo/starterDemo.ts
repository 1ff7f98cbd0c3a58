import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalAzure, type LocalAzure } from "../azure";
import { ArmReader } from "../azure/connection/armReader";
import { repositoryRoot } from "../azure/paths";
import { choosePython } from "../azure/services/machinelearning/jobRunner/pythonRuntime";
import { runPipeline } from "../runner/pipeline/pipelineRun";
import { outputValues, type JobRecord, type RunSummary } from "../runner/pipeline/runRecords";

/*
 * `npm run demo`: the quick start. Starts the local Azure, runs the Dev stage of the starter
 * pipeline (pipelines/azure-pipelines.yml) through the local runner — provision, train for real,
 * register, deploy blue/green with its smoke test, package — then asks the endpoint for a real
 * prediction, prints where the time went, and stops everything.
 */

const starter = path.join(repositoryRoot(), "pipelines");
const machineLearningApiVersion = "2022-10-01";
const installCommand = "sudo apt-get update && sudo apt-get install -y python3-sklearn python3-pandas python3-flask gunicorn";

interface Phase {
  name: string;
  ms: number;
}

/** The Python the local Azure runs jobs and deployments with; stops the demo at once, with the install command, when it cannot. */
function checkPython(): string {
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
async function predict(azure: LocalAzure, job: JobRecord): Promise<{ scoringUri: string; request: string; answer: string }> {
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

function phaseTable(phases: Phase[]): string {
  const total = phases.reduce((sum, phase) => sum + phase.ms, 0);
  const width = Math.max(...phases.map((phase) => phase.name.length));
  return [...phases, { name: "total", ms: total }].map((phase) => `  ${phase.name.padEnd(width)}  ${(phase.ms / 1000).toFixed(1).padStart(6)} s`).join("\n");
}

async function main(): Promise<void> {
  const python = checkPython();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "azureml-demo-"));
  const phases: Phase[] = [];
  let azure: LocalAzure | undefined;
  const cancel = new AbortController();
  const onSignal = () => cancel.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    console.log("Starting the local Azure (HTTPS, Entra ID, Resource Manager, Azure ML, Azurite; every exchange checked against the swaggers)…");
    const started = Date.now();
    azure = await startLocalAzure({ stateDir: path.join(stateDir, "local-azure"), provisioningSeconds: 1, retryAfterSeconds: 1, python });
    phases.push({ name: "local Azure start", ms: Date.now() - started });
    console.log(`  ready at ${azure.connection.armUrl}\n`);

    console.log("Running the Dev stage of pipelines/azure-pipelines.yml with the local runner:\n");
    const summary = await runPipeline({
      file: path.join(starter, "azure-pipelines.yml"),
      stages: ["Dev"],
      sourcesDirectory: starter,
      connectionFile: azure.connectionFile,
      python,
      write: (line) => console.log(line),
      signal: cancel.signal,
    });
    const job = devBuildJob(summary);
    for (const step of job.steps) phases.push({ name: step.displayName, ms: step.durationMs });
    if (summary.result !== "Succeeded" && summary.result !== "SucceededWithIssues") throw new Error(`The Dev stage ended ${summary.result}.`);

    const { scoringUri, request, answer } = await predict(azure, job);
    console.log(`\nScoring URI: ${scoringUri}`);
    console.log(`Request:     ${request}`);
    console.log(`Prediction:  ${answer}  (disease progression a year on, from the model trained above)`);

    const counts = azure.validationCounts();
    const violations = azure.violations();
    console.log(
      `\nSwagger checks: ${counts.validated} requests validated, ${counts.refused} refused, ${counts.unmatched} unmatched; ${violations.length} responses refused.`,
    );
    if (counts.validated === 0 || counts.refused > 0 || counts.unmatched > 0 || violations.length > 0)
      throw new Error("The local Azure saw traffic the swaggers refuse.");
    console.log(`\nWhere the time went:\n${phaseTable(phases)}`);
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    await azure?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

main().then(
  () => console.log("\nDone: the local Azure and every process it started are stopped."),
  (error: unknown) => {
    console.error(`\nThe demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
