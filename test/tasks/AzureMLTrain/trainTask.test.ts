import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { CommandJob } from "@azure/arm-machinelearning";
import type { MockTestRunner } from "azure-pipelines-task-lib/mock-test";
import { outputVariable } from "../AzureMLWorkspace/workspaceTaskBed";
import { servicePrincipalKey, TrainTaskBed, workspaceId } from "./trainTaskBed";

const streamed = ["epoch 1 loss 0.91", "epoch 2 loss 0.52", "##vso[task.setvariable variable=hijacked]yes", "accuracy 0.97"];

function submitted(bed: TrainTaskBed): { name: string; job: CommandJob } {
  const entries = Object.entries(bed.jobs().jobs);
  assert.equal(entries.length, 1, "one job submitted");
  return { name: entries[0][0], job: entries[0][1].submitted.properties as CommandJob };
}

function summary(bed: TrainTaskBed): string {
  const folder = path.join(bed.workDir, "agent-temp");
  const file = fs.readdirSync(folder).find((name) => name.startsWith("azureml-train-"));
  assert.ok(file, "no run summary written");
  return fs.readFileSync(path.join(folder, file), "utf8");
}

function failureMessage(runner: MockTestRunner): string {
  return /##vso\[task\.complete result=Failed;\](.*)/.exec(runner.stdout)?.[1] ?? "";
}

