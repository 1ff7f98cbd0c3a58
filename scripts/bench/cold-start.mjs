// Cold start of every task: process start to its first `##[section]` line, which a task prints
// right after reading its settings. The bundle that ships (build/tasks/<Task>/index.js) and the
// unbundled tsc output (out/tasks/<Task>/src/index.js) are measured side by side with a bare
// `node -e 0`, in alternating rounds, so that machine noise touches all of them alike. The
// bundle loads the Azure SDK chunks only after that line, so the figure is the cost of
// starting Node, task-lib and reading the inputs.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { taskNames } from "../bundle.mjs";
import { markdownTable, ms } from "./markdown.mjs";
import { median, timeToExit, timeToLine } from "./measure.mjs";
import { TASK_BENCH_ENV } from "./task-env.mjs";

const BUDGET_RATIO = 2; // DESIGN §5: a bundled task starts within 2× a bare `node -e 0`.
const SECTION_LINE = "##[section]";

/** The agent's environment for a task: ours, minus any inputs or connections of its own. */
function agentEnv(workDir, taskEnv) {
  const inherited = Object.entries(process.env).filter(([name]) => !/^(INPUT|ENDPOINT|SECUREFILE)_/i.test(name));
  return {
    ...Object.fromEntries(inherited),
    AGENT_TEMPDIRECTORY: workDir,
    SYSTEM_DEFAULTWORKINGDIRECTORY: workDir,
    ...taskEnv,
  };
}

// kind: "baseline" (node -e 0) or "start" (a task to its section line).
function subjectsToMeasure(root, workDir) {
  const subjects = [{ label: "`node -e 0`", kind: "baseline", measure: () => timeToExit(["-e", "0"]) }];
  const skipped = [];
  for (const task of taskNames()) {
    const taskEnv = TASK_BENCH_ENV[task];
    if (!taskEnv) {
      skipped.push(`${task}: no inputs in scripts/bench/task-env.mjs`);
      continue;
    }
    const env = agentEnv(workDir, taskEnv);
    const bundle = join(root, "build", "tasks", task, "index.js");
    const unbundled = join(root, "out", "tasks", task, "src", "index.js");
    if (existsSync(bundle)) {
      subjects.push({ label: `${task}, bundled`, kind: "start", budgeted: true, measure: () => timeToLine(bundle, env, SECTION_LINE) });
    } else {
      skipped.push(`${task}, bundled: ${relative(root, bundle)} does not exist (run \`npm run build\`)`);
    }
    if (existsSync(unbundled)) {
      subjects.push({ label: `${task}, unbundled (tsc output)`, kind: "start", measure: () => timeToLine(unbundled, env, SECTION_LINE) });
    } else {
      skipped.push(`${task}, unbundled: ${relative(root, unbundled)} does not exist (run \`npm run build\`)`);
    }
  }
  return { subjects, skipped };
}

function row(subject, baseline) {
  if (subject.error) return [subject.label, "failed", "", "", "", "see below"];
  const typical = median(subject.samples);
  const figures = [subject.label, ms(typical), ms(Math.min(...subject.samples)), ms(Math.max(...subject.samples))];
  const ratio = typical / baseline;
  const budget = subject.budgeted ? `≤ ${BUDGET_RATIO}×: ${ratio <= BUDGET_RATIO ? "met" : "**exceeded**"}` : "";
  return [...figures, `${ratio.toFixed(2)}×`, budget];
}

export async function coldStart({ root, runs }) {
  const workDir = mkdtempSync(join(tmpdir(), "bench-agent-"));
  try {
    const { subjects, skipped } = subjectsToMeasure(root, workDir);
    // Round 0 warms the file cache and is not counted; a subject that fails once is dropped.
    for (let round = 0; round <= runs; round++) {
      for (const subject of subjects.filter((s) => !s.error)) {
        try {
          const elapsed = await subject.measure();
          if (round > 0) (subject.samples ??= []).push(elapsed);
        } catch (error) {
          subject.error = error;
        }
      }
    }
    const [baseline] = subjects;
    if (baseline.error) throw baseline.error;
    const notes = [
      ...subjects.filter((s) => s.error).map((s) => `- ${s.label} failed: ${s.error.message.replaceAll("\n", "\n  ")}`),
      ...skipped.map((reason) => `- not measured: ${reason}`),
    ];
    return [
      `Process start to the first \`${SECTION_LINE}\` line (for \`node -e 0\`: to exit); median, min and max of ${runs} runs, ms.`,
      "",
      markdownTable(
        ["what", "median", "min", "max", "vs node -e 0", "budget"],
        subjects.map((s) => row(s, median(baseline.samples))),
      ),
      ...(notes.length ? ["", ...notes] : []),
    ].join("\n");
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
