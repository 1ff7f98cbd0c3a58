// Packs the extension into one .vsix with tfx-cli, offline.
//
// Stages exactly what ships into build/extension/ — the manifest, what it points at (icon,
// overview page, images/) and, per task, only task.json, icon.png and the bundle (index.js,
// index.mjs and its chunks/) from build/tasks/<Task>/ — then runs `tfx extension create` on that folder. vss-extension.json
// therefore describes the staged layout: a task's `files` path is its folder name, which is also
// where tfx looks for the task.json of the contribution with that `properties.name`. (Mapping
// build/tasks/<Task> to <Task> with `packagePath` instead makes tfx 0.23 warn that the
// contribution has no task.json: it checks <root>/<properties.name>, not the package paths.)
//
// Usage: node scripts/package.mjs [--out dir (default dist/)] [--publisher id] [--version x.y.z]
// Fails (exit 1) when a task is not built, the manifest and tasks/ disagree, or tfx prints a
// warning; old .vsix files in the output folder are removed so exactly one remains.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { shippedTaskFiles, taskNames } from "./bundle.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const stageDir = join(root, "build", "extension");

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

function taskContributionNames(manifest) {
  return (manifest.contributions ?? [])
    .filter((contribution) => contribution.type === "ms.vss-distributed-task.task")
    .map((contribution) => contribution.properties?.name);
}

// A task folder the manifest forgets would silently not ship; a contribution without a folder
// would ship a task the agent cannot run.
function checkManifestMatchesTasks(manifest, tasks) {
  const contributed = taskContributionNames(manifest);
  const filePaths = (manifest.files ?? []).map((file) => file.path);
  const problems = [
    ...tasks.filter((task) => !contributed.includes(task)).map((task) => `tasks/${task} has no task contribution`),
    ...tasks.filter((task) => !filePaths.includes(task)).map((task) => `tasks/${task} has no "files" entry`),
    ...contributed.filter((name) => !tasks.includes(name)).map((name) => `contribution "${name}" has no tasks/${name}/task.json`),
  ];
  if (problems.length > 0) fail(`vss-extension.json does not match tasks/: ${problems.join("; ")}`);
}

function stage(manifest, tasks) {
  rmSync(stageDir, { recursive: true, force: true });
  mkdirSync(stageDir, { recursive: true });
  const fromRoot = [
    "vss-extension.json",
    ...Object.values(manifest.icons ?? {}),
    ...Object.values(manifest.content ?? {}).map((item) => item.path),
    ...(manifest.files ?? []).map((file) => file.path).filter((path) => !tasks.includes(path)),
  ];
  for (const path of new Set(fromRoot)) {
    if (!existsSync(join(root, path))) fail(`vss-extension.json refers to ${path}, which does not exist`);
    cpSync(join(root, path), join(stageDir, path), { recursive: true });
  }
  for (const task of tasks) {
    const built = join(root, "build", "tasks", task);
    if (!existsSync(join(built, "index.js"))) fail(`${relative(root, built)} is not built: run \`npm run build\` first`);
    let files;
    try {
      files = shippedTaskFiles(task);
    } catch (error) {
      fail(error.message);
    }
    for (const file of files) cpSync(join(built, file), join(stageDir, task, file));
  }
}

function runTfx(vsixPath, overrides) {
  const require = createRequire(import.meta.url);
  const tfxPackage = require.resolve("tfx-cli/package.json");
  const tfx = join(dirname(tfxPackage), JSON.parse(readFileSync(tfxPackage, "utf8")).bin.tfx);
  const args = [tfx, "extension", "create", "--root", stageDir, "--manifests", "vss-extension.json"];
  if (Object.keys(overrides).length > 0) args.push("--override", JSON.stringify(overrides));
  args.push("--output-path", vsixPath, "--no-prompt", "--no-color");
  const result = spawnSync(process.execPath, args, { cwd: stageDir, encoding: "utf8" });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  process.stdout.write(output);
  let problem;
  if (result.status !== 0) problem = `tfx extension create exited with ${result.status ?? result.signal}`;
  else if (/warning/i.test(output)) problem = "tfx printed a warning (above); the package must build without one";
  if (problem) {
    // A .vsix that tfx wrote despite a warning must not pass for a good one.
    rmSync(vsixPath, { force: true });
    fail(problem);
  }
}

const { values: options } = parseArgs({
  options: { out: { type: "string", default: join(root, "dist") }, publisher: { type: "string" }, version: { type: "string" } },
});
const manifest = JSON.parse(readFileSync(join(root, "vss-extension.json"), "utf8"));
const tasks = taskNames();
checkManifestMatchesTasks(manifest, tasks);
stage(manifest, tasks);

// --publisher and --version change the .vsix only, not vss-extension.json. A task's own version
// (task.json) is separate: agents cache tasks by it, so a changed task needs a higher one too.
const overrides = {};
if (options.publisher) overrides.publisher = options.publisher;
if (options.version) overrides.version = options.version;
const identity = { ...manifest, ...overrides };
const outDir = resolve(options.out);
mkdirSync(outDir, { recursive: true });
for (const old of readdirSync(outDir).filter((name) => name.endsWith(".vsix"))) rmSync(join(outDir, old));
const vsixPath = join(outDir, `${identity.publisher}.${identity.id}-${identity.version}.vsix`);
runTfx(vsixPath, overrides);

const vsixFiles = readdirSync(outDir).filter((name) => name.endsWith(".vsix"));
if (vsixFiles.length !== 1 || !existsSync(vsixPath)) fail(`expected one .vsix in ${outDir}, found: ${vsixFiles.join(", ") || "none"}`);
const bytes = statSync(vsixPath).size;
console.log(`${relative(process.cwd(), vsixPath)}: ${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes)`);
