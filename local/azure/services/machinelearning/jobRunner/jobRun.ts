import { EventEmitter } from "node:events";
import { ExpressionValues, JobInputValue, substituteCommand } from "./commandExpressions";
import { JobContext, jobEnvironment } from "./jobEnvironment";
import { exitFailure, JobError, preparationFailure, timeoutFailure } from "./jobFailure";
import { JobProcess, JobProcessResult } from "./jobProcess";
import { CollectedFile, collectArtifacts, collectOutput, createJobWorkspace, JobWorkspace, outputFolder, placeCode, placeInput } from "./jobWorkspace";
import { EnvironmentRecord, LocalPython, linkPythonBin, resolveEnvironment } from "./pythonRuntime";

/** Azure ML's JobStatus values this engine goes through. */
export type JobStatus = "NotStarted" | "Queued" | "Preparing" | "Running" | "Finalizing" | "CancelRequested" | "Completed" | "Failed" | "Canceled";

export const terminalStatuses: readonly JobStatus[] = ["Completed", "Failed", "Canceled"];

/** A declared input: a literal, or a data input whose local copy the prepare hook provides. */
export type JobInputSpec = { kind: "literal"; value: string | number | boolean } | { kind: "data" };

export interface CommandJobSpec {
  name: string;
  command: string;
  /** Declared inputs; undefined = an optional input left out. */
  inputs?: Record<string, JobInputSpec | undefined>;
  /** Declared named outputs (the `default` artifacts need no entry). */
  outputs?: string[];
  environmentVariables?: Record<string, string>;
  environment?: { reference?: string; image?: string; condaFile?: string };
  /** `limits.timeout` in seconds. */
  timeoutSeconds?: number;
  context?: JobContext;
}

/** What the caller fetched while the job was Preparing: local copies the engine puts in the job's folder. */
export interface PreparedJob {
  /** The downloaded code snapshot (a folder). */
  code?: string;
  /** Data input name → the downloaded file or folder. */
  data?: Record<string, string>;
}

/** What the caller stores while the job is Finalizing. */
export interface FinalizeRequest {
  workspace: JobWorkspace;
  /** `outputs/…`, `logs/…`, `user_logs/…` for the artifact store. */
  artifacts: CollectedFile[];
  /** Named output → its files (paths relative to the output's root). */
  outputs: Record<string, CollectedFile[]>;
}

export interface JobHooks {
  prepare?: (workspace: JobWorkspace) => Promise<PreparedJob>;
  finalize?: (request: FinalizeRequest) => Promise<void>;
}

export interface JobRunSnapshot {
  name: string;
  status: JobStatus;
  /** When the command started (Running). */
  startTime?: Date;
  endTime?: Date;
  error?: JobError;
  /** The command as run, expressions substituted. */
  command?: string;
  exitCode?: number | null;
  environment?: EnvironmentRecord;
  workspace?: JobWorkspace;
}

export interface JobStatusEvent {
  name: string;
  status: JobStatus;
  previous: JobStatus;
  time: Date;
}

export interface JobLogEvent {
  name: string;
  text: string;
  stream: "stdout" | "stderr";
}

interface JobRunEvents {
  status: [JobStatusEvent];
  log: [JobLogEvent];
}

export interface JobRunSettings {
  workDir: string;
  /** Chosen lazily; a throw fails the job with its sentence. */
  python: () => LocalPython;
  killGraceMs?: number;
}

/** One command job, from NotStarted to Completed, Failed or Canceled. Events: "status", "log". */
export class JobRun extends EventEmitter<JobRunEvents> {
  private state: JobRunSnapshot;
  private process: JobProcess | undefined;
  private cancelRequested = false;
  private readonly done: Promise<JobRunSnapshot>;
  private finish!: (snapshot: JobRunSnapshot) => void;

  constructor(
    readonly spec: CommandJobSpec,
    private readonly hooks: JobHooks,
    private readonly settings: JobRunSettings,
  ) {
    super();
    this.state = { name: spec.name, status: "NotStarted" };
    this.done = new Promise((resolve) => (this.finish = resolve));
  }

  get status(): JobStatus {
    return this.state.status;
  }

  /** The command's process group id while it runs (its shell's pid). */
  get pid(): number | undefined {
    return this.process?.pid;
  }

  get isTerminal(): boolean {
    return terminalStatuses.includes(this.state.status);
  }

  snapshot(): JobRunSnapshot {
    return { ...this.state };
  }

  /** Resolves with the final snapshot once the job is Completed, Failed or Canceled. */
  wait(): Promise<JobRunSnapshot> {
    return this.done;
  }

  /** Queues the job and runs it; returns at once (follow it with events or wait()). */
  start(): void {
    if (this.state.status !== "NotStarted") return;
    this.moveTo("Queued");
    void this.execute();
  }

  /** Asks the job to stop: the process tree is killed and the job ends Canceled. False when it already ended. */
  cancel(): boolean {
    if (this.isTerminal || this.state.status === "Finalizing") return false;
    if (this.cancelRequested) return true;
    this.cancelRequested = true;
    if (this.state.status !== "NotStarted") this.moveTo("CancelRequested");
    // Before the command starts there is nothing to kill: the job ends now, not when a download ends.
    if (this.process) this.process.cancel();
    else this.end("Canceled");
    return true;
  }

