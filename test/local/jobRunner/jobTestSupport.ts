import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { JobRun, JobStatus } from "../../../local/azure/services/machinelearning/jobRunner/jobRun";
import { choosePython, LocalPython } from "../../../local/azure/services/machinelearning/jobRunner/pythonRuntime";

const projectRoot = path.join(__dirname, "..", "..", "..", "..");

/** The training fixtures (train.py, fail.py, slow.py). */
export const trainingFixtures = path.join(projectRoot, "test", "fixtures", "training");

export function temporaryFolder(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** The Python jobs get; fails (never skips) when it cannot train, saying how to fix the machine. */
export function pythonWithSklearn(): LocalPython {
  const python = choosePython();
  if (!python.hasSklearn) {
    throw new Error(
      `The job engine's Python (${python.executable}) has no scikit-learn: run 'apt-get update && apt-get install -y python3-sklearn python3-pandas' (as .ci/run does).`,
    );
  }
  return python;
}

/** Every status a job goes through, in order, from the moment this is called. */
export function recordStatuses(run: JobRun): JobStatus[] {
  const statuses: JobStatus[] = [run.status];
  run.on("status", (event) => statuses.push(event.status));
  return statuses;
}

/** Resolves with the first log line matching `pattern`. */
export function firstLogLine(run: JobRun, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const listener = (event: { text: string }): void => {
      if (!pattern.test(event.text)) return;
      run.off("log", listener);
      resolve(event.text);
    };
    run.on("log", listener);
  });
}

function processState(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0], pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a live process (a zombie waiting to be reaped counts as gone). */
export function isAlive(pid: number): boolean {
  const found = processState(pid);
  return found !== undefined && found.state !== "Z";
}

/** The live processes of process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  return fs
    .readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      const found = processState(pid);
      return found !== undefined && found.pgrp === pgid && found.state !== "Z";
    });
}
