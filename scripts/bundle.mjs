// One self-contained CommonJS bundle per task: build/tasks/<Task>/{index.js,task.json,icon.png}.
// That folder is exactly what the .vsix ships for the task.
import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tasksDir = join(root, "tasks");
const outRoot = join(root, "build", "tasks");

export function taskNames() {
  return readdirSync(tasksDir).filter((name) => existsSync(join(tasksDir, name, "task.json")));
}

async function bundleTask(name) {
  const outDir = join(outRoot, name);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(tasksDir, name, "src", "index.ts")],
    outfile: join(outDir, "index.js"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    legalComments: "none",
    logLevel: "warning",
    // Some Azure SDK dependencies call createRequire(import.meta.url), which a CommonJS bundle
    // leaves undefined; give it the bundle's own URL.
    banner: { js: "const __bundleUrl = require('url').pathToFileURL(__filename).href;" },
    define: { "import.meta.url": "__bundleUrl" },
  });
  copyFileSync(join(tasksDir, name, "task.json"), join(outDir, "task.json"));
  if (existsSync(join(tasksDir, name, "icon.png"))) {
    copyFileSync(join(tasksDir, name, "icon.png"), join(outDir, "icon.png"));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const name of taskNames()) await bundleTask(name);
}
