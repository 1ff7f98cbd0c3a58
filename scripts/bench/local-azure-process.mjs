// The local Azure as the bench runs it, and a built task run on it as the agent runs it: shared
// by the sections that measure tasks against the emulator (local-azure.mjs, train-jobs.mjs).
// The emulator runs as `npm run local-azure` would run it: its own process, on 127.0.0.1.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import https from "node:https";
import { createRequire } from "node:module";
import { join } from "node:path";

export function sleep(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Starts the emulator with its state in `stateDir`; resolves once connection.json is written. */
export async function startEmulator(root, stateDir, provisioningSeconds) {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [join(root, "out", "local", "azure", "cli.js"), "--state-dir", stateDir, "--quiet", "--provisioning-seconds", String(provisioningSeconds)],
    {
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const connectionFile = join(stateDir, "connection.json");
  while (!existsSync(connectionFile)) {
    if (child.exitCode !== null) throw new Error(`the local Azure exited with ${child.exitCode}`);
    if (performance.now() - started > 60_000) throw new Error("the local Azure did not write connection.json within 60 s");
    await sleep(10);
  }
  const startupMs = performance.now() - started;
  const connection = JSON.parse(readFileSync(connectionFile, "utf8"));
  const ca = readFileSync(connection.caCertPath);
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", resolve);
      child.kill("SIGTERM");
    });
  return { child, stateDir, startupMs, connection, ca, stop };
}

/** The emulator's admin API, over its HTTPS with its own CA (this process did not start with it). */
export function admin({ connection, ca }, method, resource) {
  return new Promise((resolve, reject) => {
    const request = https.request(
      `${connection.admin.url.replace(/\/?$/, "/")}${resource}`,
      { method, ca, headers: { "x-local-azure-admin-token": connection.admin.token } },
      (response) => {
        let body = "";
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () =>
          response.statusCode >= 400
            ? reject(new Error(`${method} ${resource}: ${response.statusCode} ${body}`))
            : resolve(body ? JSON.parse(body) : undefined),
        );
      },
    );
    request.on("error", reject);
    request.end();
  });
}

/**
 * Runs a built task (build/tasks/<task>) on the emulator with a service principal and a secret,
 * its peak resident memory recorded by peak-memory.cjs. `onLine(line, receivedAtMs)` gets each
 * line of its output as the runner reads it (Date.now() clock, as the emulator's request log).
 * Resolves with the wall time, the peak memory (MiB) and the runner's result; a task that does
 * not succeed is an error with its message.
 */
export async function runBuiltTask(root, emulator, { task, inputs, variables, workDir, onLine }) {
  const require = createRequire(import.meta.url);
  const { agentServiceConnection, stepWithConnection } = require(join(root, "out", "local", "runner", "serviceConnections.js"));
  const { runTaskStep } = require(join(root, "out", "local", "runner", "taskProcess.js"));
  const memoryFile = join(workDir, `peak-${task}-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  const clientEnvironment = emulator.connection.clientEnvironment;
  const started = performance.now();
  const step = {
    taskDirectory: join(root, "build", "tasks", task),
    inputs,
    variables: { "System.DefaultWorkingDirectory": workDir, "Agent.TempDirectory": workDir, ...variables },
    environment: {
      NODE_OPTIONS: `${clientEnvironment.NODE_OPTIONS ?? ""} --require ${join(root, "scripts", "bench", "peak-memory.cjs")}`.trim(),
      BENCH_PEAK_MEMORY_FILE: memoryFile,
    },
    onLine: onLine && ((line) => onLine(line, Date.now())),
  };
  const result = await runTaskStep(stepWithConnection(step, emulator.connection, agentServiceConnection(emulator.connection, "secret")));
  const wallMs = performance.now() - started;
  if (result.result !== "Succeeded") throw new Error(`${task} failed: ${result.message}\n${result.log.split("\n").slice(-15).join("\n")}`);
  return { wallMs, peakMiB: Number(readFileSync(memoryFile, "utf8")) / 1024, result };
}
