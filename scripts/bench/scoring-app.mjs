// The scoring app of AzureMLDeploy's Docker context (issue 8, Performance): the azureml-examples
// model-1 sample written into a context by the task's own code, then served the way its
// Dockerfile serves it (gunicorn with the Dockerfile's CMD and ENV; the image's /var/azureml-app
// is the context folder here, loopback in place of 0.0.0.0) and by Flask's development server
// (`python app.py`), and through a real online endpoint of the local Azure (local-endpoint.mjs:
// its HTTPS scoring URI with its key), each under the same load from a second process on loopback
// (load-generator.mjs: 32 keep-alive clients, 1 s warm-up, then 5 s measured). Requests per
// second, p50 and p99 latency, medians over the runs; the rounds alternate the order of the
// targets so that machine noise touches them alike.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus, tmpdir } from "node:os";
import { basename, join, relative, sep } from "node:path";
import { localEndpointTarget } from "./local-endpoint.mjs";
import { markdownTable, ms } from "./markdown.mjs";
import { median } from "./measure.mjs";

const CONCURRENCY = 32;
const WARMUP_SECONDS = 1;
const SECONDS = 5;
const GOAL_RATIO = 2; // issue 8: at least 2× the development server's requests per second,
const GOAL_P99_MS = 20; // and p99 under 20 ms at 32 concurrent.
const START_TIMEOUT_MS = 60_000;
const REQUEST_BODY = JSON.stringify({
  data: [
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    [10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
  ],
});

const loadAverage = () => Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
const sleep = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** The Python the local Azure would pick (scikit-learn for the sample), which must also have Flask and gunicorn. */
function scoringPython(root) {
  const require = createRequire(import.meta.url);
  const { choosePython } = require(join(root, "out", "local", "azure", "services", "machinelearning", "jobRunner", "pythonRuntime.js"));
  const python = choosePython();
  if (!python.hasSklearn) return { skip: `${python.executable} has no scikit-learn (apt-get install python3-sklearn)` };
  const probe = spawnSync(python.executable, ["-c", "import flask, gunicorn"], { encoding: "utf8" });
  if (probe.status !== 0) return { skip: `${python.executable} cannot import Flask and gunicorn (apt-get install python3-flask gunicorn)` };
  return { executable: python.executable };
}

/** The sample's Docker context, written by the task's writeDockerContext with the model's folder as the registered files. */
async function writeSampleContext(root, context) {
  const require = createRequire(import.meta.url);
  const { writeDockerContext } = require(join(root, "out", "tasks", "AzureMLDeploy", "src", "dockerContext", "writeDockerContext.js"));
  const { readOnlineDeploymentFile } = require(join(root, "out", "tasks", "common", "src", "azureml", "onlineDeploymentFile.js"));
  const samples = join(root, "test", "unit", "azureml", "fixtures", "azureml-examples", "cli", "endpoints", "online");
  const modelFolder = join(samples, "model-1", "model");
  const models = {
    async download(model, folder) {
      mkdirSync(folder, { recursive: true });
      cpSync(modelFolder, join(folder, basename(modelFolder)), { recursive: true });
      const files = readdirSync(folder, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => relative(folder, join(entry.parentPath, entry.name)).split(sep).join("/"));
      return { topName: basename(modelFolder), files, bytes: files.reduce((sum, file) => sum + statSync(join(folder, file)).size, 0) };
    },
  };
  const environments = { read: (reference) => Promise.reject(new Error(`the sample's environment is inline, not ${reference.text}`)) };
  const deployment = readOnlineDeploymentFile(join(samples, "managed", "sample", "blue-deployment.yml"), "deploymentFile");
  await writeDockerContext({ contextPath: context, deployment, model: { name: "sklearn-regression", version: "1" } }, { models, environments, log: () => {} });
}

/** CMD and ENV of the generated Dockerfile, its paths moved from /var/azureml-app to the context folder. */
function dockerfileServing(context) {
  const text = readFileSync(join(context, "Dockerfile"), "utf8").replace(/\\\n\s*/g, " ");
  const cmdLine = text.split("\n").find((line) => line.startsWith("CMD "));
  const [, , command] = JSON.parse(cmdLine.slice(4));
  const env = {};
  for (const line of text.split("\n").filter((candidate) => candidate.startsWith("ENV "))) {
    for (const pair of line.matchAll(/([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      env[pair[1]] = pair[2].replace(/\\(.)/g, "$1").split("/var/azureml-app").join(context);
  }
  return { command, env };
}

/** A server process in its own group, its output in a file (the app logs every request; a pipe to this process would cost CPU the server competes for). */
function startProcess(command, args, options, logFile) {
  const fd = openSync(logFile, "w");
  const child = spawn(command, args, { ...options, detached: true, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const output = () => readFileSync(logFile, "utf8");
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        resolve();
      }
    });
  return { child, output, stop };
}

/** Resolves with the URL once `pattern` shows in the server's output and GET / answers 200. */
async function untilServing(server, pattern) {
  const started = performance.now();
  for (;;) {
    const url = pattern.exec(server.output())?.[1];
    if (url) {
      const healthy = await fetch(`${url}/`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (healthy) return url;
    }
    if (server.child.exitCode !== null) throw new Error(`the server exited with ${server.child.exitCode}:\n${server.output().slice(-2000)}`);
    if (performance.now() - started > START_TIMEOUT_MS) throw new Error(`the server did not answer within ${START_TIMEOUT_MS / 1000} s`);
    await sleep(50);
  }
}

/**
 * What the bench serves the sample with. Each `start` returns `{ url, headers?, ca?, stop }`, once
 * per round; a target with `setUp` (once, before the rounds) has `tearDown` (once, whatever happens).
 */
function servingTargets(root, { workers, threads }) {
  return [
    {
      key: "gunicorn",
      label: `gunicorn as the Dockerfile serves it (WORKER_COUNT=${workers}, one per core; WORKER_THREADS=${threads}, the Dockerfile's)`,
      async start({ context, binDir, logFile }) {
        const { command, env } = dockerfileServing(context);
        const server = startProcess(
          "/bin/sh",
          ["-c", command.replace("0.0.0.0", "127.0.0.1")],
          { cwd: context, env: { ...process.env, ...env, PORT: "0", WORKER_COUNT: String(workers), PATH: `${binDir}:${process.env.PATH}` } },
          logFile,
        );
        const url = await untilServing(server, /Listening at: (http:\/\/127\.0\.0\.1:\d+)/);
        return { url, stop: server.stop };
      },
    },
    {
      key: "flask",
      label: "Flask's development server (`python app.py`, threaded)",
      async start({ context, python, logFile }) {
        const server = startProcess(python, ["-u", "app.py"], { cwd: context, env: { ...process.env, PORT: "0", HOST: "127.0.0.1" } }, logFile);
        const url = await untilServing(server, /Scoring app listening on (http:\/\/127\.0\.0\.1:\d+)/);
        return { url, stop: server.stop };
      },
    },
    localEndpointTarget(root, { concurrency: CONCURRENCY }),
  ];
}

function runLoadGenerator(root, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, "scripts", "bench", "load-generator.mjs"), JSON.stringify(options)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text) => (stderr += text));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`the load generator failed (${code}): ${stderr}`))));
  });
}

