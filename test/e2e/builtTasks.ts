import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.resolve(__dirname, "../../..");

/** The folder of a built task (build/tasks/<Task>); bundles the tasks when it is missing. */
export function ensureTaskBuilt(task: string): string {
  const directory = path.join(root, "build", "tasks", task);
  if (!fs.existsSync(path.join(directory, "index.mjs"))) {
    const bundling = spawnSync(process.execPath, [path.join(root, "scripts", "bundle.mjs")], { cwd: root, encoding: "utf8" });
    if (bundling.status !== 0) throw new Error(`bundling failed:\n${bundling.stdout}${bundling.stderr}`);
  }
  return directory;
}
