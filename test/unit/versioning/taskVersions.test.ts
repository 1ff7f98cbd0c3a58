import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { projectRoot } from "../packaging/project";
import { VersionProject } from "./versionProject";

// Agents cache a task by its version: a task whose sources changed under an unchanged version
// would never reach an agent that ran it once. tasks/task-versions.json records, per task, the
// version and the fingerprint of its sources; scripts/version.mjs keeps both (README,
// "Versioning and publishing").

describe("task versions (scripts/version.mjs, tasks/task-versions.json)", function () {
  this.timeout(60_000);

  it("this repository: every task's sources match the fingerprint recorded for its version", () => {
    const result = spawnSync(process.execPath, [join(projectRoot, "scripts", "version.mjs"), "--check"], { cwd: projectRoot, encoding: "utf8" });
    // The check's own message names each task and the exact command that mends it.
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
  });

  describe("on a project of its own", () => {
    let project: VersionProject;
    beforeEach(() => {
      project = new VersionProject();
      assert.equal(project.version("--record").status, 0);
    });
    afterEach(() => project.remove());

    const expectFailure = (args: string[], ...patterns: RegExp[]) => {
      const result = project.version(...args);
      assert.equal(result.status, 1, result.output);
      for (const pattern of patterns) assert.match(result.output, pattern);
      return result.output;
    };

    it("passes the check right after recording, and recording again changes no byte", () => {
      const recorded = project.read("tasks/task-versions.json");
      assert.equal(project.version("--check").status, 0);
      const again = project.version("--record");
      assert.equal(again.status, 0);
      assert.match(again.output, /already current/);
      assert.equal(project.read("tasks/task-versions.json"), recorded);
    });

    it("fails when a task's sources changed but its version did not, with the command to run", () => {
      project.write("tasks/TaskOne/src/index.ts", "console.log(2);\n");
      const output = expectFailure(
        ["--check"],
        /tasks\/TaskOne changed since its version 1\.0\.0 was recorded, but its version did not/,
        /`npm run bump -- patch`/,
      );
      assert.doesNotMatch(output, /TaskTwo/);
    });

    it("counts tasks/common/src, task.json's content, icon.png, assets/, the bundle script and production dependencies", () => {
      const changes: [string, () => void, string[]][] = [
        ["common source", () => project.write("tasks/common/src/shared.ts", "export const shared = 2;\n"), ["TaskOne", "TaskTwo"]],
        [
          "help text",
          () => project.write("tasks/TaskTwo/task.json", project.read("tasks/TaskTwo/task.json").replace("The first.", "The first one.")),
          ["TaskTwo"],
        ],
        ["icon", () => project.write("tasks/TaskOne/icon.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 9])), ["TaskOne"]],
        ["a new asset", () => project.write("tasks/TaskTwo/assets/template.txt", "x"), ["TaskTwo"]],
        ["bundle script", () => project.write("scripts/bundle.mjs", `${project.read("scripts/bundle.mjs")}\n// changed\n`), ["TaskOne", "TaskTwo"]],
        [
          "production dependency",
          () => project.write("package-lock.json", project.read("package-lock.json").replace('"1.0.0"', '"1.0.1"')),
          ["TaskOne", "TaskTwo"],
        ],
      ];
      for (const [what, change, changedTasks] of changes) {
        const before = new Map(["vss-extension.json", "package-lock.json", "scripts/bundle.mjs"].map((file) => [file, project.read(file)]));
        change();
        const output = expectFailure(["--check"]);
        for (const task of ["TaskOne", "TaskTwo"]) {
          assert.equal(output.includes(`tasks/${task} changed`), changedTasks.includes(task), `${what}: ${task} in\n${output}`);
        }
        // Back to a recorded state for the next change.
        for (const [file, text] of before) project.write(file, text);
        assert.equal(project.version("--record").status, 0);
      }
    });

    it("ignores what does not ship or does not change the task: formatting and version of task.json, CRLF line ends, dev dependencies", () => {
      const taskJson = project.read("tasks/TaskOne/task.json");
      project.write("tasks/TaskOne/task.json", JSON.stringify(JSON.parse(taskJson)));
      project.write("tasks/TaskOne/src/index.ts", project.read("tasks/TaskOne/src/index.ts").replace(/\n/g, "\r\n"));
      project.write("package-lock.json", project.read("package-lock.json").replace('"2.0.0"', '"2.1.0"'));
      project.write("README.md", "changed");
      assert.equal(project.version("--check").status, 0);
    });

    it("fails for a task that has no record, naming --record", () => {
      const newcomer = new VersionProject(["TaskOne", "TaskTwo", "TaskThree"]);
      try {
        newcomer.write("tasks/task-versions.json", project.read("tasks/task-versions.json"));
        const result = newcomer.version("--check");
        assert.equal(result.status, 1);
        assert.match(result.output, /tasks\/TaskThree has no record in tasks\/task-versions\.json: run `npm run bump -- --record`/);
        assert.equal(newcomer.version("--record").status, 0);
        assert.equal(newcomer.version("--check").status, 0);
      } finally {
        newcomer.remove();
      }
    });

    it("bumps the extension and every task together, editing only the numbers, and records them", () => {
      project.write("tasks/TaskOne/src/index.ts", "console.log(3);\n");
      const before = project.read("tasks/TaskTwo/task.json");
      const result = project.version("patch");
      assert.equal(result.status, 0, result.output);
      assert.deepEqual([project.taskVersion("TaskOne"), project.taskVersion("TaskTwo")], ["1.0.1", "1.0.1"]);
      assert.equal((JSON.parse(project.read("vss-extension.json")) as { version: string }).version, "1.0.1");
      assert.equal(project.read("tasks/TaskTwo/task.json"), before.replace('"Patch": 0', '"Patch": 1'));
      assert.equal(project.version("--check").status, 0);

      assert.equal(project.version("minor").status, 0);
      assert.equal(project.taskVersion("TaskOne"), "1.1.0");
      // A task's Major is the @1 of every pipeline that uses it: a major bump of the extension leaves it.
      assert.equal(project.version("major").status, 0);
      assert.equal((JSON.parse(project.read("vss-extension.json")) as { version: string }).version, "2.0.0");
      assert.equal(project.taskVersion("TaskOne"), "1.2.0");
      assert.equal(project.version("--check").status, 0);
    });

    it("refuses a version lower than the one recorded, in the check, --record and a bump", () => {
      project.write("tasks/TaskOne/task.json", project.read("tasks/TaskOne/task.json").replace('"Minor": 0', '"Minor": 1'));
      assert.equal(project.version("--record").status, 0);
      project.write("tasks/TaskOne/task.json", project.read("tasks/TaskOne/task.json").replace('"Minor": 1', '"Minor": 0'));
      for (const args of [["--check"], ["--record"], ["patch"]]) {
        expectFailure(args, /tasks\/TaskOne\/task\.json is at version 1\.0\.0, lower than the 1\.1\.0 recorded/);
      }
    });

    it("asks for --record when a version was raised by hand", () => {
      project.write("tasks/TaskTwo/task.json", project.read("tasks/TaskTwo/task.json").replace('"Patch": 0', '"Patch": 5'));
      expectFailure(
        ["--check"],
        /tasks\/TaskTwo\/task\.json is at version 1\.0\.5 but tasks\/task-versions\.json records 1\.0\.0: run `npm run bump -- --record`/,
      );
      assert.equal(project.version("--record").status, 0);
      assert.equal(project.version("--check").status, 0);
    });

    it("re-records a changed task only while its version is unreleased (no v* tag records it)", () => {
      project.write("tasks/TaskOne/src/index.ts", "console.log(4);\n");
      expectFailure(["--check"], /was never released/);
      assert.equal(project.version("--record").status, 0);

      project.git("init", "--quiet");
      project.git("add", "--all");
      project.git("commit", "--quiet", "-m", "release");
      project.git("tag", "v1.0.0");
      project.write("tasks/TaskOne/src/index.ts", "console.log(5);\n");
      const output = expectFailure(
        ["--record"],
        /tasks\/TaskOne changed since version 1\.0\.0 was released \(tag v1\.0\.0\), but its version did not/,
        /`npm run bump -- patch`/,
      );
      assert.doesNotMatch(output, /never released/);
      assert.equal(project.version("patch").status, 0);
      assert.equal(project.version("--check").status, 0);
    });

    it("--check --tag passes only for the tag of vss-extension.json's version", () => {
      assert.equal(project.version("--check", "--tag", "v1.0.0").status, 0);
      expectFailure(["--check", "--tag", "v1.0.1"], /the tag 'v1\.0\.1' does not name vss-extension\.json's version 1\.0\.0/);
    });

    it("refuses an unknown level or mixed modes with its usage", () => {
      expectFailure(["huge"], /'huge' is not a level: patch, minor or major/);
      expectFailure(["patch", "--check"], /usage: npm run bump/);
      expectFailure(["--record", "--tag", "v1.0.0"], /usage: npm run bump/);
    });
  });
});
