// The BUILT AzureMLTrain task on the local Azure, with jobs that really run (issue 7):
//  - code upload: a folder of 1,000 small files and one of a single 50 MB file, first run and
//    unchanged re-run (`wait: false`): files and bytes the task reports, bytes Azurite stored,
//    seconds, and the task's peak resident memory;
//  - log latency: a job prints its own wall-clock time every 0.5 s; latency is the time the
//    runner's onLine got the line minus the time in it;
//  - calls per minute while waiting: the emulator's request log between the job's submission and
//    the task's line saying it ended.
// One workspace, made by the AzureMLWorkspace task; each run makes new code folders (new content,
// so a new content hash), so every first run uploads and every re-run finds its upload.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { admin, runBuiltTask, sleep, startEmulator } from "./local-azure-process.mjs";
import { markdownTable } from "./markdown.mjs";
import { median } from "./measure.mjs";

const TASK_MEMORY_BUDGET_MIB = 150; // issue 7: the 50 MB upload is streamed.
const LATENCY_GOAL_S = 2; // issue 7: a job's line in the task output.
const PROVISIONING_SECONDS = 1;
const NAMESPACE = "benchtrain";
const SMALL_FILES = 1000;
const LARGE_FILE_BYTES = 50 * 1000 * 1000;
const STREAM_SECONDS = 10;
const STREAM_EVERY_SECONDS = 0.5;
const JOB_END_TIMEOUT_MS = 60_000;

const MiB = 1024 * 1024;
const mib = (bytes) => `${(bytes / MiB).toFixed(2)} MiB`;
const seconds = (milliseconds) => (milliseconds / 1000).toFixed(2);

/** Bytes in Azurite's extent files: what it stored, whatever the blob API said. */
function azuriteStoredBytes(stateDir) {
  const extents = join(stateDir, "azurite", "__blobstorage__");
  let total = 0;
  try {
    for (const name of readdirSync(extents)) total += statSync(join(extents, name)).size;
  } catch {
    // no blob written yet
  }
  return total;
}

/**
 * The status of a job as the emulator stored it (arm/state.json, rewritten atomically on each
 * change). Read from its state, not through ARM, so the bench adds no call to the request log.
 */
function storedJobStatus(stateDir, jobName) {
  try {
    const state = JSON.parse(readFileSync(join(stateDir, "arm", "state.json"), "utf8"));
    const job = state.resources.find((resource) => resource.id.toLowerCase().endsWith(`/jobs/${jobName.toLowerCase()}`));
    return job?.body?.properties?.status;
  } catch {
    return undefined; // being replaced
  }
}

/** Waits until a job submitted with `wait: false` has ended, so that it does not run during the next measurement. */
async function jobEnded(stateDir, jobName) {
  const started = performance.now();
  for (;;) {
    const status = storedJobStatus(stateDir, jobName);
    if (["Completed", "Failed", "Canceled"].includes(status)) return status;
    if (performance.now() - started > JOB_END_TIMEOUT_MS)
      throw new Error(`job ${jobName} did not end within ${JOB_END_TIMEOUT_MS / 1000} s (status ${status})`);
    await sleep(100);
  }
}

function writeJobFile(folder, command) {
  writeFileSync(
    join(folder, "job.yml"),
    [
      "$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json",
      `command: ${command}`,
      "code: ./src",
      "environment: azureml:AzureML-sklearn-1.5:1",
      "experiment_name: bench",
      "",
    ].join("\n"),
  );
  return join(folder, "job.yml");
}

/** A job folder whose code is `count` files of 1–4 KiB of random bytes. */
function smallFilesFolder(folder) {
  mkdirSync(join(folder, "src", "data"), { recursive: true });
  for (let i = 0; i < SMALL_FILES; i++)
    writeFileSync(join(folder, "src", "data", `part-${String(i).padStart(4, "0")}.bin`), randomBytes(1024 + Math.floor(Math.random() * 3 * 1024)));
  return writeJobFile(folder, 'python -c "pass"');
}

/** A job folder whose code is one 50 MB file of random bytes (written in pieces, not held whole). */
function largeFileFolder(folder) {
  mkdirSync(join(folder, "src"), { recursive: true });
  const file = join(folder, "src", "weights.bin");
  const piece = 5 * 1000 * 1000;
  writeFileSync(file, "");
  for (let written = 0; written < LARGE_FILE_BYTES; written += piece) writeFileSync(file, randomBytes(piece), { flag: "a" });
  return writeJobFile(folder, 'python -c "pass"');
}

/** A job folder whose script prints its wall-clock time (s since the epoch) every 0.5 s for 10 s. */
function streamingFolder(folder) {
  mkdirSync(join(folder, "src"), { recursive: true });
  const script = [
    "import time",
    `end = time.time() + ${STREAM_SECONDS}`,
    "while time.time() < end:",
    '    print(f"{time.time():.3f}", flush=True)',
    `    time.sleep(${STREAM_EVERY_SECONDS})`,
    "",
  ];
  writeFileSync(join(folder, "src", "stream.py"), script.join("\n"));
  // A salt, so that each run's code is new content.
  writeFileSync(join(folder, "src", "salt.txt"), randomBytes(8).toString("hex"));
  return writeJobFile(folder, "python stream.py");
}

