import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { projectRoot } from "../packaging/project";

/**
 * A small project of its own for scripts/version.mjs to work on (`--root`): two tasks sharing
 * tasks/common/src, a manifest, a lock file with one production and one dev package, and the
 * real bundle script (part of every fingerprint).
 */
export class VersionProject {
  readonly root = mkdtempSync(join(tmpdir(), "version-project-"));

  constructor(readonly tasks: string[] = ["TaskOne", "TaskTwo"]) {
    this.write("vss-extension.json", `{\n  "manifestVersion": 1,\n  "id": "x",\n  "version": "1.0.0",\n  "contributions": []\n}\n`);
    this.write(
      "package-lock.json",
      JSON.stringify({
        lockfileVersion: 3,
        packages: { "": {}, "node_modules/shipped": { version: "1.0.0" }, "node_modules/tooling": { version: "2.0.0", dev: true } },
      }),
    );
    cpSync(join(projectRoot, "scripts", "bundle.mjs"), join(this.root, "scripts", "bundle.mjs"));
    this.write("tasks/common/src/shared.ts", "export const shared = 1;\n");
    tasks.forEach((task, index) => {
      this.write(`tasks/${task}/task.json`, taskJson(task, index));
      this.write(`tasks/${task}/src/index.ts`, `import { shared } from "../../common/src/shared";\nconsole.log(shared);\n`);
      this.write(`tasks/${task}/icon.png`, Buffer.from([0x89, 0x50, 0x4e, 0x47, index]));
    });
  }

  write(relativePath: string, content: string | Buffer): void {
    mkdirSync(dirname(join(this.root, relativePath)), { recursive: true });
    writeFileSync(join(this.root, relativePath), content);
  }

  read(relativePath: string): string {
    return readFileSync(join(this.root, relativePath), "utf8");
  }

  /** Runs scripts/version.mjs (the repository's own) on this project. */
  version(...args: string[]): { status: number | null; output: string } {
    const result = spawnSync(process.execPath, [join(projectRoot, "scripts", "version.mjs"), "--root", this.root, ...args], { encoding: "utf8" });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  git(...args: string[]): void {
    const result = spawnSync("git", ["-C", this.root, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", ...args], {
      encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  }

  taskVersion(task: string): string {
    const { version } = JSON.parse(this.read(`tasks/${task}/task.json`)) as { version: { Major: number; Minor: number; Patch: number } };
    return `${version.Major}.${version.Minor}.${version.Patch}`;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

function taskJson(task: string, index: number): string {
  return `{
  "id": "00000000-0000-4000-8000-00000000000${index}",
  "name": "${task}",
  "visibility": ["Build", "Release"],
  "version": {
    "Major": 1,
    "Minor": 0,
    "Patch": 0
  },
  "instanceNameFormat": "${task}",
  "inputs": [{ "name": "a", "type": "string", "label": "A", "helpMarkDown": "The first." }]
}
`;
}