/** One measurement: the load generator, a process of its own, against `target` once it serves. */
async function measure(root, target, setup) {
  const served = await target.start(setup);
  try {
    const options = {
      url: `${served.url}/score`,
      method: "POST",
      headers: { "content-type": "application/json", ...(served.headers ?? {}) },
      body: REQUEST_BODY,
      concurrency: CONCURRENCY,
      warmupSeconds: WARMUP_SECONDS,
      seconds: SECONDS,
      ...(served.ca ? { ca: served.ca } : {}),
    };
    // Asynchronous: this process keeps draining the server's output meanwhile (its log would otherwise fill the pipe and stall it).
    const figures = await runLoadGenerator(root, options);
    const refused = figures.errors + Object.entries(figures.statuses).reduce((sum, [status, count]) => sum + (status === "200" ? 0 : count), 0);
    if (refused > 0) throw new Error(`${target.key}: ${refused} requests failed (${JSON.stringify(figures.statuses)}, ${figures.errors} errors)`);
    return figures;
  } finally {
    await served.stop();
  }
}

/** Sets up the targets that need it; one that cannot be set up is left out of the rounds, with its reason. */
async function setUpTargets(targets, workDir) {
  const ready = [];
  const notes = [];
  for (const target of targets) {
    if (!target.setUp) {
      ready.push(target);
      continue;
    }
    console.error(`bench:   setting up ${target.key}…`);
    try {
      const { setUpMs } = await target.setUp({ workDir });
      notes.push(`${target.key}: set up in ${(setUpMs / 1000).toFixed(1)} s`);
      ready.push(target);
    } catch (error) {
      notes.push(`${target.key}: **not measured**, its set-up failed: ${error.message.replaceAll("\n", " ")}`);
    }
  }
  return { ready, notes };
}

