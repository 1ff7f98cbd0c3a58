import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/**
 * The job folder every task bed gives its task: the sources, the agent's temp folder (task-lib
 * keeps its vault key there, the task its run summaries) and the in-memory Azure's state files.
 */
export class TaskBedFolder {
  readonly workDir: string;

  protected constructor(prefix: string) {
    // Real path: the tasks resolve output paths through symbolic links (/tmp may be one).
    this.workDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    fs.mkdirSync(path.join(this.workDir, "agent-temp"));
  }

  remove(): void {
    fs.rmSync(this.workDir, { recursive: true, force: true });
  }

  /** Writes a file of the job's sources and returns its path. */
  write(relative: string, content: string | Buffer): string {
    const file = path.join(this.workDir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  }

  /** The markdown summaries the task attached to the run, by the name it gave them (`azureml-deploy-…`). */
  protected summariesNamed(prefix: string): string[] {
    const folder = path.join(this.workDir, "agent-temp");
    return fs
      .readdirSync(folder)
      .filter((name) => name.startsWith(prefix) && name.endsWith(".md"))
      .map((name) => fs.readFileSync(path.join(folder, name), "utf8"));
  }
}

/** Reads a state file of the in-memory Azure, lets `change` edit it, and writes it back. */
export function changeStateFile<T>(file: string, read: (file: string) => T, change: (state: T) => void): void {
  const state = read(file);
  change(state);
  fs.writeFileSync(file, JSON.stringify(state, null, 2));
}
