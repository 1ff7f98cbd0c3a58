import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { FaultKind, FaultRule, LocalAzure, RequestLogEntry } from "../../local/azure";
import { TaskStepResult } from "../../local/runner/taskProcess";
import { apiVersions } from "../../tasks/common/src/azure/apiVersions";
import type { DatastoreFile } from "../local/clients/datastoreFiles";
import { runClient } from "../local/support/runClient";
import { ArmReader, ArmResource } from "../../local/azure/connection/armReader";
import { MlWorkspaceBed, startMlWorkspaceBed } from "./mlWorkspaceBed";
import { JWT_SHAPE, spellingsOf } from "./secretScan";

const projectRoot = path.resolve(__dirname, "../../..");
const trainingFixtures = path.join(projectRoot, "test", "fixtures", "training");
const modelExamples = path.join(projectRoot, "test", "unit", "azureml", "fixtures", "azureml-examples", "cli", "assets", "model");

const namespace = "e2ereg01";

/** A command job YAML for the sklearn fixture, as `az ml job create -f` reads it. */
function jobYaml(command: string): string {
  return [
    "$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json",
    "code: src",
    `command: ${command}`,
    "environment:",
    "  image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest",
    "compute: azureml:cpu-cluster",
    "experiment_name: register-e2e",
  ].join("\n");
}

interface TrainedJob {
  name: string;
  /** The job variables the Train step set (AZUREML_LAST_JOB_NAME), as the agent passes them to later steps. */
  variables: Record<string, string>;
  metrics: { rmse: number; r2: number; alpha: number };
}

