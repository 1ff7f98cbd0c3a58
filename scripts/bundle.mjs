// Bundles each task into build/tasks/<Task>/, which is exactly what the .vsix ships for it:
// task.json, icon.png, index.js (the handler's target), the bundle it loads (index.mjs with its
// chunks/), and the task's assets/ as they are (AzureMLDeploy's scoring app, which the task
// copies into the Docker contexts it writes). The bundle is an ES module split at the task's dynamic imports, so the Azure
// SDKs (most of the code) are read and compiled only when the task reaches Azure, not while it
// reads and checks its inputs.
import { build } from "esbuild";
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tasksDir = join(root, "tasks");
const outRoot = join(root, "build", "tasks");

export function taskNames() {
  return readdirSync(tasksDir).filter((name) => existsSync(join(tasksDir, name, "task.json")));
}

/** What ships for a task, relative to its built folder: the one definition package and tests use. */
export const SHIPPED_TASK_FILE = /^(task\.json|icon\.png|index\.js|index\.mjs|chunks\/[\w-]+\.mjs|assets\/(?:[\w-]+\/)*[\w-]+\.(?:py|txt|json))$/;

/** Left behind in assets/ when an asset was run in place (python app.py): never shipped. */
const isBuildLeftover = (path) => ["__pycache__", ".pytest_cache"].includes(basename(path)) || path.endsWith(".pyc");

/** The files of a built task folder that ship, relative to it; throws if anything else is there. */
export function shippedTaskFiles(task) {
  const builtDir = join(outRoot, task);
  const files = readdirSync(builtDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name).slice(builtDir.length + 1));
  const stray = files.filter((file) => !SHIPPED_TASK_FILE.test(file));
  if (stray.length > 0) throw new Error(`build/tasks/${task} holds files that must not ship: ${stray.join(", ")}`);
  return files.sort();
}

// CommonJS dependencies inside an ES module bundle still call require() and read __dirname.
const esmBanner = [
  'import { createRequire as __bundleCreateRequire } from "node:module";',
  'import { fileURLToPath as __bundleFileURLToPath } from "node:url";',
  'import { dirname as __bundleDirname } from "node:path";',
  "const require = __bundleCreateRequire(import.meta.url);",
  "const __filename = __bundleFileURLToPath(import.meta.url);",
  "const __dirname = __bundleDirname(__filename);",
].join("\n");

// The agent runs task.json's target with node; a CommonJS file that loads the module bundle
// keeps that target a plain index.js, as every agent expects.
const handlerEntry = `"use strict";
import("./index.mjs").catch((error) => {
  console.log("##vso[task.complete result=Failed;]The task's code could not be loaded: " + (error && error.message));
  process.exitCode = 1;
});
`;

/** esbuild's options for one entry point bundled into `outDir`. */
function entryOptions(entryPoint, outDir) {
  return {
    entryPoints: { index: entryPoint },
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    minify: true,
    legalComments: "none",
    logLevel: "warning",
    banner: { js: esmBanner },
    // debug (under the Azure SDKs) tries require("supports-color") and does without it. Left to
    // esbuild, the bundle would take it from node_modules when a dev tool happens to have
    // installed it there, so the bundle would depend on dev dependencies.
    external: ["supports-color"],
  };
}

/** esbuild's options for one task (exported so that a test can ask esbuild which files the bundle reads). */
export function bundleOptions(name, outDir) {
  return entryOptions(join(tasksDir, name, "src", "index.ts"), outDir);
}

/** Bundles one entry point into `outDir` as a task's bundle: index.mjs, its chunks/ and the index.js that loads it. */
export async function bundleEntry(entryPoint, outDir) {
  await build(entryOptions(entryPoint, outDir));
  writeFileSync(join(outDir, "index.js"), handlerEntry);
}

/** Copies tasks/<Task>/assets/ (if any) into the built task folder, leaving out Python's caches. */
export function copyTaskAssets(name, outDir) {
  if (existsSync(join(tasksDir, name, "assets"))) {
    cpSync(join(tasksDir, name, "assets"), join(outDir, "assets"), { recursive: true, filter: (source) => !isBuildLeftover(source) });
  }
}

async function bundleTask(name) {
  const outDir = join(outRoot, name);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await bundleEntry(join(tasksDir, name, "src", "index.ts"), outDir);
  copyFileSync(join(tasksDir, name, "task.json"), join(outDir, "task.json"));
  if (existsSync(join(tasksDir, name, "icon.png"))) {
    copyFileSync(join(tasksDir, name, "icon.png"), join(outDir, "icon.png"));
  }
  copyTaskAssets(name, outDir);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const name of taskNames()) await bundleTask(name);
}
