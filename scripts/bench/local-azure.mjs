// The local Azure (DESIGN §3) and the AzureMLWorkspace task on it: start-up time of the emulator
// (process start to connection.json written), its resident memory with its Azurite, and the
// task's wall time, ARM call count and peak memory for a first run and an idempotent re-run.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { admin, runBuiltTask, startEmulator } from "./local-azure-process.mjs";
import { markdownTable, ms } from "./markdown.mjs";
import { median } from "./measure.mjs";

const MEMORY_BUDGET_MIB = 400; // DESIGN §5: the local Azure with its Azurite.
const TASK_MEMORY_BUDGET_MIB = 150; // DESIGN §5: a task's peak memory.
const PROVISIONING_SECONDS = 1; // how long each emulated long-running operation takes

/** Resident memory of a process and all its descendants, from /proc, in MiB. */
function treeResidentMiB(rootPid) {
  const parents = new Map();
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) for (const [pid, parent] of parents) if (parent === tree[i]) tree.push(pid);
  let kib = 0;
  for (const pid of tree) {
    try {
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kib / 1024;
}

async function runTask(root, emulator, namespace, workDir) {
  await admin(emulator, "DELETE", "requests");
  const { wallMs, peakMiB } = await runBuiltTask(root, emulator, {
    task: "AzureMLWorkspace",
    inputs: { createResourceGroup: "true", computeClusters: "- name: cpu-cluster\n  max_instances: 2" },
    variables: { NAMESPACE: namespace, RESOURCE_GROUP: `rg-${namespace}`, LOCATION: "westeurope" },
    workDir,
  });
  const requests = await admin(emulator, "GET", "requests");
  return { wallMs, armCalls: requests.filter((entry) => entry.target === "arm").length, peakMiB };
}

export async function localAzure({ root, runs }) {
  const startRuns = Math.min(runs, 5);
  const taskRuns = Math.min(runs, 3);
  const startups = [];
  const workDir = mkdtempSync(join(tmpdir(), "bench-local-azure-"));
  let emulator;
  try {
    // Fresh state each time: the CA, keys and principals are made, as on a first start.
    for (let i = 0; i < startRuns; i++) {
      const started = await startEmulator(root, join(workDir, `state-${i}`), PROVISIONING_SECONDS);
      startups.push(started.startupMs);
      if (i < startRuns - 1) await started.stop();
      else emulator = started;
    }
    const first = [];
    const again = [];
    for (let i = 0; i < taskRuns; i++) {
      const namespace = `bench${String(i).padStart(2, "0")}`;
      first.push(await runTask(root, emulator, namespace, workDir));
      again.push(await runTask(root, emulator, namespace, workDir));
    }
    const residentMiB = treeResidentMiB(emulator.child.pid);
    const violations = await admin(emulator, "GET", "violations");

    const taskRow = (label, figures) => [
      label,
      ms(median(figures.map((f) => f.wallMs))),
      String(median(figures.map((f) => f.armCalls))),
      `${median(figures.map((f) => f.peakMiB)).toFixed(1)} MiB`,
      `< ${TASK_MEMORY_BUDGET_MIB} MiB: ${figures.every((f) => f.peakMiB < TASK_MEMORY_BUDGET_MIB) ? "met" : "**exceeded**"}`,
    ];
    return [
      `Start-up: process start to connection.json written, fresh state, median of ${startRuns}: **${ms(median(startups))} ms** (min ${ms(Math.min(...startups))}, max ${ms(Math.max(...startups))}).`,
      "",
      `Resident memory of the local Azure with its Azurite after the runs below: **${residentMiB.toFixed(0)} MiB** (budget < ${MEMORY_BUDGET_MIB} MiB: ${residentMiB < MEMORY_BUDGET_MIB ? "met" : "**exceeded**"}). Swagger violations recorded: ${violations.length}.`,
      "",
      `AzureMLWorkspace, service principal with a secret, one cluster; emulated long-running operations take ${PROVISIONING_SECONDS} s; median of ${taskRuns} namespaces:`,
      "",
      markdownTable(
        ["run", "wall time (ms)", "ARM calls", "peak memory", "budget"],
        [taskRow("first (creates 8 resources)", first), taskRow("re-run (changes nothing)", again)],
      ),
    ].join("\n");
  } finally {
    await emulator?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
