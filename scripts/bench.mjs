// `npm run bench`: the performance figures of DESIGN §5, printed as Markdown on stdout (progress
// goes to stderr), ready to paste into a note. Budgets are reported here, never asserted in tests.
//
// Usage: node scripts/bench.mjs [--runs N]   (N: timed runs per figure, default 10, or BENCH_RUNS)
//
// Each section is a module in scripts/bench/ exporting `async ({ root, runs }) => markdown`.
// A new figure is a new entry in SECTIONS.
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { coldStart } from "./bench/cold-start.mjs";
import { localAzure } from "./bench/local-azure.mjs";
import { packageSize } from "./bench/package-size.mjs";
import { pipelineRunner } from "./bench/pipeline-runner.mjs";
import { scoringApp } from "./bench/scoring-app.mjs";
import { starterDemo } from "./bench/starter-demo.mjs";
import { trainJobs } from "./bench/train-jobs.mjs";

const SECTIONS = [
  { title: "Cold start", run: coldStart },
  { title: "Package", run: packageSize },
  { title: "Local Azure and AzureMLWorkspace on it", run: localAzure },
  { title: "AzureMLTrain on the local Azure: code upload, log latency, calls while waiting", run: trainJobs },
  { title: "The pipeline runner's overhead per step", run: pipelineRunner },
  { title: "Scoring app: gunicorn as its Dockerfile serves it, Flask's development server, and the local online endpoint", run: scoringApp },
  { title: "`npm run demo`: the Dev stage by phase, the training itself, and the deploy step's phases", run: starterDemo },
];

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values: options } = parseArgs({ options: { runs: { type: "string", default: process.env.BENCH_RUNS ?? "10" } } });
const runs = Number(options.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive whole number, not ${options.runs}`);

console.log(`# Bench\n\nNode ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${runs} runs per figure.`);
for (const { title, run } of SECTIONS) {
  console.error(`bench: ${title}…`);
  console.log(`\n## ${title}\n\n${await run({ root, runs })}`);
}
