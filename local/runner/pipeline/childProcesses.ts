import { ChildProcess, spawn, SpawnOptions } from "node:child_process";

/*
 * Script processes run in their own process group, so that a timeout, a cancel or the end of
 * the run stops the script and everything it started. Every group is remembered until the job
 * ends: like the agent, the runner then ends what a script left running in the background, and
 * `stopAll` ends everything left however the run ends.
 */

const groups = new Set<number>();
const graceMs = 3000;

export function spawnGroup(command: string, args: string[], options: SpawnOptions): ChildProcess {
  const child = spawn(command, args, { ...options, detached: process.platform !== "win32" });
  if (child.pid !== undefined) groups.add(child.pid);
  return child;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(process.platform === "win32" ? pid : -pid, signal);
  } catch {
    // Already gone.
  }
}

/** SIGTERM to the group, SIGKILL if it is still there after a grace period. */
export function stopGroup(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  signalGroup(pid, "SIGTERM");
  const timer = setTimeout(() => signalGroup(pid, "SIGKILL"), graceMs);
  timer.unref();
}

/** Ends every group started so far, at once (SIGKILL): at the end of a job, and of the run. */
export function stopAll(): void {
  for (const pid of groups) signalGroup(pid, "SIGKILL");
  groups.clear();
}
