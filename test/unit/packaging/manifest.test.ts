import * as assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as yaml from "js-yaml";
import { describeErrors, pipelineValidator } from "../pipelines/pipelineSchema";
import { pngSize } from "./png";
import { projectRoot, readJson, readTaskJson, taskExists, taskFolders, TASKS_IN_PROGRESS } from "./project";

interface ExtensionManifest {
  manifestVersion: number;
  id: string;
  publisher: string;
  version: string;
  name: string;
  description: string;
  public: boolean;
  galleryFlags?: string[];
  categories: string[];
  tags: string[];
  targets: { id: string }[];
  icons: { default: string };
  branding: { color: string; theme: string };
  content: { details: { path: string }; license: { path: string } };
  screenshots: { path: string }[];
  links: Record<string, { uri: string }>;
  repository: { type: string; uri: string };
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

describe("the Marketplace listing (vss-extension.json)", () => {
  const manifest = readJson<ExtensionManifest>("vss-extension.json");
  const repository = "https://github.com/azureml-devops/azureml-devops-tasks";

  it("stays private until the publisher decides (README, Versioning and publishing)", () => {
    assert.equal(manifest.public, false);
    for (const flag of manifest.galleryFlags ?? []) assert.ok(["Free", "Paid", "Preview"].includes(flag), `galleryFlags: ${flag}`);
  });

  it("has a description the Marketplace takes (under 200 characters), tags and the Azure Pipelines category", () => {
    assert.ok(manifest.description.length < 200, `${manifest.description.length} characters`);
    assert.deepEqual(manifest.categories, ["Azure Pipelines"]);
    assert.ok(manifest.tags.length >= 5 && manifest.tags.length <= 10, `${manifest.tags.length} tags`);
    assert.deepEqual(
      manifest.tags.filter((tag, i) => manifest.tags.findIndex((other) => other.toLowerCase() === tag.toLowerCase()) !== i),
      [],
      "duplicate tags",
    );
  });

  it("links the repository, its issues, how to start and the licence", () => {
    for (const link of ["repository", "issues", "support", "getstarted", "license"]) {
      assert.ok(manifest.links[link]?.uri.startsWith(repository), `links.${link}`);
    }
    assert.equal(manifest.links.license.uri, `${repository}/blob/main/LICENSE`);
    assert.deepEqual(manifest.repository, { type: "git", uri: repository });
  });

  it("brands the page with a colour tfx can read and a theme", () => {
    assert.match(manifest.branding.color, /^#[0-9a-f]{6}$/i);
    assert.ok(["dark", "light"].includes(manifest.branding.theme));
  });

  it("ships the MIT licence that package.json declares", () => {
    assert.equal(readJson<{ license: string }>("package.json").license, "MIT");
    assert.equal(manifest.content.license.path, "LICENSE");
    assert.match(readFileSync(join(projectRoot, "LICENSE"), "utf8"), /^MIT License\n\nCopyright \(c\) \d{4} /);
  });

  it("shows screenshots of 1366×768 under 300 KB from the shipped images/ folder", () => {
    assert.ok(manifest.screenshots.length > 0);
    for (const { path } of manifest.screenshots) {
      assert.ok(path.startsWith("images/"), `${path} ships with images/`);
      const bytes = readBytes(path);
      assert.deepEqual(pngSize(bytes), { width: 1366, height: 768 }, path);
      assert.ok(bytes.length < 300 * 1024, `${path}: ${bytes.length} bytes`);
    }
  });
});

describe("overview.md (the marketplace page)", () => {
  const overview = readFileSync(join(projectRoot, "overview.md"), "utf8");
  const shipped = taskFolders().map((task) => `${task}@${readTaskJson(task).version.Major}`);
  const inProgress = TASKS_IN_PROGRESS.filter((task) => !taskExists(task));

  it("is the manifest's details page", () => {
    assert.equal(readJson<ExtensionManifest>("vss-extension.json").content.details.path, "overview.md");
  });

  it("presents every task the extension ships, and no other (tasks still in progress aside)", () => {
    const mentioned = new Set([...overview.matchAll(/\b([A-Z][A-Za-z0-9]*)@(\d+)\b/g)].map((match) => match[0]));
    for (const task of inProgress) {
      console.warn(`      (overview.md presents ${task}@1, whose task folder is not there yet: TASKS_IN_PROGRESS)`);
    }
    assert.deepEqual([...mentioned].sort(), [...shipped, ...inProgress.map((task) => `${task}@1`)].sort());
  });

  it("lists as in progress only tasks whose folder does not exist yet", () => {
    assert.deepEqual(
      TASKS_IN_PROGRESS.filter((task) => taskExists(task)),
      [],
      "these tasks have landed: remove them from TASKS_IN_PROGRESS in test/unit/packaging/project.ts",
    );
  });

  it("shows the picture of a run that the manifest lists", () => {
    const images = [...overview.matchAll(/!\[[^\]]+\]\(([^)]+)\)/g)].map((match) => match[1]);
    const manifest = readJson<ExtensionManifest>("vss-extension.json");
    assert.ok(images.length > 0, "no image");
    for (const image of images) assert.ok(existsSync(join(projectRoot, image)), `${image} exists`);
    assert.ok(
      manifest.screenshots.some((screenshot) => images.includes(screenshot.path)),
      "the screenshot is shown",
    );
  });

  describe("its pipeline to copy", () => {
    const excerpt = /```yaml\n([\s\S]*?)```/.exec(overview)?.[1] ?? "";
    const document = yaml.load(excerpt, { schema: yaml.FAILSAFE_SCHEMA }) as { variables: unknown; steps: { task: string; inputs: Record<string, string> }[] };
    const ready = document.steps.filter((step) => !inProgress.includes(step.task.split("@")[0]));

    it("is valid under the official schema (our tasks added from their task.json)", () => {
      const validate = pipelineValidator();
      const checked = { ...document, steps: ready };
      assert.ok(validate(checked), describeErrors(validate));
    });

    it("is the starter project's own steps: each task step is one of pipelines/templates/steps/, input for input", () => {
      const templatesDir = join(projectRoot, "pipelines", "templates", "steps");
      const starterSteps = readdirSync(templatesDir).flatMap(
        (file) =>
          (
            yaml.load(readFileSync(join(templatesDir, file), "utf8"), { schema: yaml.FAILSAFE_SCHEMA }) as {
              steps: { task?: string; inputs?: Record<string, string> }[];
            }
          ).steps,
      );
      const withoutConnection = (inputs: Record<string, string> = {}) =>
        Object.fromEntries(Object.entries(inputs).filter(([name]) => name !== "azureSubscription"));
      assert.equal(document.steps.length, 4);
      for (const step of document.steps) {
        assert.ok(
          starterSteps.some(
            (starter) => starter.task === step.task && JSON.stringify(withoutConnection(starter.inputs)) === JSON.stringify(withoutConnection(step.inputs)),
          ),
          `${step.task} with ${JSON.stringify(step.inputs)} is in pipelines/templates/steps/`,
        );
      }
    });
  });
});
