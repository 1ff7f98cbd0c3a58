import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { FaultKind } from "../../local/azure";
import type { TaskStepResult } from "../../local/runner/taskProcess";
import { apiVersions } from "../../tasks/common/src/azure/apiVersions";
import { isAlive } from "../local/jobRunner/jobTestSupport";
import type { JobFilesReport } from "../local/clients/jobFiles";
import { runClient } from "../local/support/runClient";
import { ArmReader } from "../../local/azure/connection/armReader";
import { MlStepOptions, MlWorkspaceBed, startMlWorkspaceBed } from "./mlWorkspaceBed";

const trainingFixture = path.resolve(__dirname, "../../../test/fixtures/training");
const terminal = ["Completed", "Failed", "Canceled"];
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A job YAML as Microsoft's docs write one (commandJob schema, `code` relative to the file); `extra` lines are appended. */
function jobYaml(command: string, extra: string[] = []): string {
  return [
    "$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json",
    "code: ./src",
    `command: ${command}`,
    "inputs:",
    "  alpha: 0.5",
    "environment: azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
    "experiment_name: e2e-train",
    "description: Trains a Ridge regression on the diabetes data.",
    ...extra,
    "",
  ].join("\n");
}

// The built AzureMLTrain task, run as the agent runs it, on a workspace the built AzureMLWorkspace
// task made on the local Azure: the job really runs the training fixture on a local Python with
// scikit-learn, its log is streamed, its files land in the workspace's storage. Strict mode checks
// every ARM and Azure ML data-plane exchange against the swaggers.
describe("AzureMLTrain end to end on the local Azure", function () {
  this.timeout(300_000);
  let bed: MlWorkspaceBed;
  let arm: ArmReader;
  let projects = 0;

  before(async () => {
    bed = await startMlWorkspaceBed("e2etrain01");
    arm = await ArmReader.signIn(bed.azure.connection);
  });

  after(async () => {
    await bed?.stop();
  });

  afterEach(() => {
    bed.azure.setFaults(undefined);
    assert.deepEqual(bed.azure.violations(), [], "every response must match the swagger");
    assert.equal(bed.azure.validationCounts().unmatched, 0, "a request matched no swagger operation");
  });

  /** A project folder: the training fixture under src/ (plus `files`), and job.yml beside it. */
  function project(yaml: string, files: Record<string, string> = {}): string {
    projects += 1;
    const folder = path.join(bed.workDir, `project-${projects}`);
    fs.cpSync(trainingFixture, path.join(folder, "src"), { recursive: true });
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, "src", name), text);
    fs.writeFileSync(path.join(folder, "job.yml"), yaml);
    return path.join(folder, "job.yml");
  }

  function train(jobFile: string, inputs: Record<string, string> = {}, options: MlStepOptions = {}): Promise<TaskStepResult> {
    return bed.runTask("AzureMLTrain", { jobFile, ...inputs }, options);
  }

  const jobId = (name: string) => `${bed.workspaceId}/jobs/${name}`;

  async function jobStatus(name: string): Promise<string> {
    const job = await arm.get(jobId(name), apiVersions.machineLearning);
    return String(job.properties?.status);
  }

  /** The job's status once it has ended, read through ARM (a cancel takes a moment to stop the process). */
  async function endedStatus(name: string): Promise<string> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const status = await jobStatus(name);
      if (terminal.includes(status) || Date.now() > deadline) return status;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  const jobFiles = (jobName?: string) =>
    runClient<JobFilesReport>(bed.azure, "jobFiles", [bed.resourceGroup, bed.workspaceName, ...(jobName ? [jobName] : [])]);

  /** The folder the local Azure runs a job in (`<state>/jobs/<workspace key>/<job>/exe/wd`). */
  function jobFolder(name: string): string {
    const jobsDir = path.join(bed.stateDir, "jobs");
    for (const key of fs.readdirSync(jobsDir)) {
      const folder = path.join(jobsDir, key, name, "exe", "wd");
      if (fs.existsSync(folder)) return folder;
    }
    throw new Error(`the local Azure has no folder for job ${name}`);
  }

  async function ended(pid: number): Promise<boolean> {
    const deadline = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    return !isAlive(pid);
  }

  const submittedName = (line: string) => /^Submitted job '([^']+)'/.exec(line)?.[1];

  it("trains with scikit-learn on serverless compute: Completed, model and metrics stored, metrics in the summary", async () => {
    const jobFile = project(jobYaml("python train.py --alpha ${{inputs.alpha}} --model_dir ./outputs"));
    const run = await train(jobFile);
    assert.equal(run.result, "Succeeded", run.log);
    const name = run.outputs.jobName ?? "";
    assert.ok(name, "no jobName output");
    assert.ok(bed.azure.validationCounts().validated > 0, "strict mode checked nothing");
    assert.equal(run.outputs.jobStatus, "Completed");
    assert.match(run.outputs.studioUrl ?? "", new RegExp(`/runs/${name}\\?wsid=`));
    assert.match(run.log, /^Training Ridge\(alpha=0\.5\)$/m, "the script's log is in the task's output");

    const job = await arm.get(jobId(name), apiVersions.machineLearning);
    assert.equal(job.properties?.status, "Completed");
    assert.equal(job.properties?.experimentName, "e2e-train");
    assert.equal(job.properties?.computeId ?? undefined, undefined, "serverless: no compute");

    const files = await jobFiles(name);
    assert.ok(files.artifacts.includes("outputs/model.pkl"), files.artifacts.join(", "));
    assert.ok(files.artifacts.includes("outputs/metrics.json"), files.artifacts.join(", "));
    assert.ok((files.model?.bytes ?? 0) > 100 && files.model?.start.startsWith("80"), "model.pkl is a pickle");
    assert.equal(files.metrics?.alpha, 0.5, "the input reached the command");
    assert.ok((files.metrics?.rmse ?? 0) > 0);

    assert.equal(run.summaries.length, 1, "one summary");
    const summary = fs.readFileSync(run.summaries[0], "utf8");
    assert.match(summary, /^\| Status \| Completed \|$/m, summary);
    for (const metric of ["rmse", "r2", "alpha"])
      assert.ok(summary.includes(`| ${metric} | ${files.metrics?.[metric]} |`), `the summary shows ${metric}\n${summary}`);
  });

  it("streams the script's lines while the job runs, on the workspace's cluster", async () => {
    // The script says it waits, and waits until the test lets it go: the line reached the task's
    // output while the job was running, whatever the timings.
    const waitForGo = [
      "import os, time",
      'print("waiting for go", flush=True)',
      "deadline = time.monotonic() + 120",
      'while not os.path.exists("go") and time.monotonic() < deadline:',
      "    time.sleep(0.1)",
      'print("going", flush=True)',
      "",
    ].join("\n");
    const jobFile = project(
      jobYaml("python wait_for_go.py && python train.py --alpha ${{inputs.alpha}}", [`compute: azureml:${bed.clusterName}`, "display_name: live log"]).replace(
        /^environment: .*$/m,
        // The curated environment as Microsoft's tutorials name it: resolved through the workspace's versions.
        "environment: azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest",
      ),
      { "wait_for_go.py": waitForGo },
    );
    let name: string | undefined;
    let statusAtFirstLine: Promise<string> | undefined;
    const run = await train(
      jobFile,
      {},
      {
        onLine: (line) => {
          name ??= submittedName(line);
          if (line === "waiting for go" && name && !statusAtFirstLine) {
            const job = name;
            statusAtFirstLine = jobStatus(job).finally(() => fs.writeFileSync(path.join(jobFolder(job), "go"), ""));
          }
        },
      },
    );
    assert.ok(statusAtFirstLine, `the script's first line never reached the task's output\n${run.log}`);
    const status = await statusAtFirstLine;
    assert.equal(run.result, "Succeeded", run.log);
    assert.equal(status, "Running", "the job's status when its first line reached the task's output");
    const lines = run.log.split("\n");
    assert.ok(lines.indexOf("going") > lines.indexOf("waiting for go") && lines.some((line) => line.startsWith("rmse=")), run.log);
    const job = await arm.get(jobId(run.outputs.jobName ?? ""), apiVersions.machineLearning);
    assert.equal(String(job.properties?.computeId).toLowerCase(), `${bed.workspaceId}/computes/${bed.clusterName}`.toLowerCase());
    assert.equal(job.properties?.displayName, "live log");
    assert.match(String(job.properties?.environmentId), /\/environments\/AzureML-sklearn-1\.0-ubuntu20\.04-py38-cpu\/versions\/1$/);
  });

  it("without waiting (input 'wait' false), ends at submission and the job goes on to Completed", async () => {
    const run = await train(project(jobYaml("python train.py --alpha ${{inputs.alpha}}")), { wait: "false" });
    assert.equal(run.result, "Succeeded", run.log);
    const name = run.outputs.jobName ?? "";
    assert.equal(run.message, `Job '${name}' submitted; not waiting for it (input 'wait' is false).`);
    assert.ok(!terminal.includes(run.outputs.jobStatus ?? ""), `jobStatus ${run.outputs.jobStatus} at submission`);
    assert.doesNotMatch(run.log, /^Training Ridge/m, "no log is streamed");
    assert.equal(await endedStatus(name), "Completed");
  });

  const failures: Array<[string, string, RegExp]> = [
    ["raises", "python fail.py", /ValueError: training data has no 'target' column/],
    ["imports a module that is not there", "python fail.py --missing-module", /needs Python module 'no_such_training_module'/],
  ];
  for (const [what, command, error] of failures) {
    it(`a script that ${what} fails the task with the script's error, in one sentence`, async () => {
      const run = await train(project(jobYaml(command)));
      assert.equal(run.result, "Failed", run.log);
      const name = run.outputs.jobName ?? "";
      assert.ok(run.message?.startsWith(`Job '${name}' failed: `), run.message);
      assert.match(run.message ?? "", error);
      assert.doesNotMatch(run.message ?? "", /\n/, "one line");
      assert.equal(run.outputs.jobStatus, "Failed");
      assert.equal(await jobStatus(name), "Failed");
    });
  }

  it("the job's limits.timeout cancels it, and the task fails saying so", async () => {
    const jobFile = project(jobYaml("python slow.py --seconds 120", ["limits:", "  timeout: 3"]));
    const run = await train(jobFile);
    assert.equal(run.result, "Failed", run.log);
    const name = run.outputs.jobName ?? "";
    assert.equal(
      run.message,
      `Job '${name}' was canceled before it ended: The job ran longer than its limits.timeout of 3 seconds and was canceled. (UserError)`,
    );
    assert.equal(run.outputs.jobStatus, "Canceled");
    assert.equal(await endedStatus(name), "Canceled");
    assert.match(run.log, /^tick 0$/m, "the job ran before its timeout");
  });

  it("the task's own timeout (input 'timeoutMinutes') cancels the job", async () => {
    const jobFile = project(jobYaml("python slow.py --seconds 240"));
    const run = await train(jobFile, { timeoutMinutes: "1" });
    assert.equal(run.result, "Failed", run.log);
    const name = run.outputs.jobName ?? "";
    assert.equal(run.message, `The task timed out after 1 min (input 'timeoutMinutes'); job '${name}' was canceled.`);
    assert.equal(run.outputs.jobStatus, "Canceled");
    assert.equal(await endedStatus(name), "Canceled");
  });

  it("SIGTERM (the pipeline cancelled) cancels the job and ends its process tree", async () => {
    const jobFile = project(jobYaml("python slow.py --seconds 120 --child"));
    const stop = new AbortController();
    let name: string | undefined;
    const run = await train(
      jobFile,
      {},
      {
        signal: stop.signal,
        onLine: (line) => {
          name ??= submittedName(line);
          if (/^started child \d+$/.test(line)) stop.abort();
        },
      },
    );
    assert.ok(name, run.log);
    assert.ok(stop.signal.aborted, `the job never started its child\n${run.log}`);
    assert.match(run.result ?? "", /^Cancel/, run.log);
    assert.match(run.message ?? "", new RegExp(`^The task was stopped \\(SIGTERM\\); job '${name}' was canceled\\.$`));
    assert.equal(await endedStatus(name), "Canceled");
    const child = Number(fs.readFileSync(path.join(jobFolder(name), "child.pid"), "utf8"));
    // SIGKILL has reached the group when the job is Canceled; the kernel may take a moment to end it.
    assert.ok(child > 0 && (await ended(child)), `the job's child ${child} outlived its cancel`);
  });

  it("a second run with unchanged code uploads nothing and reuses the code asset", async () => {
    const jobFile = project(jobYaml("python train.py --alpha ${{inputs.alpha}}"), { "README.md": "second-run project\n" });
    const first = await train(jobFile);
    assert.equal(first.result, "Succeeded", first.log);
    assert.match(first.log, /Code uploaded: \d+ file\(s\)/);
    const before = await jobFiles();

    bed.azure.clearRequests();
    const second = await train(jobFile);
    assert.equal(second.result, "Succeeded", second.log);
    assert.match(second.log, /Code unchanged: reusing LocalUpload\/[0-9a-f]+\/src /);
    assert.match(second.summaries.map((file) => fs.readFileSync(file, "utf8")).join(""), /\(unchanged, reused\)/);
    assert.notEqual(second.outputs.jobName, first.outputs.jobName);
    const changes = bed.azure.requests().filter((r) => r.target === "arm" && r.method === "PUT" && r.operationId !== "Jobs_CreateOrUpdate");
    assert.deepEqual(
      changes.map((r) => r.path),
      [],
      "the second run created an asset",
    );
    const after = await jobFiles();
    const codeBlobs = (report: JobFilesReport) => Object.entries(report.defaultDatastoreBlobs).filter(([name]) => name.startsWith("LocalUpload/"));
    assert.ok(codeBlobs(before).length > 0, `no code blob in the default datastore: ${Object.keys(before.defaultDatastoreBlobs).join(", ")}`);
    assert.deepEqual(codeBlobs(after), codeBlobs(before), "the second run wrote to the code's blobs");
  });

  it("with faults at 20 % of ARM and Azure ML calls, still trains to Completed", async () => {
    // The job works a few seconds first: the wait polls ARM and run history many times.
    const jobFile = project(jobYaml("python slow.py --seconds 4 && python train.py --alpha ${{inputs.alpha}}"), { "README.md": "faults project\n" });
    // Four transient kinds, each drawn at 5.4 %: about 20 % of calls get one (1 − 0.946⁴).
    const transient: FaultKind[] = ["throttle", "internalError", "serviceUnavailable", "dropConnection"];
    bed.azure.clearRequests();
    bed.azure.setFaults({
      seed: 20261130,
      rules: [
        // Surely once each: the code version's PUT throttled, the job's PUT acted on but its answer lost.
        { kind: "throttle", operationId: "CodeVersions_CreateOrUpdate", times: 1 },
        { kind: "dropConnection", operationId: "Jobs_CreateOrUpdate", afterProcessing: true, times: 1 },
        ...(["arm", "azureml"] as const).flatMap((target) => transient.map((kind) => ({ kind, rate: 0.054, target }))),
      ],
    });
    const run = await train(jobFile);
    bed.azure.setFaults(undefined);
    const trace = bed.azure
      .requests()
      .map((r) => `${r.target} ${r.method} ${r.status} ${r.operationId ?? r.path} ${r.fault ?? ""}`)
      .join("\n");
    assert.equal(run.result, "Succeeded", `${run.log}\n${trace}`);
    assert.equal(run.outputs.jobStatus, "Completed");
    const faulted = (operationId: string) => bed.azure.requests().some((r) => r.operationId === operationId && r.fault);
    assert.ok(faulted("CodeVersions_CreateOrUpdate") && faulted("Jobs_CreateOrUpdate"), trace);
    const random = bed.azure.requests().filter((r) => r.fault && !/_CreateOrUpdate$/.test(r.operationId ?? ""));
    assert.ok(random.length > 0, `no fault was drawn\n${trace}`);
    assert.equal(run.log.match(/^Submitted job /gm)?.length, 1, "one job submitted");
    assert.equal(await jobStatus(run.outputs.jobName ?? ""), "Completed");
  });

  const badFiles: Array<[string, (yaml: string) => string, (file: string) => RegExp]> = [
    [
      "a misspelled field",
      (yaml) => yaml.replace("experiment_name:", "experiment_nmae:"),
      (file) => new RegExp(`^Input 'jobFile': ${escaped(file)}:7: field 'experiment_nmae' .*did you mean 'experiment_name'\\?$`),
    ],
    // An unclosed flow sequence: the parser finds out on the next line.
    [
      "a YAML syntax error",
      (yaml) => yaml.replace("  alpha: 0.5", "  alpha: [0.5"),
      (file) => new RegExp(`^Input 'jobFile': ${escaped(file)}:6 \\(column 1\\) is not valid YAML: .+\\.$`),
    ],
  ];
  for (const [what, spoil, expected] of badFiles) {
    it(`${what} in the job YAML fails with the file and its line, before any Azure call`, async () => {
      const jobFile = project(spoil(jobYaml("python train.py")));
      bed.azure.clearRequests();
      const run = await train(jobFile);
      assert.equal(run.result, "Failed", run.log);
      assert.match(run.message ?? "", expected(jobFile));
      assert.doesNotMatch(run.message ?? "", /\n|\sat \S+ \(/, "one sentence, no stack");
      assert.deepEqual(bed.azure.requests(), [], "the task called Azure");
    });
  }
});