describe("AzureMLTrain task (MockTestRunner, in-memory Azure ML)", function () {
  this.timeout(60_000);
  let bed: TrainTaskBed;

  afterEach(() => bed.remove());

  describe("a job that completes", () => {
    beforeEach(() => {
      bed = TrainTaskBed.create({ "*": { statuses: ["Queued", "Running", "Completed"], logs: { "user_logs/std_log.txt": streamed } } });
    });

    it("submits the job, streams its log in order, and outputs its name, status and studio URL", async () => {
      const runner = await bed.run();
      assert.ok(runner.succeeded, runner.stdout + runner.stderr);
      const { name, job } = submitted(bed);
      assert.match(name, /^[a-z]+_[a-z]+_[a-z0-9]{10}$/);

      // The log lines, in order, between the status lines, none of them able to act as a logging command.
      const lines = runner.stdout.split("\n").map((line) => line.trimEnd());
      const positions = [
        `Job '${name}' is Running.`,
        "epoch 1 loss 0.91",
        "epoch 2 loss 0.52",
        "#\u200B#vso[task.setvariable variable=hijacked]yes",
        "accuracy 0.97",
        `Job '${name}' is Completed.`,
      ].map((line) => lines.indexOf(line));
      assert.ok(
        positions.every((at) => at >= 0),
        runner.stdout,
      );
      assert.deepEqual(
        [...positions].sort((a, b) => a - b),
        positions,
        "log lines out of order",
      );
      assert.ok(!runner.stdout.includes("variable=hijacked;"), "a job's log line set a pipeline variable");

      assert.equal(outputVariable(runner, "jobName"), name);
      assert.ok(
        runner.stdout.includes(`##vso[task.setvariable variable=AZUREML_LAST_JOB_NAME;isOutput=false;issecret=false;]${name}`),
        "the job variable AzureMLRegisterModel reads is not set",
      );
      assert.equal(outputVariable(runner, "jobStatus"), "Completed");
      assert.equal(outputVariable(runner, "studioUrl"), `https://ml.azure.com/runs/${name}`);
      assert.ok(runner.stdout.includes(`Studio: https://ml.azure.com/runs/${name}`));

      assert.equal(job.environmentId, `${workspaceId}/environments/sklearn/versions/3`);
      assert.equal(job.computeId, `${workspaceId}/computes/cpu-cluster`);
      assert.match(job.codeId ?? "", new RegExp(`^${workspaceId}/codes/[0-9a-f-]{36}/versions/1$`));
      assert.match(JSON.stringify(job.inputs), /"uri":"azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]{32}\/data\/"/);
      assert.equal(job.experimentName, "Churn_training", "the pipeline's name, made a valid experiment name");
      assert.ok(runner.stdout.includes(`##vso[task.setsecret]${servicePrincipalKey}`), "service principal key not masked");
      assert.equal(runner.stdout.split(servicePrincipalKey).length - 1, 1, "service principal key printed");
    });

    it("tags the job with the pipeline run: build id, number, commit and run URL, beside the file's own tags", async () => {
      const runner = await bed.run();
      assert.ok(runner.succeeded, runner.stdout);
      assert.deepEqual(submitted(bed).job.tags, {
        team: "ml",
        "azure_pipelines.build_id": "42",
        "azure_pipelines.build_number": "20261130.1",
        "azure_pipelines.pipeline": "Churn training",
        "azure_pipelines.commit": "3f2a9c1d0e",
        "azure_pipelines.run_url": "https://dev.azure.com/contoso/MLOps/_build/results?buildId=42",
      });
    });

    it("does not upload unchanged code again and reuses its code asset, saying so", async () => {
      const first = await bed.run();
      assert.ok(first.succeeded, first.stdout);
      const codeId = submitted(bed).job.codeId;
      const uploads = bed.assets().calls.filter((call) => call.operation === "upload").length;
      bed.writeAssets(() => undefined);
      const jobs = bed.jobs();
      jobs.jobs = {};
      fs.writeFileSync(bed.jobsFile, JSON.stringify(jobs));

      const second = await bed.run();
      assert.ok(second.succeeded, second.stdout);
      assert.match(second.stdout, /Code unchanged: reusing LocalUpload\/[0-9a-f]{32}\/src in https:\/\/\S+ and code asset [0-9a-f-]{36}:1\./);
      assert.equal(submitted(bed).job.codeId, codeId);
      assert.equal(bed.assets().calls.filter((call) => call.operation === "upload").length, uploads);
      assert.equal(bed.assets().calls.filter((call) => call.operation === "createCode").length, 1);
    });

    it("shows status, duration, compute, environment, code and the job's metrics in the run summary", async () => {
      bed.write("ml/job.yml", `name: churn_job_1\n${fs.readFileSync(path.join(bed.workDir, "ml/job.yml"), "utf8")}`);
      bed.writeAssets((state) => (state.artifacts["churn_job_1/outputs/metrics.json"] = JSON.stringify({ accuracy: 0.97, "f1_*macro*": 0.9, note: "text" })));
      const again = await bed.run();
      assert.ok(again.succeeded, again.stdout);
      assert.equal(submitted(bed).name, "churn_job_1");
      const markdown = summary(bed);
      for (const expected of [
        "| Status | Completed |",
        "| Compute | cpu-cluster |",
        "| Environment | azureml:sklearn:3 |",
        "| Duration | ",
        "| accuracy | 0.97 |",
        "| f1\\_\\*macro\\* | 0.9 |",
      ]) {
        assert.ok(markdown.includes(expected), `missing ${expected} in\n${markdown}`);
      }
      assert.match(markdown, /\| Code \| code asset [0-9a-f-]+:1 \(uploaded: 1 file\(s\)\) \|/);
      assert.match(markdown, /1 value\(s\) of outputs\/metrics\.json that are not numbers are not shown\./);
    });

    it("returns after submission with wait: false, without following the job", async () => {
      const runner = await bed.run({ inputs: { wait: "false" } });
      assert.ok(runner.succeeded, runner.stdout);
      assert.equal(outputVariable(runner, "jobStatus"), "NotStarted");
      assert.deepEqual(
        bed.jobs().calls.map((call) => call.operation),
        ["submit"],
      );
    });

    it("applies the inputs experimentName, displayName, compute and environment over the file", async () => {
      const runner = await bed.run({
        inputs: { experimentName: "churn-nightly", displayName: "Nightly churn", compute: "gpu-cluster", environment: "azureml:pytorch@latest" },
      });
      assert.ok(!runner.succeeded, "no version of pytorch exists yet");
      assert.match(failureMessage(runner), /environment 'pytorch' has no version in the workspace/);

      bed.writeAssets((state) => (state.environments["pytorch:5"] = { body: { properties: {} }, created: 1 }));
      const again = await bed.run({
        inputs: { experimentName: "churn-nightly", displayName: "Nightly churn", compute: "gpu-cluster", environment: "azureml:pytorch@latest" },
      });
      assert.ok(again.succeeded, again.stdout);
      const { job } = submitted(bed);
      assert.equal(job.experimentName, "churn-nightly");
      assert.equal(job.displayName, "Nightly churn");
      assert.equal(job.computeId, `${workspaceId}/computes/gpu-cluster`);
      assert.equal(job.environmentId, `${workspaceId}/environments/pytorch/versions/5`);
      assert.ok(again.stdout.includes("Overridden by the task's inputs: experimentName, displayName, compute, environment."));
    });

    it("appends the configuration section meant for the job to its command, and nothing of the others", async () => {
      bed.write("configuration/configuration-dev.yml", "training:\n  alpha: 0.5\n  epochs: 3\nscoring:\n  threshold: 0.7\n");
      const runner = await bed.run({ inputs: { configurationSection: "training" } });
      assert.ok(runner.succeeded, runner.stdout);
      assert.equal(submitted(bed).job.command, "python train.py --data ${{inputs.training_data}} --alpha 0.5 --epochs 3");
      assert.ok(runner.stdout.includes("Configuration: section 'training' of"));
    });

    it("places configuration values where the command names them", async () => {
      bed.write("configuration/configuration-dev.yml", "training:\n  alpha: 0.5\n  epochs: 3\n");
      bed.write("ml/job.yml", "command: python train.py --lr ${{configuration.alpha}}\nenvironment: azureml:sklearn:3\n");
      const runner = await bed.run({ inputs: { configurationSection: "training" } });
      assert.ok(runner.succeeded, runner.stdout);
      assert.equal(submitted(bed).job.command, "python train.py --lr 0.5");
    });
  });

  describe("refused before any Azure call", () => {
    beforeEach(() => {
      bed = TrainTaskBed.create();
    });

    function assertNoAzureCall(): void {
      assert.deepEqual(bed.jobs().calls, []);
      assert.deepEqual(bed.assets().calls, []);
    }

    it("a misspelled field of the job file, by name and line", async () => {
      bed.write("ml/job.yml", "command: python train.py\nenviroment: azureml:sklearn:3\n");
      const runner = await bed.run();
      assert.ok(runner.failed);
      const message = failureMessage(runner);
      assert.match(message, /job\.yml:2/);
      assert.match(message, /enviroment/);
      const shown = runner.stdout.split("\n").filter((line) => !line.startsWith("##vso[task.debug]"));
      assert.ok(!shown.some((line) => line.includes("    at ")), "a stack trace was printed outside the debug log");
      assertNoAzureCall();
    });

    it("a configuration file with sections but no configurationSection, naming the input", async () => {
      bed.write("configuration/configuration-dev.yml", "training:\n  alpha: 0.5\nscoring:\n  threshold: 0.7\n");
      const runner = await bed.run();
      assert.ok(runner.failed);
      assert.match(failureMessage(runner), /set input 'configurationSection'/);
      assertNoAzureCall();
    });

    it("a bad timeoutMinutes, compute or environment input", async () => {
      for (const [inputs, pattern] of [
        [{ timeoutMinutes: "ten" }, /Input 'timeoutMinutes'/],
        [{ compute: "azureml:bad name" }, /Input 'compute'/],
        [{ environment: "azureml:sklearn" }, /Input 'environment' is 'azureml:sklearn' without a version/],
      ] as const) {
        const runner = await bed.run({ inputs });
        assert.ok(runner.failed, JSON.stringify(inputs));
        assert.match(failureMessage(runner), pattern);
      }
      assertNoAzureCall();
    });

    it("a configuration placeholder in the command when there is no configuration file", async () => {
      bed.write("ml/job.yml", "command: python train.py --lr ${{configuration.alpha}}\nenvironment: azureml:sklearn:3\n");
      const runner = await bed.run();
      assert.ok(runner.failed);
      assert.match(failureMessage(runner), /job\.yml:1: the command uses \$\{\{configuration\.alpha\}\}, but no configuration file was found/);
      assertNoAzureCall();
    });

    it("a missing job file", async () => {
      const runner = await bed.run({ inputs: { jobFile: "ml/missing.yml" } });
      assert.ok(runner.failed);
      assert.match(failureMessage(runner), /Input 'jobFile'/);
      assertNoAzureCall();
    });
  });

  describe("a job that does not complete", () => {
    it("fails with the job's own error when the job fails", async () => {
      bed = TrainTaskBed.create({
        "*": { statuses: ["Running", "Failed"], error: { code: "UserError", message: "Execution failed. User process 'python' exited with status code 1." } },
      });
      const runner = await bed.run();
      assert.ok(runner.failed);
      const { name } = submitted(bed);
      assert.equal(failureMessage(runner), `Job '${name}' failed: Execution failed. User process 'python' exited with status code 1. (UserError)`);
      assert.equal(outputVariable(runner, "jobStatus"), "Failed");
    });

    it("cancels the Azure ML job when the agent stops the task (SIGTERM, pipeline cancelled)", async () => {
      bed = TrainTaskBed.create({ "*": { statuses: ["Queued", "Running"], holdLastStatus: true } });
      const { stdout } = await bed.runAndSignal("SIGTERM", "is Running.");
      const { name } = submitted(bed);
      assert.ok(
        bed.jobs().calls.some((call) => call.operation === "cancel" && call.target === name),
        stdout,
      );
      assert.equal(bed.jobs().jobs[name].status, "Canceled");
      assert.ok(stdout.includes(`##vso[task.complete result=Cancelled;]The task was stopped (SIGTERM); job '${name}' was canceled.`), stdout);
    });
  });
});
