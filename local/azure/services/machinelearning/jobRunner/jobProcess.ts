import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import { groupEnded } from "./processGroup";

/** The shell Azure ML's base images run a command job's command with. */
export const jobShell = "/bin/bash";

export interface JobProcessOptions {
  /** The command, expressions already substituted. */
  command: string;
  cwd: string;
  /** The whole environment of the process (nothing is inherited). */
  env: Record<string, string>;
  /** stdout and stderr are appended here as they are written. */
  stdLogPath: string;
  /** `limits.timeout`, in seconds. */
  timeoutSeconds?: number;
  /** How long SIGTERM has before SIGKILL (default 5000 ms). */
  killGraceMs?: number;
  /** Called with each complete line (or final fragment) as it is appended to the log. */
  onOutput?: (text: string, stream: "stdout" | "stderr") => void;
}

export interface JobProcessResult {
  /** exited: the command ended by itself; canceled: cancel() ended it; timedOut: limits.timeout ended it. */
  outcome: "exited" | "canceled" | "timedOut";
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines the command wrote to stderr (for the job's error). */
  stderrTail: string[];
}

const stderrTailLines = 30;
const maxPendingLine = 64 * 1024;

/** Splits a stream into lines, appending each to the log (one write per line, so stdout and stderr never tear each other's lines). */
class LineWriter {
  private pending = "";

  constructor(
    private readonly write: (text: string) => void,
    private readonly onLine: (line: string) => void,
  ) {}

  push(chunk: string): void {
    const text = this.pending + chunk;
    const end = text.lastIndexOf("\n");
    if (end < 0) {
      this.pending = text;
      // A line that never ends (progress bars redrawn with \r) still reaches the log.
      if (this.pending.length > maxPendingLine) this.flush();
      return;
    }
    this.pending = text.slice(end + 1);
    const complete = text.slice(0, end + 1);
    this.write(complete);
    for (const line of complete.slice(0, -1).split("\n")) this.onLine(line);
  }

  flush(): void {
    if (!this.pending) return;
    const rest = this.pending;
    this.pending = "";
    this.write(rest + "\n");
    this.onLine(rest);
  }
}

/**
 * One job's command, run with bash in its own process group so that cancel and timeout end the
 * whole tree (SIGTERM to the group, SIGKILL after a grace period), and so that nothing the
 * command left behind outlives it.
 */
export class JobProcess {
  private child: ChildProcess | undefined;
  private stopReason: "canceled" | "timedOut" | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private timeoutTimer: NodeJS.Timeout | undefined;
  private readonly stderrTail: string[] = [];

  constructor(private readonly options: JobProcessOptions) {}

  /** The process group id (= the shell's pid) while running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  run(): Promise<JobProcessResult> {
    const { command, cwd, env, stdLogPath, timeoutSeconds, onOutput } = this.options;
    const log = fs.openSync(stdLogPath, "a");
    const append = (text: string): void => {
      fs.writeSync(log, text);
    };
    return new Promise<JobProcessResult>((resolve) => {
      const child = spawn(jobShell, ["-c", command], { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
      this.child = child;
      const stdout = new LineWriter(append, (line) => onOutput?.(line, "stdout"));
      const stderr = new LineWriter(append, (line) => {
        this.stderrTail.push(line);
        if (this.stderrTail.length > stderrTailLines) this.stderrTail.shift();
        onOutput?.(line, "stderr");
      });
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => stdout.push(chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => stderr.push(chunk));
      if (timeoutSeconds !== undefined && timeoutSeconds > 0) {
        this.timeoutTimer = setTimeout(() => this.stop("timedOut"), timeoutSeconds * 1000);
      }
      let exit: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
      child.on("error", (error) => {
        append(`${error.message}\n`);
        this.stderrTail.push(error.message);
      });
      child.on("exit", (code, signal) => {
        exit = { code, signal };
        // Whatever the command started and left running dies with it, as in a container.
        this.signalGroup("SIGKILL");
      });
      child.on("close", () => {
        stdout.flush();
        stderr.flush();
        fs.closeSync(log);
        clearTimeout(this.timeoutTimer);
        clearTimeout(this.killTimer);
        this.child = undefined;
        const result: JobProcessResult = { outcome: this.stopReason ?? "exited", exitCode: exit.code, signal: exit.signal, stderrTail: [...this.stderrTail] };
        void (child.pid === undefined ? Promise.resolve(true) : groupEnded(child.pid)).then(() => resolve(result));
      });
    });
  }

  /** Ends the whole process tree; run() then resolves with outcome "canceled". */
  cancel(): void {
    this.stop("canceled");
  }

  private stop(reason: "canceled" | "timedOut"): void {
    if (!this.child || this.stopReason) return;
    this.stopReason = reason;
    this.signalGroup("SIGTERM");
    this.killTimer = setTimeout(() => this.signalGroup("SIGKILL"), this.options.killGraceMs ?? 5000);
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is already gone
    }
  }
}
