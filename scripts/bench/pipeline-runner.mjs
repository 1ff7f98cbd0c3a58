// The local pipeline runner's own cost (DESIGN §3): the same task process (AzureMLWorkspace,
// stopping at its settings, before any Azure call) run directly with runTaskStep, and as the
// steps of a pipeline run by the runner. A one-step and a five-step pipeline separate what a run
// costs once (compiling, checking, folders, the table) from what each step adds (conditions,
// variables, its temp folder, macros, reading its commands back, its log), in alternating rounds
// so that machine noise touches both alike.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { markdownTable, ms } from "./markdown.mjs";
import { median } from "./measure.mjs";

const require = createRequire(import.meta.url);
const LONG_STEPS = 5;
// An input the task refuses when it reads its settings: the process runs its start-up, task-lib
// and settings, and ends before reaching Azure, the same way on both paths.
const INPUTS = { azureSubscription: "bench-connection", computeClusters: "- name: [unclosed" };
const VARIABLES = { ENVIRONMENT: "DEV", NAMESPACE: "bench01", RESOURCE_GROUP: "rg-bench" };

function connectionFile(folder) {
  const file = join(folder, "connection.json");
  const connection = {
    kind: "azure",
    armUrl: "https://127.0.0.1:9",
    authorityUrl: "https://127.0.0.1:9/tenant",
    tenantId: "00000000-0000-0000-0000-000000000000",
    subscriptionId: "00000000-0000-0000-0000-000000000001",
    servicePrincipals: [
      {
        name: "bench",
        role: "Contributor",
        scope: "/",
        scopeLevel: "Subscription",
        clientId: "11111111-1111-1111-1111-111111111111",
        clientSecret: "bench-secret",
      },
    ],
  };
  writeFileSync(file, JSON.stringify(connection));
  return file;
}

function pipelineFile(folder, steps) {
  const step = [
    "  - task: AzureMLWorkspace@1",
    "    continueOnError: true",
    "    inputs:",
    ...Object.entries(INPUTS).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`),
  ];
  const lines = ["variables:", ...Object.entries(VARIABLES).map(([k, v]) => `  ${k}: ${v}`), "steps:"];
  for (let i = 0; i < steps; i++) lines.push(...step);
  const file = join(folder, `steps-${steps}.yml`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

export async function pipelineRunner({ root, runs }) {
  const { runPipeline } = require(join(root, "out", "local", "runner", "pipeline", "pipelineRun.js"));
  const { runTaskStep } = require(join(root, "out", "local", "runner", "taskProcess.js"));
  const { agentServiceConnection } = require(join(root, "out", "local", "runner", "serviceConnections.js"));
  const { readConnectionFile } = require(join(root, "out", "local", "azure", "index.js"));
  const folder = mkdtempSync(join(tmpdir(), "bench-runner-"));
  try {
    const connection = connectionFile(folder);
    const service = agentServiceConnection(readConnectionFile(connection), "secret", "bench-id");
    const direct = async () => {
      const temp = join(folder, "direct-temp");
      mkdirSync(temp, { recursive: true });
      const started = performance.now();
      await runTaskStep({
        taskDirectory: join(root, "build", "tasks", "AzureMLWorkspace"),
        inputs: { ...INPUTS, azureSubscription: service.connectionId },
        variables: { ...VARIABLES, "System.DefaultWorkingDirectory": folder, "Agent.TempDirectory": temp },
        endpoints: service.endpoints,
      });
      return performance.now() - started;
    };
    const throughRunner = (steps) => {
      const file = pipelineFile(folder, steps);
      return async () => {
        const started = performance.now();
        await runPipeline({ file, connectionFile: connection, sourcesDirectory: folder, write: () => undefined });
        return performance.now() - started;
      };
    };
    const subjects = [
      { label: "the task process, with runTaskStep", measure: direct, samples: [] },
      { label: "a pipeline of 1 step, with the runner", measure: throughRunner(1), samples: [] },
      { label: `a pipeline of ${LONG_STEPS} steps, with the runner`, measure: throughRunner(LONG_STEPS), samples: [] },
    ];
    // Round 0 warms the file cache and is not counted.
    for (let round = 0; round <= runs; round++) {
      for (const subject of subjects) {
        const elapsed = await subject.measure();
        if (round > 0) subject.samples.push(elapsed);
      }
    }
    const [task, one, many] = subjects.map((subject) => median(subject.samples));
    const perStep = (many - one) / (LONG_STEPS - 1);
    const rows = subjects.map((subject) => [subject.label, ms(median(subject.samples)), ms(Math.min(...subject.samples)), ms(Math.max(...subject.samples))]);
    return [
      markdownTable(["run", "median ms", "min ms", "max ms"], rows),
      "",
      `Each step in the runner: ${ms(perStep)} ms, the task process ${ms(task)} ms of it; the runner's own part, ` +
        (perStep - task >= 1 ? `${ms(perStep - task)} ms.` : "under 1 ms, within the noise of the process's start."),
      `Once per run (compile, check, folders, table): ${ms(one - perStep)} ms.`,
    ].join("\n");
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