/**
 * One AzureMLTrain run, with the time each output line was received. The upload is timed from
 * those lines: hashing from the "Preparing code…" group to "Hashed …", upload from "Hashed …" to
 * "Code uploaded"/"Code unchanged" (this includes reading the default datastore and its keys).
 */
async function runTrain(root, emulator, workDir, jobFile, wait) {
  const lines = [];
  const storedBefore = azuriteStoredBytes(emulator.stateDir);
  const run = await runBuiltTask(root, emulator, {
    task: "AzureMLTrain",
    inputs: { jobFile, wait: String(wait) },
    variables: { NAMESPACE, RESOURCE_GROUP: `rg-${NAMESPACE}` },
    workDir,
    onLine: (text, at) => lines.push({ text, at }),
  });
  const storedBytes = azuriteStoredBytes(emulator.stateDir) - storedBefore;
  const at = (pattern) => {
    const found = lines.find((line) => pattern.test(line.text));
    if (!found) throw new Error(`AzureMLTrain printed no line matching ${pattern}:\n${lines.map((line) => line.text).join("\n")}`);
    return found;
  };
  const group = at(/^##\[group\]Preparing code/);
  const hashed = at(/^Hashed the code folder/);
  const uploaded = at(/^Code (uploaded|unchanged)/);
  const reported = /uploaded: (\d+) file\(s\)/.exec(uploaded.text);
  const jobName = run.result.outputs.jobName;
  if (!jobName) throw new Error("AzureMLTrain set no jobName output");
  return {
    run,
    lines,
    jobName,
    storedBytes,
    files: reported ? Number(reported[1]) : 0,
    uploaded: reported !== null,
    hashMs: hashed.at - group.at,
    uploadMs: uploaded.at - hashed.at,
  };
}

async function uploadScenario(root, emulator, workDir, makeFolder, label, runs) {
  const first = [];
  const again = [];
  for (let i = 0; i < runs; i++) {
    const folder = mkdtempSync(join(workDir, `${label}-`));
    const jobFile = makeFolder(folder);
    const snapshotBytes = readdirSync(join(folder, "src"), { recursive: true })
      .map((name) => statSync(join(folder, "src", name)))
      .filter((stat) => stat.isFile())
      .reduce((sum, stat) => sum + stat.size, 0);
    for (const into of [first, again]) {
      const measured = await runTrain(root, emulator, workDir, jobFile, false);
      await jobEnded(emulator.stateDir, measured.jobName);
      into.push({ ...measured, bytes: measured.uploaded ? snapshotBytes : 0 });
    }
    rmSync(folder, { recursive: true, force: true });
  }
  const row = (name, figures) => [
    name,
    String(median(figures.map((f) => f.files))),
    mib(median(figures.map((f) => f.bytes))),
    mib(median(figures.map((f) => f.storedBytes))),
    seconds(median(figures.map((f) => f.hashMs))),
    seconds(median(figures.map((f) => f.uploadMs))),
    seconds(median(figures.map((f) => f.run.wallMs))),
    `${median(figures.map((f) => f.run.peakMiB)).toFixed(1)} MiB (max ${Math.max(...figures.map((f) => f.run.peakMiB)).toFixed(1)})`,
  ];
  const firstRow = row(`${label}, first run`, first);
  const againRow = row(`${label}, unchanged re-run`, again);
  if (again.some((f) => f.uploaded)) againRow[0] += " **(uploaded again)**";
  else againRow[2] = "0 (uploaded nothing)";
  return { rows: [firstRow, againRow], peaks: [...first, ...again].map((f) => f.run.peakMiB) };
}

function percentile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

/** A streaming job run to its end: latency of each of its lines, and the calls made while the task waited. */
async function waitScenario(root, emulator, workDir) {
  const folder = mkdtempSync(join(workDir, "stream-"));
  const jobFile = streamingFolder(folder);
  await admin(emulator, "DELETE", "requests");
  const measured = await runTrain(root, emulator, workDir, jobFile, true);
  const requests = await admin(emulator, "GET", "requests");
  rmSync(folder, { recursive: true, force: true });

  const latencies = measured.lines.filter((line) => /^\d{9,}\.\d{3}$/.test(line.text)).map((line) => line.at - Number(line.text) * 1000);
  const expected = STREAM_SECONDS / STREAM_EVERY_SECONDS;
  if (latencies.length < expected / 2) throw new Error(`only ${latencies.length} of the job's ~${expected} time lines reached the task output`);

  const submission = requests.find((entry) => entry.method === "PUT" && entry.path.toLowerCase().includes(`/jobs/${measured.jobName.toLowerCase()}`));
  if (!submission) throw new Error(`no PUT of job ${measured.jobName} in the request log`);
  const ended = measured.lines.find((line) => new RegExp(`^Job '${measured.jobName}' is (Completed|Failed|Canceled)\\.$`).test(line.text));
  if (!ended) throw new Error(`the task printed no end status for job ${measured.jobName}`);
  const from = Date.parse(submission.time);
  const during = requests.filter((entry) => entry.target !== "admin" && Date.parse(entry.time) > from && Date.parse(entry.time) <= ended.at);
  const waitMinutes = (ended.at - from) / 60_000;
  const byTarget = {};
  for (const entry of during) byTarget[entry.target] = (byTarget[entry.target] ?? 0) + 1;
  return {
    latencies,
    lines: latencies.length,
    waitMs: ended.at - from,
    calls: during.length,
    perMinute: during.length / waitMinutes,
    byTarget,
  };
}

export async function trainJobs({ root, runs }) {
  const uploadRuns = Math.min(runs, 3);
  const waitRuns = Math.min(runs, 3);
  const workDir = mkdtempSync(join(tmpdir(), "bench-train-"));
  let emulator;
  try {
    emulator = await startEmulator(root, join(workDir, "state"), PROVISIONING_SECONDS);
    await runBuiltTask(root, emulator, {
      task: "AzureMLWorkspace",
      inputs: { createResourceGroup: "true" },
      variables: { NAMESPACE, RESOURCE_GROUP: `rg-${NAMESPACE}`, LOCATION: "westeurope" },
      workDir,
    });

    console.error("bench:   code upload, 1,000 small files…");
    const small = await uploadScenario(root, emulator, workDir, smallFilesFolder, "1,000 files of 1–4 KiB", uploadRuns);
    console.error("bench:   code upload, one 50 MB file…");
    const large = await uploadScenario(root, emulator, workDir, largeFileFolder, "one 50 MB file", uploadRuns);
    console.error("bench:   a job's log lines while the task waits…");
    const waits = [];
    for (let i = 0; i < waitRuns; i++) waits.push(await waitScenario(root, emulator, workDir));
    const violations = await admin(emulator, "GET", "violations");

    const largePeak = Math.max(...large.peaks);
    const allLatencies = waits.flatMap((w) => w.latencies);
    const latencyMedian = median(allLatencies) / 1000;
    const latencyP90 = percentile(allLatencies, 0.9) / 1000;
    const targets = [...new Set(waits.flatMap((w) => Object.keys(w.byTarget)))].sort();
    return [
      `AzureMLTrain as built, service principal with a secret, on the local Azure (jobs run on the local Python). Swagger violations recorded: ${violations.length}.`,
      "",
      `### Code upload (\`wait: false\`), median of ${uploadRuns} new folder(s)`,
      "",
      "Seconds are taken from the times the runner received the task's lines: hashing from `##[group]Preparing code…` to `Hashed …`, upload from `Hashed …` to `Code uploaded`/`Code unchanged` (it includes reading the default datastore and its keys). Bytes sent are the snapshot's file sizes when the task reports an upload; bytes stored are the growth of Azurite's extent files during the task. Each job is left to end before the next run, so that its download of the code does not compete with the next upload.",
      "",
      markdownTable(
        ["code folder, run", "files uploaded", "bytes sent", "bytes stored in Azurite", "hashing (s)", "upload (s)", "task wall time (s)", "task peak memory"],
        [...small.rows, ...large.rows],
      ),
      "",
      `Peak memory of the task during the 50 MB upload: **${largePeak.toFixed(1)} MiB** at most (goal < ${TASK_MEMORY_BUDGET_MIB} MiB, streamed: ${largePeak < TASK_MEMORY_BUDGET_MIB ? "met" : "**missed**"}).`,
      "",
      `### A job's log lines in the task output, ${waitRuns} job(s)`,
      "",
      `The job prints its wall-clock time every ${STREAM_EVERY_SECONDS} s for ${STREAM_SECONDS} s; latency = time the runner's onLine got the line − the time in it. Calls: the local Azure's request log from the job's PUT to the task's line saying it ended (ARM, Azure ML data plane with the signed log-file reads, token requests).`,
      "",
      markdownTable(
        ["job", "lines", "latency median (s)", "latency p90 (s)", "wait (s)", "calls", ...targets.map((target) => `${target} calls`), "calls per minute"],
        waits.map((w, i) => [
          String(i + 1),
          String(w.lines),
          seconds(median(w.latencies)),
          seconds(percentile(w.latencies, 0.9)),
          seconds(w.waitMs),
          String(w.calls),
          ...targets.map((target) => String(w.byTarget[target] ?? 0)),
          w.perMinute.toFixed(1),
        ]),
      ),
      "",
      `Over all ${allLatencies.length} lines: latency median **${latencyMedian.toFixed(2)} s**, p90 ${latencyP90.toFixed(2)} s (goal median < ${LATENCY_GOAL_S} s: ${latencyMedian < LATENCY_GOAL_S ? "met" : "**missed**"}); calls per minute while waiting, median of the jobs: **${median(waits.map((w) => w.perMinute)).toFixed(1)}**.`,
      "",
      "The task polls every 2 s for about the first 30 s of the wait, then less often, at most every 10 s (`pollingDelayMs` in tasks/common/src/jobs/logStream.ts); each poll reads the run's details and each log file it streams, so a longer job makes fewer calls per minute than this short one.",
    ].join("\n");
  } finally {
    await emulator?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
