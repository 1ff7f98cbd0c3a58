import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { JobRunner } from "../../../local/azure/services/machinelearning/jobRunner/jobRunner";
import { FinalizeRequest } from "../../../local/azure/services/machinelearning/jobRunner/jobRun";
import { firstLogLine, pythonWithSklearn, recordStatuses, temporaryFolder, trainingFixtures } from "./jobTestSupport";

describe("local Azure job engine: a command job runs for real", function () {
  let workDir: string;
  let runner: JobRunner;

  beforeEach(() => {
    workDir = temporaryFolder("jobs");
    runner = new JobRunner({ workDir, killGraceMs: 2000 });
  });

  afterEach(async () => {
    await runner.stopAll();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("trains the scikit-learn fixture: model.pkl and metrics.json in outputs, every state on the way, artifacts handed over", async () => {
    const python = pythonWithSklearn();
    let finalized: FinalizeRequest | undefined;
    const run = runner.submit(
      {
        name: "train_1",
        command: "python train.py --alpha ${{inputs.alpha}} --model_dir ${{outputs.model}} --metrics_file ./outputs/metrics.json",
        inputs: { alpha: { kind: "literal", value: 0.5 } },
        outputs: ["model"],
        environment: {
          reference: "azureml://registries/azureml/environments/sklearn-1.5/versions/1",
          image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04",
          condaFile: "conda.yaml",
        },
        environmentVariables: { TRAINING_MODE: "test" },
      },
      {
        prepare: () => Promise.resolve({ code: trainingFixtures }),
        finalize: (request) => {
          finalized = request;
          return Promise.resolve();
        },
      },
    );
    const statuses = recordStatuses(run);
    const result = await run.wait();

    assert.equal(result.status, "Completed", result.error?.message);
    assert.deepEqual(statuses, ["Queued", "Preparing", "Running", "Finalizing", "Completed"]);
    assert.ok(result.startTime && result.endTime && result.startTime <= result.endTime);
    assert.equal(result.environment?.resolvedPython, python.executable);
    assert.equal(result.environment?.image, "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04");
    const metrics = JSON.parse(fs.readFileSync(path.join(result.workspace!.code, "outputs", "metrics.json"), "utf8")) as {
      rmse: number;
      r2: number;
      alpha: number;
    };
    assert.equal(metrics.alpha, 0.5);
    assert.ok(metrics.rmse > 0 && metrics.r2 > 0 && metrics.r2 < 1, JSON.stringify(metrics));
    assert.deepEqual(
      finalized?.outputs.model.map((f) => f.artifactPath),
      ["model.pkl"],
    );
    const artifacts = finalized?.artifacts.map((f) => f.artifactPath) ?? [];
    assert.ok(artifacts.includes("outputs/metrics.json") && artifacts.includes("user_logs/std_log.txt"), artifacts.join(", "));
    assert.match(fs.readFileSync(result.workspace!.stdLog, "utf8"), /Training Ridge\(alpha=0\.5\)[\s\S]*rmse=/);
  });

  it("hands the job its variables and inputs: AZURE_ML_INPUT_/OUTPUT_, AZUREML_RUN_ID, its environment_variables, python first on PATH, nothing of the host's", async () => {
    const source = temporaryFolder("input");
    fs.writeFileSync(path.join(source, "rows.csv"), "a,target\n1,2\n");
    process.env.JOB_ENGINE_HOST_SECRET = "must-not-leak";
    try {
      const run = runner.submit(
        {
          name: "env_1",
          command:
            'env | sort > outputs/env.txt; ls ${{inputs.data}} > outputs/ls.txt; python3 -c "import os, sys; print(os.path.realpath(sys.executable))" > outputs/python.txt',
          inputs: { data: { kind: "data" } },
          outputs: ["result"],
          environmentVariables: { MY_SETTING: "a value" },
          context: { subscriptionId: "sub", resourceGroup: "rg", workspaceName: "ws", experimentName: "exp" },
        },
        {
          prepare: (workspace) => {
            fs.mkdirSync(path.join(workspace.code, "outputs"));
            return Promise.resolve({ data: { data: source } });
          },
        },
      );
      const result = await run.wait();
      assert.equal(result.status, "Completed", result.error?.message);
      const outputs = path.join(result.workspace!.code, "outputs");
      const env = fs.readFileSync(path.join(outputs, "env.txt"), "utf8");
      assert.match(env, /^AZUREML_RUN_ID=env_1$/m);
      assert.match(env, /^MY_SETTING=a value$/m);
      assert.match(env, /^AZURE_ML_INPUT_data=.*INPUT_data$/m);
      assert.match(env, /^AZURE_ML_OUTPUT_result=.*\/result$/m);
      assert.match(env, /^AZUREML_ARM_WORKSPACE_NAME=ws$/m);
      assert.match(env, /^PYTHONUNBUFFERED=1$/m);
      assert.match(env, new RegExp(`^PATH=${result.workspace!.bin}:`, "m"));
      assert.doesNotMatch(env, /JOB_ENGINE_HOST_SECRET/);
      assert.equal(fs.readFileSync(path.join(outputs, "ls.txt"), "utf8"), "rows.csv\n");
      assert.equal(fs.readFileSync(path.join(outputs, "python.txt"), "utf8").trim(), fs.realpathSync(result.environment!.resolvedPython));
    } finally {
      delete process.env.JOB_ENGINE_HOST_SECRET;
      fs.rmSync(source, { recursive: true, force: true });
    }
  });

  it("passes each log line on while the job runs: the first line is seen before the job ends", async () => {
    const run = runner.submit({ name: "slow_log", command: "python slow.py --seconds 1" }, { prepare: () => Promise.resolve({ code: trainingFixtures }) });
    const order: string[] = [];
    run.on("status", (event) => order.push(event.status));
    const firstLine = firstLogLine(run, /^tick 0$/).then((line) => {
      order.push(`log:${line}`);
      assert.match(fs.readFileSync(run.snapshot().workspace!.stdLog, "utf8"), /^tick 0$/m, "the line is in std_log.txt when it is announced");
    });
    await run.wait();
    await firstLine;
    assert.ok(order.indexOf("log:tick 0") < order.indexOf("Completed"), order.join(", "));
    assert.ok(order.indexOf("log:tick 0") > order.indexOf("Running"), order.join(", "));
  });

  it("passes on a line that never ends (a progress bar) once it is long, while the job runs", async () => {
    const run = runner.submit({
      name: "no_newline",
      command: `python3 -c "import sys, time; sys.stdout.write('#' * 70000); sys.stdout.flush(); time.sleep(60)"`,
    });
    const text = await firstLogLine(run, /^#+$/);
    assert.ok(text.length >= 65536);
    assert.equal(run.status, "Running");
    run.cancel();
    assert.equal((await run.wait()).status, "Canceled");
  });

  it("fails a script that raises, with Azure's wording and the script's error", async () => {
    const run = runner.submit({ name: "fail_1", command: "python fail.py" }, { prepare: () => Promise.resolve({ code: trainingFixtures }) });
    const statuses = recordStatuses(run);
    const result = await run.wait();
    assert.equal(result.status, "Failed");
    assert.deepEqual(statuses.slice(-2), ["Finalizing", "Failed"]);
    assert.equal(result.exitCode, 1);
    assert.equal(result.error?.code, "UserError");
    assert.match(
      result.error?.message ?? "",
      /^Execution failed\. User process '\/bin\/bash' exited with status code 1\. Please check log file 'user_logs\/std_log\.txt'/,
    );
    assert.match(result.error?.message ?? "", /ValueError: training data has no 'target' column/);
    assert.match(fs.readFileSync(result.workspace!.stdLog, "utf8"), /Starting a run that will fail[\s\S]*Traceback/);
  });

  it("fails bad arguments to the training script with the script's own message", async () => {
    const run = runner.submit({ name: "bad_args", command: "python train.py --alpha -1" }, { prepare: () => Promise.resolve({ code: trainingFixtures }) });
    const result = await run.wait();
    assert.equal(result.status, "Failed");
    assert.match(result.error?.message ?? "", /exited with status code 2.*--alpha must be greater than 0/s);
  });

  it("fails a script missing a module, naming the module and how to install it", async () => {
    const run = runner.submit(
      { name: "missing_1", command: "python fail.py --missing-module" },
      { prepare: () => Promise.resolve({ code: trainingFixtures }) },
    );
    const result = await run.wait();
    assert.equal(result.status, "Failed");
    assert.match(result.error?.message ?? "", /Python module 'no_such_training_module'/);
    assert.match(result.error?.message ?? "", /pip install no_such_training_module.*conda file/);
  });

  it("names the Debian package for a well-known missing module (sklearn → python3-sklearn)", async () => {
    const run = runner.submit({
      name: "missing_sklearn",
      command: `python -c "import sys; sys.stderr.write(\\"ModuleNotFoundError: No module named 'sklearn.linear_model'\\n\\"); sys.exit(1)"`,
    });
    const result = await run.wait();
    assert.equal(result.status, "Failed");
    assert.match(result.error?.message ?? "", /Python module 'sklearn'.*apt-get install python3-sklearn/);
  });

  it("fails a job whose preparation fails, with the cause, and never runs its command", async () => {
    const run = runner.submit({ name: "prep_fail", command: "touch ran" }, { prepare: () => Promise.reject(new Error("the code snapshot blob is missing")) });
    const statuses = recordStatuses(run);
    const result = await run.wait();
    assert.equal(result.status, "Failed");
    assert.deepEqual(statuses, ["Queued", "Preparing", "Failed"]);
    assert.equal(result.error?.message, "The job could not be prepared: the code snapshot blob is missing");
    assert.equal(fs.existsSync(path.join(result.workspace!.code, "ran")), false);
  });

  it("fails a job whose command uses an input it does not declare, before running anything", async () => {
    const run = runner.submit({ name: "bad_expr", command: "touch ran ${{inputs.nope}}" });
    const result = await run.wait();
    assert.equal(result.status, "Failed");
    assert.match(result.error?.message ?? "", /\$\{\{inputs\.nope\}\}, which the job does not declare/);
    assert.equal(fs.existsSync(path.join(result.workspace!.code, "ran")), false);
  });

  it("refuses a second job of the same name while the first runs", async () => {
    const run = runner.submit({ name: "twice", command: "sleep 30" });
    assert.throws(() => runner.submit({ name: "twice", command: "true" }), /Job 'twice' is already running\./);
    run.cancel();
    assert.equal((await run.wait()).status, "Canceled");
  });
});