export async function scoringApp({ root, runs }) {
  const python = scoringPython(root);
  if (python.skip) return `Skipped: ${python.skip}.`;
  const rounds = Math.min(runs, 3);
  const workers = cpus().length;
  const workDir = mkdtempSync(join(tmpdir(), "bench-scoring-app-"));
  const all = [];
  try {
    const context = join(workDir, "context");
    await writeSampleContext(root, context);
    // The Dockerfile runs `gunicorn`; here it is the scoring Python's module.
    const binDir = join(workDir, "bin");
    mkdirSync(binDir);
    writeFileSync(join(binDir, "gunicorn"), `#!/bin/sh\nexec '${python.executable}' -m gunicorn "$@"\n`, { mode: 0o755 });
    all.push(...servingTargets(root, { workers, threads: dockerfileServing(context).env.WORKER_THREADS }));
    const { ready: targets, notes } = await setUpTargets(all, workDir);
    const loads = [loadAverage()];
    const figures = new Map(targets.map((target) => [target.key, []]));
    for (let round = 0; round < rounds; round++) {
      for (const target of round % 2 === 0 ? targets : [...targets].reverse()) {
        figures.get(target.key).push(await measure(root, target, { context, python: python.executable, binDir, logFile: join(workDir, `${target.key}.log`) }));
        loads.push(loadAverage());
      }
    }
    const summary = (key) => {
      const list = figures.get(key);
      if (!list) return undefined;
      return {
        rps: median(list.map((f) => f.requestsPerSecond)),
        p50: median(list.map((f) => f.p50Ms)),
        p99: median(list.map((f) => f.p99Ms)),
        requests: median(list.map((f) => f.requests)),
      };
    };
    const rows = targets.map((target) => {
      const s = summary(target.key);
      return [target.label, s.rps.toFixed(0), ms(s.p50), ms(s.p99), s.requests.toFixed(0)];
    });
    const served = summary("gunicorn");
    const development = summary("flask");
    const endpoint = summary("endpoint");
    const ratio = served.rps / development.rps;
    const endpointTarget = all.find((target) => target.key === "endpoint");
    const endpointLine = endpoint
      ? [
          `Through the local endpoint: **${endpoint.rps.toFixed(0)} requests/s**, p50 ${ms(endpoint.p50)} ms, p99 ${ms(endpoint.p99)} ms: ${(endpoint.rps / development.rps).toFixed(2)}× the requests per second of the development server, ${(endpoint.rps / served.rps).toFixed(2)}× gunicorn's.`,
          "The local Azure serves a deployment with `python app.py` (the same app and development server as the second row), behind its own HTTPS front end in Node: TLS with the client, the key checked, the deployment picked by traffic, its in-flight limit, and the request forwarded to the app over loopback HTTP on kept-alive connections. That front end runs on the same cores as the app and the load generator.",
          `The deployment sets max_concurrent_requests_per_instance: ${endpointTarget.maxConcurrent}, the least with which the endpoint admits ${CONCURRENCY} requests in flight (2 × ${endpointTarget.maxConcurrent} × 1 instance); at the default, 1, it answers 429 beyond 2, as Azure does.`,
        ].join(" ")
      : "Through the local endpoint: not measured (see below).";
    return [
      `The azureml-examples model-1 sample (\`POST /score\`, two rows), its context written by AzureMLDeploy's writeDockerContext; ${CONCURRENCY} keep-alive clients in a second process on loopback, ${WARMUP_SECONDS} s warm-up then ${SECONDS} s measured; median of ${rounds} rounds. ${cpus().length} cores shared by the server, the load generator and whatever else runs on the machine (1-minute load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} during the runs).`,
      "",
      markdownTable(["served by", "requests/s", "p50 (ms)", "p99 (ms)", `requests in ${SECONDS} s`], rows),
      "",
      `gunicorn / development server: **${ratio.toFixed(2)}×** requests per second (goal ≥ ${GOAL_RATIO}×: ${ratio >= GOAL_RATIO ? "met" : "**not met**"}); gunicorn's p99 **${ms(served.p99)} ms** (goal < ${GOAL_P99_MS} ms at ${CONCURRENCY} concurrent: ${served.p99 < GOAL_P99_MS ? "met" : "**not met**"}).`,
      "",
      endpointLine,
      ...(notes.length ? ["", ...notes.map((note) => `- ${note}`)] : []),
    ].join("\n");
  } finally {
    for (const target of all) await target.tearDown?.();
    rmSync(workDir, { recursive: true, force: true });
  }
}
