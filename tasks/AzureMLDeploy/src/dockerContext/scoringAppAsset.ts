import * as fs from "node:fs";
import * as path from "node:path";

/*
 * The scoring app ships beside the task: the bundle copies tasks/AzureMLDeploy/assets/ into
 * build/tasks/AzureMLDeploy/assets/ (scripts/bundle.mjs). The running module is either the bundle
 * (build/tasks/AzureMLDeploy/index.mjs or one of its chunks/) or, in tests, tsc's output
 * (out/tasks/AzureMLDeploy/src/dockerContext/), so the app is found by walking up from the
 * module's folder: a task folder's assets/, or, from out/, the repository's own.
 */

const appInAssets = path.join("assets", "scoring-app", "app.py");
const appInRepository = path.join("tasks", "AzureMLDeploy", appInAssets);

/** The scoring app's app.py, walking up from `start`; throws when the task was packaged without it. */
export function findScoringApp(start: string = __dirname): string {
  let folder = path.resolve(start);
  for (;;) {
    for (const candidate of [path.join(folder, appInAssets), path.join(folder, appInRepository)]) {
      if (fs.existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  throw new Error(`The scoring app (${appInAssets}) is missing beside the task's code in ${start}: the task was built without its assets.`);
}
