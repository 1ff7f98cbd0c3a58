import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findScoringApp } from "../../../tasks/AzureMLDeploy/src/dockerContext/scoringAppAsset";

const projectRoot = path.join(__dirname, "..", "..", "..", "..");
const shipped = path.join(projectRoot, "tasks", "AzureMLDeploy", "assets", "scoring-app", "app.py");

describe("finding the scoring app beside the task's code", function () {
  this.timeout(60_000);

  it("finds the repository's assets from tsc's output (out/tasks/AzureMLDeploy/src/…)", () => {
    assert.equal(findScoringApp(), shipped);
    assert.match(__dirname, /[/\\]out[/\\]/);
  });

  it("finds the task folder's assets/ from the bundle's chunks, once scripts/bundle.mjs has copied them", () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "bundled-asset-"));
    try {
      const taskFolder = path.join(scratch, "AzureMLDeploy");
      const entry = path.join(projectRoot, "test", "unit", "dockerContext", "fixtures", "scoringAppEntry.ts");
      const script = [
        `import { bundleEntry, copyTaskAssets } from ${JSON.stringify(path.join(projectRoot, "scripts", "bundle.mjs"))};`,
        `await bundleEntry(${JSON.stringify(entry)}, ${JSON.stringify(taskFolder)});`,
        `copyTaskAssets("AzureMLDeploy", ${JSON.stringify(taskFolder)});`,
      ].join("\n");
      const bundling = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
      assert.equal(bundling.status, 0, bundling.stderr);
      assert.ok(fs.readdirSync(path.join(taskFolder, "chunks")).length > 0, "the lookup sits in a chunk");
      const run = spawnSync(process.execPath, [path.join(taskFolder, "index.js")], { encoding: "utf8" });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, path.join(taskFolder, "assets", "scoring-app", "app.py"));
      assert.equal(fs.readFileSync(run.stdout, "utf8"), fs.readFileSync(shipped, "utf8"));
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("says the task was built without its assets when there is none", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-assets-"));
    try {
      assert.throws(() => findScoringApp(empty), /The scoring app \(assets\/scoring-app\/app\.py\) is missing .*built without its assets/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
