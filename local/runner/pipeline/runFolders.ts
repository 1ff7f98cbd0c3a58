import * as fs from "node:fs";
import * as path from "node:path";

/*
 * A run's folder: each job's work folders (as the agent lays out _work/<n>: a, b, TestResults,
 * its temp folder), each task step's own temp folder (task-lib keeps its vault key there), the
 * artifacts, the step logs, and the local Azure's state when the run starts one.
 */

export interface JobFolders {
  workspace: string;
  artifactStaging: string;
  binaries: string;
  testResults: string;
  temp: string;
}

export class RunFolders {
  private jobs = 0;
  private temps = 0;

  constructor(readonly root: string) {
    fs.mkdirSync(root, { recursive: true });
  }

  get artifacts(): string {
    return path.join(this.root, "artifacts");
  }

  get localAzureState(): string {
    return path.join(this.root, "local-azure");
  }

  job(): JobFolders {
    const workspace = path.join(this.root, "work", String(++this.jobs));
    const folders = {
      workspace,
      artifactStaging: path.join(workspace, "a"),
      binaries: path.join(workspace, "b"),
      testResults: path.join(workspace, "TestResults"),
      temp: path.join(workspace, "_temp"),
    };
    for (const folder of Object.values(folders)) fs.mkdirSync(folder, { recursive: true });
    return folders;
  }

  /** A fresh Agent.TempDirectory for one task step. */
  stepTemp(job: JobFolders): string {
    const folder = path.join(job.temp, `step-${++this.temps}`);
    fs.mkdirSync(folder, { recursive: true });
    return folder;
  }

  /** Where a step's log is written: logs/<stage>/<job>/<nn>-<step>.log. */
  stepLog(stage: string, job: string, index: number, step: string): string {
    const folder = path.join(this.root, "logs", stage, job);
    fs.mkdirSync(folder, { recursive: true });
    return path.join(folder, `${String(index).padStart(2, "0")}-${step}.log`);
  }
}
