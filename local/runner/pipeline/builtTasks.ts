import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/*
 * A task runs from its built folder (build/tasks/<Name>, what the extension ships). The runner
 * bundles the tasks first when a built folder is missing or older than the task's sources or
 * the shared code, so that a pipeline always runs the code in the working tree.
 */

function newestChange(folder: string): number {
  if (!fs.existsSync(folder)) return 0;
  let newest = 0;
  for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export function builtTaskDirectory(repositoryRoot: string, taskName: string): string {
  return path.join(repositoryRoot, "build", "tasks", taskName);
}

/** Whether any of the tasks needs bundling before it can run. */
export function tasksNeedBundling(repositoryRoot: string, sourceDirectories: Array<{ name: string; sourceDirectory: string }>): boolean {
  const shared = newestChange(path.join(repositoryRoot, "tasks", "common", "src"));
  return sourceDirectories.some(({ name, sourceDirectory }) => {
    const bundle = path.join(builtTaskDirectory(repositoryRoot, name), "index.mjs");
    if (!fs.existsSync(bundle)) return true;
    const built = fs.statSync(bundle).mtimeMs;
    return Math.max(shared, newestChange(path.join(sourceDirectory, "src")), fs.statSync(path.join(sourceDirectory, "task.json")).mtimeMs) > built;
  });
}

/** Runs scripts/bundle.mjs (every task); throws with its output when it fails. */
export function bundleTasks(repositoryRoot: string): void {
  const bundling = spawnSync(process.execPath, [path.join(repositoryRoot, "scripts", "bundle.mjs")], { cwd: repositoryRoot, encoding: "utf8" });
  if (bundling.status !== 0) throw new Error(`bundling the tasks failed:\n${bundling.stdout}${bundling.stderr}`);
}
