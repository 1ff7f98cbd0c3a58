import { ChildProcess, spawn } from "node:child_process";
import { groupEnded } from "../../jobRunner/processGroup";
import { BoundedLogFile } from "./boundedLogFile";

export interface ScoringProcessOptions {
  python: string;
  /** The scoring app (`app.py`), run with `python -u`. */
  appPath: string;
  cwd: string;
  /** The whole environment of the process (nothing is inherited). */
  env: Record<string, string>;
  /** Where stdout and stderr go, as a container's console output. */
  log: BoundedLogFile;
  /** How long SIGTERM has before SIGKILL (default 3000 ms). */
  killGraceMs?: number;
}

/** How the app's start ended: listening at `url`, or exited first. */
export type ListenOutcome = { listening: true; url: string } | { listening: false; exitCode: number | null; signal: NodeJS.Signals | null };

/** The line the scoring app prints once it listens (SCORING-APP-CONTRACT.md). */
const listeningLine = /^Scoring app listening on (https?:\/\/\S+)[ \t]*\r?\n/m;

/**
 * One scoring app process, in its own process group so that stopping it ends everything it
 * started, as a container's end does. Its console output goes to the deployment's log.
 */
export class ScoringProcess {
  private child: ChildProcess | undefined;
  private stopping = false;
  private exitListeners: ((code: number | null, signal: NodeJS.Signals | null) => void)[] = [];
  private closed: Promise<void> = Promise.resolve();
  private listenOutcome: Promise<ListenOutcome> | undefined;

  constructor(private readonly options: ScoringProcessOptions) {}

  /** The process group id (= the app's pid) while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Whether stop() was called (an exit after that is no crash). */
  get stopRequested(): boolean {
    return this.stopping;
  }

  /** Starts the app; resolves once it printed where it listens, or once it exited without doing so. */
  start(): Promise<ListenOutcome> {
    if (this.listenOutcome) return this.listenOutcome;
    const { python, appPath, cwd, env, log } = this.options;
    const child = spawn(python, ["-u", appPath], { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    this.listenOutcome = new Promise<ListenOutcome>((resolve) => {
      let seen = "";
      let found = false;
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        log.append(chunk);
        if (found) return;
        seen += chunk;
        const match = listeningLine.exec(seen);
        if (match) {
          found = true;
          resolve({ listening: true, url: match[1] });
        }
        // Only the start matters: keep a bounded tail in case the line arrives in pieces.
        else if (seen.length > 64 * 1024) seen = seen.slice(-1024);
      });
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => log.append(chunk));
      child.on("error", (error) => {
        log.append(`${error.message}\n`);
        resolve({ listening: false, exitCode: null, signal: null });
      });
      this.closed = new Promise<void>((closed) => {
        child.on("close", (code, signal) => {
          this.child = undefined;
          // Whatever the app started and left running dies with it, as in a container.
          if (child.pid !== undefined) this.signalGroup(child.pid, "SIGKILL");
          resolve({ listening: false, exitCode: code, signal });
          const ended = child.pid === undefined ? Promise.resolve(true) : groupEnded(child.pid);
          void ended.then(() => {
            for (const listener of this.exitListeners) listener(code, signal);
            closed();
          });
        });
      });
    });
    return this.listenOutcome;
  }

  /** Called once the process (and its group) has ended, whatever ended it. */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void {
    this.exitListeners.push(listener);
  }

  /** Ends the process group: SIGTERM, then SIGKILL after the grace period; resolves once it is gone. */
  async stop(): Promise<void> {
    this.stopping = true;
    const pid = this.child?.pid;
    if (pid !== undefined) {
      this.signalGroup(pid, "SIGTERM");
      const kill = setTimeout(() => this.signalGroup(pid, "SIGKILL"), this.options.killGraceMs ?? 3000);
      await this.closed;
      clearTimeout(kill);
    } else {
      await this.closed;
    }
  }

  private signalGroup(pid: number, signal: NodeJS.Signals): void {
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is already gone
    }
  }
}
