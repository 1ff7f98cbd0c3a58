import * as assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pngSize } from "./png";
import { projectRoot, readJson, readTaskJson, taskFolders } from "./project";

interface ExtensionManifest {
  manifestVersion: number;
  id: string;
  publisher: string;
  version: string;
  name: string;
  description: string;
  categories: string[];
  targets: { id: string }[];
  icons: { default: string };
  content: { details: { path: string } };
  files: { path: string; addressable?: boolean }[];
  contributions: { id: string; type: string; targets: string[]; properties: { name: string } }[];
}

const TASK_CONTRIBUTION = "ms.vss-distributed-task.task";
const readBytes = (relativePath: string) => readFileSync(join(projectRoot, relativePath));

describe("vss-extension.json", () => {
  const manifest = readJson<ExtensionManifest>("vss-extension.json");
  const tasks = taskFolders();
  const taskContributions = manifest.contributions.filter((contribution) => contribution.type === TASK_CONTRIBUTION);

  it("identifies the extension", () => {
    assert.equal(manifest.manifestVersion, 1);
    assert.equal(manifest.id, "azureml-devops-tasks");
    assert.match(manifest.publisher, /^[A-Za-z0-9][A-Za-z0-9-]*$/);
    assert.match(manifest.version, /^\d+\.\d+\.\d+$/);
    assert.ok(manifest.name.trim() && manifest.description.trim());
    assert.ok(manifest.categories.includes("Azure Pipelines"));
    assert.deepEqual(manifest.targets, [{ id: "Microsoft.VisualStudio.Services" }]);
  });

  it("has one task contribution per task folder, named after the folder", () => {
    assert.deepEqual(taskContributions.map((contribution) => contribution.properties.name).sort(), tasks);
    for (const contribution of taskContributions) {
      assert.deepEqual(contribution.targets, ["ms.vss-distributed-task.tasks"], contribution.id);
    }
    const ids = manifest.contributions.map((contribution) => contribution.id);
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
      "duplicate contribution ids",
    );
  });

  it("ships a folder per task and only files that exist besides", () => {
    const paths = manifest.files.map((file) => file.path);
    assert.deepEqual(paths.filter((path) => tasks.includes(path)).sort(), tasks);
    // Task folders are staged from build/tasks by scripts/package.mjs; the rest comes from the root.
    for (const path of paths.filter((path) => !tasks.includes(path))) {
      assert.ok(existsSync(join(projectRoot, path)), `${path} does not exist`);
    }
  });

  it("has a 128×128 PNG extension icon", () => {
    assert.deepEqual(pngSize(readBytes(manifest.icons.default)), { width: 128, height: 128 });
  });

  it("gives every task a 32×32 PNG icon", () => {
    for (const task of tasks) {
      assert.deepEqual(pngSize(readBytes(join("tasks", task, "icon.png"))), { width: 32, height: 32 }, task);
    }
  });
});

describe("overview.md (the marketplace page)", () => {
  const overview = readFileSync(join(projectRoot, "overview.md"), "utf8");
  const shipped = taskFolders().map((task) => `${task}@${readTaskJson(task).version.Major}`);

  it("is the manifest's details page", () => {
    assert.equal(readJson<ExtensionManifest>("vss-extension.json").content.details.path, "overview.md");
  });

  it("presents every task the extension ships, and no other", () => {
    const mentioned = new Set([...overview.matchAll(/\b([A-Z][A-Za-z0-9]*)@(\d+)\b/g)].map((match) => match[0]));
    assert.deepEqual([...mentioned].sort(), [...shipped].sort());
  });
});