// The built AzureMLRegisterModel task, run as the agent runs it, registering the models of jobs
// the built AzureMLTrain task ran on the local Azure (the sklearn fixture really runs, on a
// Python with scikit-learn); every ARM exchange checked against the swagger.
describe("AzureMLRegisterModel end to end on the local Azure", function () {
  this.timeout(600_000);
  let bed: MlWorkspaceBed;
  let azure: LocalAzure;
  let workDir: string;
  let resourceGroup: string;
  let workspaceName: string;
  let workspaceId: string;
  let arm: ArmReader;
  /** By alpha: on load_diabetes, 0.1 is the best (r2 0.461, rmse 53.4), 1 next (0.419, 55.5), 10 the worst (0.161, 66.7). */
  const jobs = new Map<string, TrainedJob>();

  /** A built task run on the bed's workspace as the agent runs it (each step with its own agent temp folder). */
  async function runStep(task: string, inputs: Record<string, string>, variables: Record<string, string> = {}): Promise<TaskStepResult> {
    const result = await bed.runTask(task, inputs, { variables, timeoutMs: 300_000 });
    assertNoSecretIn(result);
    return result;
  }

  interface Registration {
    result: TaskStepResult;
    /** The run summary the task uploaded, its markdown escapes removed. */
    summary: string;
    requests: RequestLogEntry[];
  }

  async function register(inputs: Record<string, string>, variables: Record<string, string> = {}): Promise<Registration> {
    azure.clearRequests();
    const result = await runStep("AzureMLRegisterModel", inputs, variables);
    const summaryFile = result.summaries[0];
    const markdown = summaryFile && fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, "utf8") : "";
    // As it reads once rendered: the task escapes punctuation in the text it quotes.
    const summary = markdown.replace(/\\([!-/:-@[-`{-~])/g, "$1");
    return { result, summary, requests: azure.requests() };
  }

  /**
   * The runner masks only what the task registered (setsecret), as the agent does: a credential
   * left in the log was printed without being registered first.
   */
  function assertNoSecretIn(result: TaskStepResult): void {
    const secrets = azure.connection.servicePrincipals.flatMap((principal) => (principal.clientSecret ? spellingsOf(principal.clientSecret) : []));
    for (const secret of secrets) assert.ok(!result.log.includes(secret), "a service principal secret was printed");
    assert.doesNotMatch(result.log, JWT_SHAPE, "a token was printed");
  }

  async function train(alpha: string): Promise<TrainedJob> {
    fs.writeFileSync(path.join(workDir, "ml", `job-${alpha}.yml`), jobYaml(`python train.py --alpha ${alpha}`));
    const result = await runStep("AzureMLTrain", { jobFile: `ml/job-${alpha}.yml` });
    assert.equal(result.result, "Succeeded", result.log);
    const name = result.outputs.jobName;
    assert.ok(name, "the Train task output no jobName");
    const metrics = JSON.parse((await artifact(name, "outputs/metrics.json")).toString("utf8")) as TrainedJob["metrics"];
    return { name, variables: result.variables, metrics };
  }

  function job(alpha: string): TrainedJob {
    const found = jobs.get(alpha);
    assert.ok(found, `no job trained with alpha ${alpha}`);
    return found;
  }

  /** The blobs under a datastore path, read from outside the task (ARM's ListSecrets, then storage). */
  function datastoreFiles(datastore: string, prefix: string): Promise<DatastoreFile[]> {
    return runClient<DatastoreFile[]>(azure, "datastoreFiles", [resourceGroup, workspaceName, datastore, prefix]);
  }

  /** A file of a job's artifacts (its ./outputs), where Azure ML keeps it: workspaceartifactstore, ExperimentRun/dcid.<job>. */
  async function artifact(jobName: string, file: string): Promise<Buffer> {
    const found = await datastoreFiles("workspaceartifactstore", `ExperimentRun/dcid.${jobName}/${file}`);
    assert.equal(found.length, 1, `${file} of job ${jobName}: ${JSON.stringify(found)}`);
    return Buffer.from(found[0].base64 ?? "", "base64");
  }

  async function modelVersion(name: string, version: string): Promise<ArmResource> {
    return arm.get(`${workspaceId}/models/${name}/versions/${version}`, apiVersions.machineLearning);
  }

  /** The model's version names, sorted; none when the model does not exist (404). */
  async function versionsOf(name: string): Promise<string[]> {
    let answer: ArmResource;
    try {
      answer = await arm.get(`${workspaceId}/models/${name}/versions`, apiVersions.machineLearning);
    } catch (error) {
      if (error instanceof Error && / answered HTTP 404:/.test(error.message)) return [];
      throw error;
    }
    const list = (answer as unknown as { value?: ArmResource[] }).value ?? [];
    return list.map((entry) => entry.name).sort();
  }

  const creations = (requests: RequestLogEntry[]) => requests.filter((entry) => entry.method === "PUT" && /\/models\/[^/]+\/versions\//i.test(entry.path));

  before(async () => {
    bed = await startMlWorkspaceBed(namespace);
    ({ azure, workDir, resourceGroup, workspaceName, workspaceId } = bed);
    fs.mkdirSync(path.join(workDir, "ml", "src"), { recursive: true });
    for (const script of ["train.py", "fail.py", "slow.py"]) fs.copyFileSync(path.join(trainingFixtures, script), path.join(workDir, "ml", "src", script));
    arm = await ArmReader.signIn(azure.connection);
    for (const alpha of ["1", "0.1", "10"]) jobs.set(alpha, await train(alpha));
    // The gate tests rely on this order, on both metrics (another scikit-learn could change it).
    const [best, middle, worst] = [job("0.1").metrics, job("1").metrics, job("10").metrics];
    assert.ok(best.r2 > middle.r2 && middle.r2 > worst.r2 && best.rmse < middle.rmse && middle.rmse < worst.rmse, JSON.stringify([best, middle, worst]));
  });

  after(async () => {
    await bed?.stop();
  });

  afterEach(() => {
    assert.deepEqual(azure.violations(), []);
    assert.equal(azure.validationCounts().unmatched, 0, "a request strict mode could not match to the swagger");
  });

  it("registers the output of the job the last Train step submitted (no gate): version 1, its outputs, the job recorded, the model file there", async () => {
    // The runner runs one step; the agent passes a step's job variables to the next ones, so the
    // Train step's AZUREML_LAST_JOB_NAME is given to the Register step as the pipeline would.
    const last = job("10");
    assert.equal(last.variables.AZUREML_LAST_JOB_NAME, last.name, "the Train step did not set AZUREML_LAST_JOB_NAME");
    const run = await register({ modelName: "diabetes" }, last.variables);
    assert.equal(run.result.result, "Succeeded", run.result.log);
    const outputs = run.result.outputs;
    assert.deepEqual(
      { modelName: outputs.modelName, modelVersion: outputs.modelVersion, modelRegistered: outputs.modelRegistered },
      { modelName: "diabetes", modelVersion: "1", modelRegistered: "true" },
    );
    assert.equal(outputs.modelId?.toLowerCase(), `${workspaceId}/models/diabetes/versions/1`.toLowerCase());

    const version = await modelVersion("diabetes", "1");
    assert.equal(version.id.toLowerCase(), outputs.modelId?.toLowerCase(), "the modelId output is the version's id");
    assert.equal(version.properties?.jobName, last.name);
    assert.equal(version.properties?.modelType, "custom_model");
    const modelUri = String(version.properties?.modelUri);
    assert.match(modelUri, new RegExp(`^azureml://jobs/${last.name}/outputs/artifacts/paths/outputs/?$`), "the version points at the job's ./outputs");
    assert.ok(run.result.log.includes(modelUri), run.result.log);

    // What the version points at is really there: the job's model.pkl, a pickle, beside its metrics.
    const files = await datastoreFiles("workspaceartifactstore", `ExperimentRun/dcid.${last.name}/outputs/`);
    const model = files.find((file) => file.name === "model.pkl");
    assert.ok(model, JSON.stringify(files));
    assert.equal(model.start, "8004", "model.pkl is a pickle");
    assert.ok(model.bytes > 100);
    assert.ok(files.some((file) => file.name === "metrics.json"));
    assert.ok(run.summary.includes("### Model diabetes: version 1 registered"), run.summary);
    assert.ok(run.summary.includes(`job ${last.name}, output artifacts, path outputs`), run.summary);
    assert.doesNotMatch(run.summary, /#### Gate/, "no gate was set");
  });

  for (const [goal, metric] of [
    ["maximize", "r2"],
    ["minimize", "rmse"],
  ] as const) {
    it(`gate ${goal} on ${metric}: the first version is registered, a better job registers the next, a worse one is skipped cleanly`, async () => {
      const modelName = `diabetes-${metric}`;
      const gate = { metric, goal };
      const [middle, best, worst] = [job("1"), job("0.1"), job("10")];
      const value = (trained: TrainedJob) => String(trained.metrics[metric]);

      const first = await register({ modelName, jobName: middle.name, ...gate });
      assert.equal(first.result.result, "Succeeded", first.result.log);
      assert.equal(first.result.outputs.modelVersion, "1");
      assert.match(first.result.log, /No champion yet: the model has no version yet, so the model is registered\./);
      const v1 = await modelVersion(modelName, "1");
      assert.equal((v1.properties?.properties as Record<string, string>)[`metric.${metric}`], value(middle), "the measured value is recorded on the version");
      assert.equal((v1.properties?.tags as Record<string, string>)[`metric.${metric}`], value(middle), "and shown as a tag");

      const better = await register({ modelName, jobName: best.name, ...gate });
      assert.equal(better.result.result, "Succeeded", better.result.log);
      assert.deepEqual([better.result.outputs.modelVersion, better.result.outputs.modelRegistered], ["2", "true"]);
      const wins = `The model wins on '${metric}' ${value(best)} against ${value(middle)} of the champion version 1 (the newest version), goal ${goal}, so it is registered.`;
      assert.ok(better.result.log.includes(wins), better.result.log);
      assert.match(better.summary, /wins: registered/);
      assert.equal((await modelVersion(modelName, "2")).properties?.jobName, best.name);

      const worse = await register({ modelName, jobName: worst.name, ...gate });
      assert.equal(worse.result.result, "Succeeded", worse.result.log);
      assert.deepEqual([worse.result.errors, worse.result.warnings], [[], []], "a skip is neither an error nor a warning");
      assert.deepEqual(
        {
          version: worse.result.outputs.modelVersion,
          id: worse.result.outputs.modelId,
          registered: worse.result.outputs.modelRegistered,
          name: worse.result.outputs.modelName,
        },
        { version: "", id: "", registered: "false", name: modelName },
      );
      const loses = `The champion is better on '${metric}' ${value(worst)} against ${value(best)} of the champion version 2 (the newest version), goal ${goal}, so the model is not registered.`;
      assert.ok(worse.result.message?.includes(loses), worse.result.message);
      // The summary shows the comparison: the metric, both values, the champion and the verdict.
      assert.match(worse.summary, new RegExp(`Model ${modelName}: not registered`));
      for (const shown of [metric, goal, value(worst), value(best), "version 2", "loses: not registered"])
        assert.ok(worse.summary.includes(shown), `the summary lacks '${shown}':\n${worse.summary}`);
      assert.deepEqual(creations(worse.requests), [], "a skipped model created a version");
      assert.deepEqual(await versionsOf(modelName), ["1", "2"]);
    });
  }

  it("a minimum improvement: a job better by less is skipped, the same job against a smaller minimum is registered", async () => {
    // On load_diabetes alpha 0.2 is a hair better than 0.1: r2 0.4613 against 0.4609.
    const slightlyBetter = await train("0.2");
    const best = job("0.1");
    assert.ok(
      slightlyBetter.metrics.r2 > best.metrics.r2 && slightlyBetter.metrics.r2 - best.metrics.r2 < 0.01,
      JSON.stringify([slightlyBetter.metrics, best.metrics]),
    );
    const gate = { metric: "r2", goal: "maximize" };
    const first = await register({ modelName: "diabetes-min", jobName: best.name, ...gate });
    assert.equal(first.result.outputs.modelVersion, "1", first.result.log);

    const tooLittle = await register({ modelName: "diabetes-min", jobName: slightlyBetter.name, ...gate, minImprovement: "0.01" });
    assert.equal(tooLittle.result.result, "Succeeded", tooLittle.result.log);
    assert.equal(tooLittle.result.outputs.modelRegistered, "false");
    assert.match(tooLittle.result.message ?? "", /but by [0-9.e-]+, less than the minimum improvement 0\.01, so it is not registered\./);
    assert.ok(tooLittle.summary.includes("better, by less than the minimum: not registered"), tooLittle.summary);
    assert.deepEqual(creations(tooLittle.requests), []);

    const enough = await register({ modelName: "diabetes-min", jobName: slightlyBetter.name, ...gate, minImprovement: "0.0001" });
    assert.deepEqual([enough.result.outputs.modelVersion, enough.result.outputs.modelRegistered], ["2", "true"], enough.result.log);
    assert.deepEqual(await versionsOf("diabetes-min"), ["1", "2"]);
  });

  it("two pipelines registering the same model at once each get their own version", async () => {
    // Each step has its own agent temp folder, where task-lib keeps its input vault's key (two
    // task processes sharing one garble each other's inputs). The first version PUT is throttled for 5 s, so the other run takes version 1 meanwhile and the
    // throttled one's retry finds it taken (409), as when two pipelines race on Azure.
    azure.setFaults({ rules: [{ kind: "throttle", method: "PUT", pathContains: "/models/diabetes-race/versions/", times: 1, retryAfterSeconds: 5 }] });
    azure.clearRequests();
    let runs: TaskStepResult[];
    try {
      runs = await Promise.all(["1", "10"].map((alpha) => runStep("AzureMLRegisterModel", { modelName: "diabetes-race", jobName: job(alpha).name })));
    } finally {
      azure.setFaults(undefined);
    }
    const puts = azure.requests().filter((entry) => entry.method === "PUT" && entry.path.includes("/models/diabetes-race/versions/"));
    assert.ok(
      puts.some((entry) => entry.status === 409),
      `the runs did not race: ${puts.map((entry) => `${entry.path} ${entry.status}`).join(", ")}`,
    );
    for (const run of runs) assert.equal(run.result, "Succeeded", run.log);
    assert.deepEqual(runs.map((run) => run.outputs.modelVersion).sort(), ["1", "2"]);
    assert.ok(
      runs.some((run) => run.log.includes("Version 1 of model 'diabetes-race' was created by another run meanwhile; reading the model's versions again.")),
      runs.map((run) => run.log).join("\n"),
    );
    assert.deepEqual(await versionsOf("diabetes-race"), ["1", "2"]);
    const jobsOfVersions = await Promise.all(["1", "2"].map(async (version) => (await modelVersion("diabetes-race", version)).properties?.jobName));
    assert.deepEqual(jobsOfVersions.sort(), [job("1").name, job("10").name].sort(), "each run's job has its own version");
  });

  it("with transient faults on about a third of the calls, a gated registration still ends with exactly one new version", async () => {
    const transient: FaultKind[] = ["throttle", "internalError", "serviceUnavailable", "dropConnection"];
    // About a third of the calls get one (1 − 0.94⁶); some after the service acted, their answer lost.
    // And the first version PUT surely acted on and its answer lost: the retried PUT must not add a version.
    const lostAnswer: FaultRule = { kind: "dropConnection", afterProcessing: true, method: "PUT", pathContains: "/models/diabetes-faults/versions/", times: 1 };
    const rules: FaultRule[] = (["arm", "azureml", "identity"] as const).flatMap((target) =>
      transient.flatMap((kind) => [
        { kind, rate: 0.06, target },
        ...(kind === "internalError" || kind === "dropConnection" ? [{ kind, rate: 0.06, target, afterProcessing: true }] : []),
      ]),
    );
    const gate = { metric: "rmse", goal: "minimize" };
    const runs: Registration[] = [];
    try {
      for (const [seed, alpha] of [
        [7, "1"],
        [8, "0.1"],
        [9, "10"],
      ] as const) {
        azure.setFaults({ seed, rules: seed === 7 ? [lostAnswer, ...rules] : rules });
        runs.push(await register({ modelName: "diabetes-faults", jobName: job(alpha).name, ...gate }));
      }
    } finally {
      azure.setFaults(undefined);
    }
    const trace = runs.flatMap((run) => run.requests.filter((entry) => entry.fault).map((entry) => `${entry.method} ${entry.path} ${entry.fault ?? ""}`));
    assert.ok(trace.length > 1, "no fault was injected");
    assert.ok(
      trace.some((line) => /^PUT .*\/versions\/1\?.* dropConnection after processing$/.test(line)),
      trace.join("\n"),
    );
    for (const run of runs) assert.equal(run.result.result, "Succeeded", `${run.result.log}\n${trace.join("\n")}`);
    assert.deepEqual(
      runs.map((run) => [run.result.outputs.modelVersion, run.result.outputs.modelRegistered]),
      [
        ["1", "true"],
        ["2", "true"],
        ["", "false"],
      ],
    );
    assert.deepEqual(await versionsOf("diabetes-faults"), ["1", "2"], "a retried call created a version twice");
  });

  it("gate with a champion tag: the newest version carrying it is the champion, not the newest version", async () => {
    const modelName = "diabetes-tagged";
    const gate = { metric: "r2", goal: "maximize", championTag: "champion=true" };
    const tagged = await register({ modelName, jobName: job("0.1").name, tags: "champion=true", ...gate });
    assert.equal(tagged.result.outputs.modelVersion, "1", tagged.result.log);
    // A newer, worse version without the tag and without a recorded r2 (registered with no gate).
    const untagged = await register({ modelName, jobName: job("10").name });
    assert.equal(untagged.result.outputs.modelVersion, "2", untagged.result.log);

    const candidate = await register({ modelName, jobName: job("1").name, ...gate });
    assert.equal(candidate.result.result, "Succeeded", candidate.result.log);
    assert.equal(candidate.result.outputs.modelRegistered, "false", "compared with the newest version (no r2) it would have been registered");
    assert.ok(
      candidate.result.message?.includes(`against ${job("0.1").metrics.r2} of the champion version 1 (the newest version carrying tag 'champion=true')`),
      candidate.result.message,
    );
    assert.deepEqual(await versionsOf(modelName), ["1", "2"]);
  });

  it("a job that failed, one still running, or none of that name is refused in one sentence and no version is created", async () => {
    fs.writeFileSync(path.join(workDir, "ml", "job-fail.yml"), jobYaml("python fail.py"));
    const failedTrain = await runStep("AzureMLTrain", { jobFile: "ml/job-fail.yml" });
    assert.equal(failedTrain.result, "Failed", failedTrain.log);
    const failedJob = failedTrain.outputs.jobName;
    assert.ok(failedJob, failedTrain.log);
    fs.writeFileSync(path.join(workDir, "ml", "job-slow.yml"), jobYaml("python slow.py --seconds 120"));
    const slowTrain = await runStep("AzureMLTrain", { jobFile: "ml/job-slow.yml", wait: "false" });
    assert.equal(slowTrain.result, "Succeeded", slowTrain.log);
    const runningJob = slowTrain.outputs.jobName;
    assert.ok(runningJob, slowTrain.log);

    for (const [jobName, variables, status] of [
      [failedJob, failedTrain.variables, "Failed"],
      [runningJob, slowTrain.variables, "(NotStarted|Queued|Preparing|Running)"],
    ] as const) {
      // The job comes as the pipeline gives it: the Train step's AZUREML_LAST_JOB_NAME.
      assert.equal(variables.AZUREML_LAST_JOB_NAME, jobName);
      const run = await register({ modelName: "diabetes-refused" }, variables);
      assert.equal(run.result.result, "Failed", run.result.log);
      assert.match(
        run.result.message ?? "",
        new RegExp(
          `^Job '${jobName}' \\(variable AZUREML_LAST_JOB_NAME\\) is ${status}, not Completed: a model from a job that is not Completed is refused\\.$`,
        ),
      );
      assert.doesNotMatch(run.result.log, /\n\s+at /, "a stack trace was printed");
      assert.deepEqual(creations(run.requests), []);
    }
    const missing = await register({ modelName: "diabetes-refused", jobName: "no_such_job_0000000000" });
    assert.equal(missing.result.result, "Failed", missing.result.log);
    assert.equal(missing.result.message, `Job 'no_such_job_0000000000' (input 'jobName') does not exist in workspace '${workspaceName}'.`);
    assert.deepEqual(creations(missing.requests), []);
    assert.deepEqual(await versionsOf("diabetes-refused"), []);
  });

  it("a local folder is uploaded and registered; a re-run finds it already registered, reuses it and uploads nothing", async () => {
    const folder = path.join(workDir, "models", "ridge");
    fs.mkdirSync(folder, { recursive: true });
    fs.copyFileSync(path.join(modelExamples, "mlflow-model", "model.pkl"), path.join(folder, "model.pkl"));
    fs.writeFileSync(path.join(folder, "README.md"), "A Ridge regression on load_diabetes.\n");
    const sha = (file: string) =>
      createHash("sha256")
        .update(fs.readFileSync(path.join(folder, file)))
        .digest("hex");

    const first = await register({ source: "localPath", localPath: "models/ridge", modelName: "ridge-local" });
    assert.equal(first.result.result, "Succeeded", first.result.log);
    assert.deepEqual([first.result.outputs.modelVersion, first.result.outputs.modelRegistered], ["1", "true"]);
    assert.match(first.result.log, /Model files uploaded: 2 file\(s\)/);
    const version = await modelVersion("ridge-local", "1");
    const modelUri = String(version.properties?.modelUri);
    const where = /^azureml:\/\/datastores\/(workspaceblobstore)\/paths\/(LocalUpload\/[0-9a-f]+\/ridge)\/?$/.exec(modelUri);
    assert.ok(where, `modelUri ${modelUri}`);
    const uploaded = await datastoreFiles(where[1], `${where[2]}/`);
    assert.deepEqual(
      uploaded.map((file) => [file.name, file.sha256]).sort(),
      [
        ["README.md", sha("README.md")],
        ["model.pkl", sha("model.pkl")],
      ],
      "the datastore holds the folder's files, byte for byte",
    );

    const again = await register({ source: "localPath", localPath: "models/ridge", modelName: "ridge-local" });
    assert.equal(again.result.result, "Succeeded", again.result.log);
    assert.deepEqual([again.result.outputs.modelVersion, again.result.outputs.modelRegistered], ["1", "true"]);
    assert.match(again.result.log, /already registered, reused/);
    assert.match(again.result.log, /Model files unchanged: reusing LocalUpload\/[0-9a-f]+\/ridge/);
    assert.deepEqual(creations(again.requests), []);
    const after = await datastoreFiles(where[1], `${where[2]}/`);
    assert.deepEqual(
      after.map((file) => [file.name, file.etag]),
      uploaded.map((file) => [file.name, file.etag]),
      "a blob was written again",
    );
    assert.deepEqual(await versionsOf("ridge-local"), ["1"]);
  });

  it("a job's declared model output is the default source, registered with its type; the gate reads the job's ./outputs metrics", async () => {
    const yaml = [
      jobYaml("python train.py --alpha 0.5 --model_dir ${{outputs.model}} --metrics_file outputs/metrics.json"),
      "outputs:",
      "  model:",
      "    type: custom_model",
    ].join("\n");
    fs.writeFileSync(path.join(workDir, "ml", "job-named.yml"), yaml);
    const trained = await runStep("AzureMLTrain", { jobFile: "ml/job-named.yml" });
    assert.equal(trained.result, "Succeeded", trained.log);
    const jobName = trained.outputs.jobName ?? "";

    const run = await register({ modelName: "diabetes-named", metric: "r2", goal: "maximize" }, trained.variables);
    assert.equal(run.result.result, "Succeeded", run.result.log);
    assert.equal(run.result.outputs.modelVersion, "1");
    const version = await modelVersion("diabetes-named", "1");
    assert.match(String(version.properties?.modelUri), new RegExp(`^azureml://jobs/${jobName}/outputs/model(/paths/?)?$`));
    assert.equal(version.properties?.jobName, jobName);
    assert.equal(version.properties?.modelType, "custom_model");
    const metrics = JSON.parse((await artifact(jobName, "outputs/metrics.json")).toString("utf8")) as TrainedJob["metrics"];
    assert.equal((version.properties?.properties as Record<string, string>)["metric.r2"], String(metrics.r2));
    // The named output is where Azure ML puts it by default: workspaceblobstore, azureml/<job>/<output>/.
    const stored = await datastoreFiles("workspaceblobstore", `azureml/${jobName}/model/`);
    assert.deepEqual(
      stored.map((file) => file.name),
      ["model.pkl"],
    );
    assert.equal(stored[0].start, "8004");
  });

  it("a model YAML whose path is a job output (azureml://jobs/…, runs:/…) records the job, and the gate reads that job's metric", async () => {
    const [middle, worst] = [job("1"), job("10")];
    const write = (file: string, modelPath: string) =>
      fs.writeFileSync(
        path.join(workDir, file),
        [
          "$schema: https://azuremlschemas.azureedge.net/latest/model.schema.json",
          "name: diabetes-yaml",
          `path: ${modelPath}`,
          "type: custom_model",
          "description: From a job.",
        ].join("\n"),
      );
    write("model-job.yml", `azureml://jobs/${middle.name}/outputs/artifacts/paths/outputs/model.pkl`);
    write("model-run.yml", `runs:/${worst.name}/outputs/model.pkl`);
    const gate = { metric: "rmse", goal: "minimize" };

    const first = await register({ source: "modelFile", modelFile: "model-job.yml", ...gate });
    assert.equal(first.result.result, "Succeeded", first.result.log);
    assert.deepEqual([first.result.outputs.modelName, first.result.outputs.modelVersion], ["diabetes-yaml", "1"]);
    const version = await modelVersion("diabetes-yaml", "1");
    assert.equal(version.properties?.modelUri, `azureml://jobs/${middle.name}/outputs/artifacts/paths/outputs/model.pkl`);
    assert.equal(version.properties?.jobName, middle.name);
    assert.equal(version.properties?.description, "From a job.");
    assert.equal((version.properties?.properties as Record<string, string>)["metric.rmse"], String(middle.metrics.rmse));

    const worse = await register({ source: "modelFile", modelFile: "model-run.yml", ...gate });
    assert.equal(worse.result.result, "Succeeded", worse.result.log);
    assert.equal(worse.result.outputs.modelRegistered, "false");
    assert.ok(worse.result.message?.includes(`'rmse' ${worst.metrics.rmse} against ${middle.metrics.rmse} of the champion version 1`), worse.result.message);
    assert.deepEqual(creations(worse.requests), []);
  });

  it("re-running a gated registration of the same job reuses its version and does not ask the gate again", async () => {
    const run = await register({ modelName: "diabetes-r2", jobName: job("0.1").name, metric: "r2", goal: "maximize" });
    assert.equal(run.result.result, "Succeeded", run.result.log);
    assert.deepEqual([run.result.outputs.modelVersion, run.result.outputs.modelRegistered], ["2", "true"]);
    assert.match(run.result.log, /already registered, reused \(the gate is not asked again\)/);
    assert.deepEqual(creations(run.requests), []);
  });

  it("with no job named and no Train step before, fails in one sentence before any call to Azure", async () => {
    const run = await register({ modelName: "diabetes-none" });
    assert.equal(run.result.result, "Failed", run.result.log);
    assert.equal(
      run.result.message,
      "Input 'jobName' is empty and no AzureMLTrain step ran before in this job (variable AZUREML_LAST_JOB_NAME is not set): name the job whose output holds the model.",
    );
    assert.deepEqual(run.requests, [], "the task called Azure");
  });

  it("a gate metric the job did not write fails in one sentence and creates nothing", async () => {
    const run = await register({ modelName: "diabetes-nometric", jobName: job("1").name, metric: "accuracy", goal: "maximize" });
    assert.equal(run.result.result, "Failed", run.result.log);
    assert.equal(
      run.result.message,
      `The metrics file azureml://jobs/${job("1").name}/outputs/artifacts/paths/outputs/metrics.json has no metric 'accuracy'; its top-level keys are 'rmse', 'r2', 'alpha'.`,
    );
    assert.deepEqual(creations(run.requests), []);
    assert.deepEqual(await versionsOf("diabetes-nometric"), []);
  });

  it("one file inside the job's output, as 'pathInOutput' names it", async () => {
    const trained = job("1");
    const run = await register({ modelName: "diabetes-file", jobName: trained.name, pathInOutput: "outputs/model.pkl" });
    assert.equal(run.result.result, "Succeeded", run.result.log);
    const version = await modelVersion("diabetes-file", run.result.outputs.modelVersion ?? "");
    assert.equal(version.properties?.modelUri, `azureml://jobs/${trained.name}/outputs/artifacts/paths/outputs/model.pkl`);
    assert.equal(version.properties?.jobName, trained.name);
  });

  it("a model YAML with a version: registered as that version, reused on a re-run, and other files under it refused in one sentence", async () => {
    const folder = path.join(workDir, "versioned");
    fs.mkdirSync(folder, { recursive: true });
    fs.copyFileSync(path.join(modelExamples, "mlflow-model", "model.pkl"), path.join(folder, "model.pkl"));
    fs.writeFileSync(path.join(folder, "other.pkl"), "not the same model\n");
    const yaml = (file: string) => ["name: diabetes-versioned", "version: 7", `path: ${file}`, "tags:", "  stage: dev"].join("\n");
    fs.writeFileSync(path.join(folder, "model.yml"), yaml("model.pkl"));
    fs.writeFileSync(path.join(folder, "other.yml"), yaml("other.pkl"));

    const first = await register({ source: "modelFile", modelFile: "versioned/model.yml", tags: "owner=ml" });
    assert.equal(first.result.result, "Succeeded", first.result.log);
    assert.equal(first.result.outputs.modelVersion, "7");
    assert.deepEqual((await modelVersion("diabetes-versioned", "7")).properties?.tags, { stage: "dev", owner: "ml" }, "the file's tags with the input's added");

    const again = await register({ source: "modelFile", modelFile: "versioned/model.yml" });
    assert.equal(again.result.result, "Succeeded", again.result.log);
    assert.equal(again.result.outputs.modelVersion, "7");
    assert.match(again.result.log, /already registered, reused/);
    assert.deepEqual(creations(again.requests), []);

    const other = await register({ source: "modelFile", modelFile: "versioned/other.yml" });
    assert.equal(other.result.result, "Failed", other.result.log);
    assert.match(
      other.result.message ?? "",
      /^Version 7 of model 'diabetes-versioned' \(the 'version' of model file '[^']+other\.yml'\) already exists with other files \(azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]+\/model\.pkl, custom_model\); a version cannot change: give another version, or remove 'version' to take the next number\.$/,
    );
    assert.deepEqual(creations(other.requests), []);
    assert.deepEqual(await versionsOf("diabetes-versioned"), ["7"]);
  });

  for (const [file, name, type, description, files] of [
    ["local-file.yml", "local-file-example", "custom_model", "Model created from local file.", ["model.pkl"]],
    [
      "local-mlflow.yml",
      "local-mlflow-example",
      "mlflow_model",
      "Model created from local MLflow model directory.",
      ["MLmodel", "conda.yaml", "input_example.json", "model.pkl", "requirements.txt"],
    ],
  ] as const) {
    it(`the azureml-examples model YAML ${file} registers unchanged (az ml model create -f)`, async () => {
      fs.cpSync(modelExamples, path.join(workDir, "examples"), { recursive: true });
      const run = await register({ source: "modelFile", modelFile: `examples/${file}` });
      assert.equal(run.result.result, "Succeeded", run.result.log);
      assert.deepEqual([run.result.outputs.modelName, run.result.outputs.modelVersion, run.result.outputs.modelRegistered], [name, "1", "true"]);
      const version = await modelVersion(name, "1");
      assert.equal(version.properties?.modelType, type);
      assert.equal(version.properties?.description, description);
      assert.deepEqual(version.properties?.tags ?? {}, {}, "the file has no tags and none were added");
      const where = /^azureml:\/\/datastores\/(workspaceblobstore)\/paths\/(LocalUpload\/[0-9a-f]+\/[^/]+?)\/?$/.exec(String(version.properties?.modelUri));
      assert.ok(where, String(version.properties?.modelUri));
      const stored = await datastoreFiles(where[1], where[2]);
      const local = path.join(modelExamples, "mlflow-model");
      const expected = files.map((entry) => [
        entry,
        createHash("sha256")
          .update(fs.readFileSync(path.join(local, entry)))
          .digest("hex"),
      ]);
      assert.deepEqual(stored.map((entry) => [path.posix.basename(entry.name) || path.posix.basename(where[2]), entry.sha256]).sort(), expected.sort());
    });
  }
});
