import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repositoryRoot } from "../../../../local/azure/paths";
import { PipelineRunOptions, runPipeline } from "../../../../local/runner/pipeline/pipelineRun";
import { JobRecord, RunSummary, StepRecord } from "../../../../local/runner/pipeline/runRecords";

export const fixtures = path.join(repositoryRoot(), "test", "fixtures", "pipelines");

export interface FixtureRun {
  summary: RunSummary;
  /** Everything the run printed, one line each. */
  lines: string[];
  output: string;
  /** The sources folder the run used (a fresh one each run). */
  sources: string;
}

/** Runs a pipeline with a fresh sources folder and run folder (both removed after), capturing what it prints. */
export async function runFixture(file: string, options: Partial<PipelineRunOptions> = {}): Promise<FixtureRun> {
  const sources = options.sourcesDirectory ?? fs.mkdtempSync(path.join(os.tmpdir(), "pipeline-sources-"));
  const lines: string[] = [];
  try {
    const summary = await runPipeline({
      ...options,
      file: path.isAbsolute(file) ? file : path.join(fixtures, file),
      sourcesDirectory: sources,
      write: (line) => {
        lines.push(line);
        options.write?.(line);
      },
    });
    return { summary, lines, output: lines.join("\n"), sources };
  } finally {
    if (!options.sourcesDirectory) fs.rmSync(sources, { recursive: true, force: true });
  }
}

/** Writes a pipeline (and any templates) into a temporary folder; returns the pipeline's path. */
export function writePipeline(files: Record<string, string>): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "pipeline-inline-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  }
  return path.join(folder, Object.keys(files)[0]);
}

export function removePipeline(file: string): void {
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

export function job(summary: RunSummary, stage: string, name: string): JobRecord {
  const found = summary.stages.find((record) => record.name === stage)?.jobs.find((record) => record.name === name);
  if (!found) throw new Error(`no job ${stage}.${name} in the run`);
  return found;
}

export function step(summary: RunSummary, stage: string, jobName: string, name: string): StepRecord {
  const found = job(summary, stage, jobName).steps.find((record) => record.name === name);
  if (!found) throw new Error(`no step ${name} in ${stage}.${jobName}`);
  return found;
}

/** The lines a step printed between its header and its result line. */
export function stepOutput(run: FixtureRun, displayName: string): string[] {
  const start = run.lines.findIndex((line) => /^▶ Step \d+\/\d+: /.test(line) && line.endsWith(`: ${displayName}`));
  if (start < 0) throw new Error(`no step '${displayName}' in:\n${run.output}`);
  const end = run.lines.findIndex((line, index) => index > start && /^. Step \d+\/\d+ \w+ \(/.test(line));
  return run.lines.slice(start + 1, end < 0 ? undefined : end);
}
