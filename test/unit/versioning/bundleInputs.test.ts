import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { projectRoot, taskFolders } from "../packaging/project";

// A task's fingerprint (scripts/versioning/fingerprint.mjs) hashes tasks/<Task>/src,
// tasks/common/src, tasks/<Task>/assets and the production dependencies of package-lock.json.
// It is honest only while the bundle takes nothing from anywhere else: esbuild's own list of
// the files it read, with scripts/bundle.mjs's own options, says so.

interface LockFile {
  packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
}

/** The package-lock key of the package a bundled node_modules file belongs to (the longest that holds it). */
/** The files esbuild reads to bundle the task, relative to the project root, asked of bundle.mjs's own options. */
function bundleInputs(task: string): string[] {
  const script = `
    import { build } from "esbuild";
    import { bundleOptions } from ${JSON.stringify(pathToFileURL(join(projectRoot, "scripts", "bundle.mjs")).href)};
    const options = { ...bundleOptions(${JSON.stringify(task)}, "unused"), absWorkingDir: process.cwd(), write: false, metafile: true, logLevel: "silent" };
    const result = await build(options);
    process.stdout.write(JSON.stringify(Object.keys(result.metafile.inputs)));`;
  const result = spawnSync(process.execPath, ["--input-type=module", "--eval", script], { cwd: projectRoot, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`esbuild failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as string[];
}

function lockEntryOf(file: string, keys: string[]): string | undefined {
  const inModules = file.slice(file.indexOf("node_modules/"));
  return keys.filter((key) => inModules.startsWith(`${key}/`)).sort((a, b) => b.length - a.length)[0];
}

describe("what goes into each task's bundle is what its fingerprint hashes", function () {
  this.timeout(60_000);
  const lock = JSON.parse(readFileSync(join(projectRoot, "package-lock.json"), "utf8")) as LockFile;
  const lockKeys = Object.keys(lock.packages).filter((key) => key.startsWith("node_modules/"));

  for (const task of taskFolders()) {
    it(task, () => {
      const inputs = bundleInputs(task);
      const fromModules = inputs.filter((file) => file.includes("node_modules/"));
      const own = inputs.filter((file) => !file.includes("node_modules/"));
      assert.ok(own.length > 0 && fromModules.length > 0, `esbuild listed ${inputs.length} inputs`);
      const fingerprinted = [`tasks/${task}/src/`, "tasks/common/src/", `tasks/${task}/assets/`];
      assert.deepEqual(
        own.filter((file) => !fingerprinted.some((folder) => file.startsWith(folder))),
        [],
        "bundled project files outside the fingerprinted folders",
      );
      const packages = [...new Set(fromModules.map((file) => lockEntryOf(file, lockKeys) ?? `(not in package-lock.json) ${file}`))];
      assert.deepEqual(
        packages.filter((key) => !lock.packages[key] || lock.packages[key].dev || lock.packages[key].devOptional),
        [],
        "bundled packages that are not production dependencies",
      );
    });
  }
});