  private moveTo(status: JobStatus, extra: Partial<JobRunSnapshot> = {}): void {
    const previous = this.state.status;
    this.state = { ...this.state, ...extra, status };
    this.emit("status", { name: this.spec.name, status, previous, time: new Date() });
  }

  private end(status: "Completed" | "Failed" | "Canceled", error?: JobError): void {
    if (this.isTerminal) return;
    this.moveTo(status, { endTime: new Date(), ...(error ? { error } : {}) });
    this.finish(this.snapshot());
  }

  /** Moves on unless a cancel came in meanwhile (CancelRequested is kept until the job ends). */
  private advance(status: JobStatus, extra: Partial<JobRunSnapshot> = {}): void {
    if (this.cancelRequested) this.state = { ...this.state, ...extra };
    else this.moveTo(status, extra);
  }

  private async execute(): Promise<void> {
    let prepared: { workspace: JobWorkspace; command: string; env: Record<string, string>; python: LocalPython };
    // Queued is observable: submitters attach listeners after submit() returns.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.cancelRequested) return this.end("Canceled");
    try {
      this.advance("Preparing");
      prepared = await this.prepare();
    } catch (error) {
      this.end(this.cancelRequested ? "Canceled" : "Failed", this.cancelRequested ? undefined : preparationFailure(error));
      return;
    }
    if (this.cancelRequested) return this.end("Canceled");
    const { workspace, command, env, python } = prepared;
    this.process = new JobProcess({
      command,
      cwd: workspace.code,
      env,
      stdLogPath: workspace.stdLog,
      timeoutSeconds: this.spec.timeoutSeconds,
      killGraceMs: this.settings.killGraceMs,
      onOutput: (text, stream) => this.emit("log", { name: this.spec.name, text, stream }),
    });
    const running = this.process.run();
    this.moveTo("Running", { startTime: new Date() });
    const result = await running;
    this.process = undefined;
    this.state = { ...this.state, exitCode: result.exitCode };
    await this.conclude(result, workspace, python);
  }

  private async prepare(): Promise<{ workspace: JobWorkspace; command: string; env: Record<string, string>; python: LocalPython }> {
    const python = this.settings.python();
    const workspace = createJobWorkspace(this.settings.workDir, this.spec.name);
    this.state = { ...this.state, workspace, environment: resolveEnvironment(python, this.spec.environment) };
    linkPythonBin(workspace.bin, python);
    const fetched = (await this.hooks.prepare?.(workspace)) ?? {};
    if (fetched.code) placeCode(workspace, fetched.code);
    const values: ExpressionValues = { inputs: {}, outputs: {} };
    const inputPaths: Record<string, string> = {};
    for (const [name, input] of Object.entries(this.spec.inputs ?? {})) {
      let value: JobInputValue | undefined;
      if (input?.kind === "literal") value = input;
      else if (input?.kind === "data" && fetched.data?.[name]) value = { kind: "path", path: placeInput(workspace, name, fetched.data[name]) };
      values.inputs[name] = value;
      if (value) inputPaths[name] = value.kind === "path" ? value.path : String(value.value);
    }
    for (const name of this.spec.outputs ?? []) values.outputs[name] = outputFolder(workspace, name);
    const command = substituteCommand(this.spec.command, values);
    this.state = { ...this.state, command };
    const outputs = Object.fromEntries(Object.entries(values.outputs).filter((e): e is [string, string] => e[1] !== undefined));
    const env = jobEnvironment({
      jobName: this.spec.name,
      workspace,
      context: this.spec.context,
      environmentVariables: this.spec.environmentVariables,
      inputs: inputPaths,
      outputs,
    });
    return { workspace, command, env, python };
  }

  private async conclude(result: JobProcessResult, workspace: JobWorkspace, python: LocalPython): Promise<void> {
    if (result.outcome === "canceled") return this.end("Canceled");
    if (result.outcome === "timedOut") {
      await this.store(workspace);
      return this.end("Canceled", timeoutFailure(this.spec.timeoutSeconds ?? 0));
    }
    this.advance("Finalizing");
    const storeError = await this.store(workspace);
    if (result.exitCode !== 0) return this.end("Failed", exitFailure(result.exitCode, result.signal, result.stderrTail, python.executable));
    if (storeError) return this.end("Failed", { code: "SystemError", message: `The job's outputs could not be stored: ${storeError}` });
    this.end(this.cancelRequested ? "Canceled" : "Completed");
  }

  /** Hands logs and outputs to the caller; returns the failure sentence, if any. */
  private async store(workspace: JobWorkspace): Promise<string | undefined> {
    if (!this.hooks.finalize) return undefined;
    try {
      const outputs = Object.fromEntries((this.spec.outputs ?? []).map((name) => [name, collectOutput(workspace, name)]));
      await this.hooks.finalize({ workspace, artifacts: collectArtifacts(workspace), outputs });
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}
