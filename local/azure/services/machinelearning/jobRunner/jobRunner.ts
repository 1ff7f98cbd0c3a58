import { CommandJobSpec, JobHooks, JobRun } from "./jobRun";
import { choosePython, LocalPython } from "./pythonRuntime";

export interface JobRunnerOptions {
  /** The folder under which each job gets its own folder. */
  workDir: string;
  /** An interpreter for jobs (else LOCAL_AZURE_PYTHON, else found). */
  python?: string;
  env?: NodeJS.ProcessEnv;
  /** How long SIGTERM has before SIGKILL on cancel, timeout and stopAll (default 5000 ms). */
  killGraceMs?: number;
}

/** The local Azure's job engine: runs command jobs, and ends them all when the local Azure stops. */
export class JobRunner {
  private readonly runs = new Map<string, JobRun>();
  private python: LocalPython | undefined;

  constructor(private readonly options: JobRunnerOptions) {}

  /** Starts job `spec.name`; refused while a job of the same name has not ended. */
  submit(spec: CommandJobSpec, hooks: JobHooks = {}): JobRun {
    const existing = this.runs.get(spec.name);
    if (existing && !existing.isTerminal) throw new Error(`Job '${spec.name}' is already running.`);
    const run = new JobRun(spec, hooks, { workDir: this.options.workDir, python: () => this.localPython(), killGraceMs: this.options.killGraceMs });
    this.runs.set(spec.name, run);
    run.start();
    return run;
  }

  get(name: string): JobRun | undefined {
    return this.runs.get(name);
  }

  list(): JobRun[] {
    return [...this.runs.values()];
  }

  /** Cancels job `name`; false when there is no such job or it already ended. */
  cancel(name: string): boolean {
    return this.runs.get(name)?.cancel() ?? false;
  }

  /** Cancels every job that has not ended and waits until each has (no process outlives this). */
  async stopAll(): Promise<void> {
    const active = this.list().filter((run) => !run.isTerminal);
    for (const run of active) run.cancel();
    await Promise.all(active.map((run) => run.wait()));
  }

  private localPython(): LocalPython {
    this.python ??= choosePython({ python: this.options.python, env: this.options.env });
    return this.python;
  }
}
