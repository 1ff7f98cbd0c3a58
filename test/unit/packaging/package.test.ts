import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { projectRoot, taskFolders } from "./project";
import { listZip, ZipEntry } from "./zip";

// The bundle: index.js (the handler's target) loads index.mjs, which loads its chunks on demand;
// assets/ holds files a task uses as they are (AzureMLDeploy's scoring app).
const SHIPPED_TASK_FILE = /^(task\.json|icon\.png|index\.js|index\.mjs|chunks\/[\w-]+\.mjs|assets\/(?:[\w-]+\/)*[\w-]+\.(?:py|txt|json))$/;
const REQUIRED_TASK_FILES = ["icon.png", "index.js", "index.mjs", "task.json"];
const PACKAGE_FILES = ["[Content_Types].xml", "extension.vsixmanifest", "extension.vsomanifest", "overview.md", "LICENSE"];
const MAX_VSIX_BYTES = 5 * 1024 * 1024;

function runNode(script: string, ...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [join(projectRoot, script), ...args], { cwd: projectRoot, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

// The bundle is built by `npm test` before mocha; run alone, this test builds what it lacks, or
// what no longer matches the task's sources.
function buildIsCurrent(task: string): boolean {
  const built = join(projectRoot, "build", "tasks", task);
  if (!REQUIRED_TASK_FILES.every((file) => existsSync(join(built, file)))) return false;
  return ["task.json", "icon.png"].every((file) => readFileSync(join(built, file)).equals(readFileSync(join(projectRoot, "tasks", task, file))));
}

describe("npm run package (scripts/package.mjs)", function () {
  this.timeout(60_000);
  const tasks = taskFolders();
  let outDir: string;
  let packaging: { status: number | null; output: string };
  let vsixBytes: number;
  let entries: ZipEntry[];

  before(() => {
    if (!tasks.every(buildIsCurrent)) {
      const bundling = runNode("scripts/bundle.mjs");
      assert.equal(bundling.status, 0, `bundling failed:\n${bundling.output}`);
    }
    outDir = mkdtempSync(join(tmpdir(), "vsix-"));
    packaging = runNode("scripts/package.mjs", "--out", outDir);
    const vsixFiles = readdirSync(outDir).filter((name) => name.endsWith(".vsix"));
    assert.equal(packaging.status, 0, `package.mjs failed:\n${packaging.output}`);
    assert.equal(vsixFiles.length, 1, `expected one .vsix, found ${vsixFiles.join(", ")}`);
    const vsix = join(outDir, vsixFiles[0]);
    vsixBytes = statSync(vsix).size;
    entries = listZip(readFileSync(vsix)).filter((entry) => !entry.name.endsWith("/"));
  });

  after(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it("runs tfx without a warning", () => {
    assert.doesNotMatch(packaging.output, /warning/i);
  });

  it("ships per task exactly task.json, icon.png, the bundle (index.js, index.mjs, chunks/) and its assets/", () => {
    for (const task of tasks) {
      const files = entries.filter((entry) => entry.name.startsWith(`${task}/`)).map((entry) => entry.name.slice(task.length + 1));
      assert.deepEqual(
        files.filter((file) => !SHIPPED_TASK_FILE.test(file)),
        [],
        task,
      );
      for (const required of REQUIRED_TASK_FILES) assert.ok(files.includes(required), `${task}/${required} missing`);
      const built = readdirSync(join(projectRoot, "build", "tasks", task, "chunks"));
      assert.deepEqual(files.filter((file) => file.startsWith("chunks/")).sort(), built.map((file) => `chunks/${file}`).sort(), `${task}: every chunk ships`);
      const assets = join(projectRoot, "tasks", task, "assets");
      const sourceAssets = existsSync(assets)
        ? readdirSync(assets, { recursive: true, withFileTypes: true })
            .filter((entry) => entry.isFile() && !/__pycache__|\.pyc$/.test(join(entry.parentPath, entry.name)))
            .map((entry) => `assets/${relative(assets, join(entry.parentPath, entry.name)).split(sep).join("/")}`)
        : [];
      assert.deepEqual(files.filter((file) => file.startsWith("assets/")).sort(), sourceAssets.sort(), `${task}: every asset ships`);
    }
  });

  it("ships nothing else: no node_modules, sources, maps or tests", () => {
    const unexpected = entries
      .map((entry) => entry.name)
      .filter((name) => !PACKAGE_FILES.includes(name) && !name.startsWith("images/") && !tasks.includes(name.split("/")[0]));
    assert.deepEqual(unexpected, []);
    assert.deepEqual(
      entries.filter((entry) => /node_modules\/|\.ts$|\.map$|\.test\.js$/.test(entry.name)),
      [],
    );
  });

  it("stays under 5 MB", () => {
    assert.ok(vsixBytes < MAX_VSIX_BYTES, `${vsixBytes} bytes`);
  });
});
