// The third serving target of scoring-app.mjs (issue 8, Performance): the same model-1 sample
// through a real online endpoint of the local Azure, scored at its HTTPS scoring URI with its key.
// Set up once, the cheapest faithful way: the emulator as `npm run local-azure` runs it (its own
// process), the workspace and the deployment made by client processes with the Azure SDK, as the
// local tests make them (test/local/clients/provisionWorkspace.ts, and endpoint-client.mjs on
// test/local/clients/onlineSupport.ts). The endpoint serves with the local Azure's own scoring
// process (the task's scoring app under `python app.py`) behind its HTTPS front end, which checks
// the key, routes by traffic, enforces the deployment's concurrency limit and forwards.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { startEmulator } from "./local-azure-process.mjs";

const PROVISIONING_SECONDS = 1;
const WORKSPACE_SUFFIX = "bench";
const ENDPOINT_NAME = "bench-model-1";
const CLIENT_TIMEOUT_MS = 300_000;

/** A client program run as the tests run theirs: its own node process with the environment connection.json asks for; resolves with its RESULT. */
function runClientProcess(root, emulator, script, args) {
  const require = createRequire(import.meta.url);
  const { clientProcessEnvironment } = require(join(root, "out", "local", "azure", "index.js"));
  const { hostEnvironment } = require(join(root, "out", "local", "runner", "agentEnvironment.js"));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, join(emulator.stateDir, "connection.json"), ...args], {
      env: clientProcessEnvironment(emulator.connection, hostEnvironment()),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text) => (stderr += text));
    const timer = setTimeout(() => child.kill("SIGKILL"), CLIENT_TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((candidate) => candidate.startsWith("RESULT:"));
      if (code !== 0 || !line) return reject(new Error(`${script} exited with ${code ?? signal}:\n${stderr.trim().split("\n").slice(-10).join("\n")}`));
      resolve(JSON.parse(line.slice("RESULT:".length)));
    });
  });
}

/**
 * The target: `setUp` starts the local Azure and deploys (once, before the rounds), `start` hands
 * out the endpoint as it serves (its scoring URI less /score, the key as a bearer header, the
 * emulator's CA), `tearDown` stops the local Azure and with it every process it started.
 * `concurrency` is the load's: the deployment's max_concurrent_requests_per_instance is the least
 * with which the endpoint admits that many requests in flight (2 × it × 1 instance, as Azure).
 */
export function localEndpointTarget(root, { concurrency }) {
  const maxConcurrent = Math.ceil(concurrency / 2);
  let emulator;
  let served;
  return {
    key: "endpoint",
    label: `the local online endpoint: its HTTPS scoring URI, key auth, in front of \`python app.py\` (max_concurrent_requests_per_instance: ${maxConcurrent})`,
    maxConcurrent,
    async setUp({ workDir }) {
      const started = performance.now();
      emulator = await startEmulator(root, join(workDir, "local-azure"), PROVISIONING_SECONDS);
      await runClientProcess(root, emulator, join(root, "out", "test", "local", "clients", "provisionWorkspace.js"), [WORKSPACE_SUFFIX]);
      const deployed = await runClientProcess(root, emulator, join(root, "scripts", "bench", "endpoint-client.mjs"), [
        WORKSPACE_SUFFIX,
        ENDPOINT_NAME,
        String(maxConcurrent),
      ]);
      if (deployed.provisioningState !== "Succeeded" || !deployed.scoringUri || !deployed.key)
        throw new Error(`the deployment is ${deployed.provisioningState}, with${deployed.scoringUri ? "" : "out"} a scoring URI`);
      served = {
        url: deployed.scoringUri.replace(/\/score$/, ""),
        headers: { authorization: `Bearer ${deployed.key}` },
        ca: emulator.ca.toString("utf8"),
      };
      return { setUpMs: performance.now() - started };
    },
    start() {
      if (!served) return Promise.reject(new Error("the local endpoint is not set up"));
      return Promise.resolve({ ...served, stop: () => Promise.resolve() });
    },
    async tearDown() {
      await emulator?.stop();
    },
  };
}
