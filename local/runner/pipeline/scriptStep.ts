import * as fs from "node:fs";
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import { parseLoggingCommand } from "../loggingCommands";
import { spawnGroup, stopGroup } from "./childProcesses";
import { formatDuration } from "./runLog";
import { StepCommandReader } from "./stepCommands";

/*
 * script:, bash: and pwsh: steps as the agent runs them on Linux: the script written to a file
 * in the agent's temp folder and run with `bash --noprofile --norc` (or pwsh), in the step's
 * working folder, with the job's variables (not its secrets) and the step's `env:` in the
 * environment. The exit code decides, and with failOnStderr any line on stderr fails it.
 */

export interface ScriptRun {
  shell: "bash" | "pwsh";
  /** The script, `$( )` already expanded; or, for Bash@3 with a file, the file and its arguments. */
  script: string;
  filePath?: string;
  arguments?: string;
  workingDirectory: string;
  environment: Record<string, string>;
  tempDirectory: string;
  failOnStderr: boolean;
  timeoutMs?: number;
  signal: AbortSignal;
  commands: StepCommandReader;
  onLine(line: string): void;
}

export interface ScriptOutcome {
  failed: boolean;
  canceled: boolean;
  /** Why it failed, in one sentence. */
  reason?: string;
}

function commandFor(run: ScriptRun): { program: string; args: string[] } {
  if (run.filePath) {
    // Bash@3 with targetType filePath: the arguments are passed through bash as written.
    return { program: "bash", args: ["--noprofile", "--norc", "-c", `exec bash --noprofile --norc "$0" ${run.arguments ?? ""}`, run.filePath] };
  }
  const extension = run.shell === "pwsh" ? "ps1" : "sh";
  const file = path.join(run.tempDirectory, `${randomUUID()}.${extension}`);
  fs.writeFileSync(
    file,
    run.shell === "pwsh"
      ? `$ErrorActionPreference = 'Stop'\n${run.script}\nif ((Test-Path -LiteralPath variable:\\LASTEXITCODE)) { exit $LASTEXITCODE }\n`
      : run.script,
  );
  if (run.shell === "pwsh") return { program: "pwsh", args: ["-NoLogo", "-NoProfile", "-NonInteractive", "-Command", `. '${file.replace(/'/g, "''")}'`] };
  return { program: "bash", args: ["--noprofile", "--norc", file] };
}

export async function runScript(run: ScriptRun): Promise<ScriptOutcome> {
  if (!fs.existsSync(run.workingDirectory)) return { failed: true, canceled: false, reason: `the working directory '${run.workingDirectory}' does not exist` };
  const { program, args } = commandFor(run);
  let wroteStderr = false;
  let timedOut = false;
  return await new Promise<ScriptOutcome>((resolve) => {
    const child = spawnGroup(program, args, { cwd: run.workingDirectory, env: run.environment, stdio: ["ignore", "pipe", "pipe"] });
    const stop = () => stopGroup(child);
    run.signal.addEventListener("abort", stop, { once: true });
    const timer = run.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          stop();
        }, run.timeoutMs)
      : undefined;

    const reader = (stream: "stdout" | "stderr") => {
      let pending = "";
      const line = (text: string) => {
        if (stream === "stderr" && text.trim() !== "") wroteStderr = true;
        const command = parseLoggingCommand(text);
        // The command is applied before the line is printed: a secret it registers is masked at once.
        if (command) run.commands.read(command);
        run.onLine(text);
      };
      return {
        data: (chunk: Buffer) => {
          pending += chunk.toString("utf8");
          const parts = pending.split(/\r?\n/);
          pending = parts.pop() ?? "";
          parts.forEach(line);
        },
        end: () => {
          if (pending) line(pending);
          pending = "";
        },
      };
    };
    const stdout = reader("stdout");
    const stderr = reader("stderr");
    child.stdout?.on("data", stdout.data);
    child.stderr?.on("data", stderr.data);

    let settled = false;
    const finish = (outcome: () => ScriptOutcome) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      run.signal.removeEventListener("abort", stop);
      stdout.end();
      stderr.end();
      resolve(outcome());
    };
    child.on("error", (error: NodeJS.ErrnoException) => {
      const missing = error.code === "ENOENT" ? `${program} is not installed or not on PATH` : error.message;
      finish(() => ({ failed: true, canceled: false, reason: `the ${program} process could not start: ${missing}` }));
    });
    child.on("exit", (code, signal) => {
      const judge = (): ScriptOutcome => {
        if (run.signal.aborted) return { failed: true, canceled: true, reason: "the run was canceled" };
        if (timedOut) return { failed: true, canceled: false, reason: `the step timed out after ${formatDuration(run.timeoutMs ?? 0)} (timeoutInMinutes)` };
        if (code !== 0) return { failed: true, canceled: false, reason: signal ? `${program} was ended by ${signal}` : `${program} exited with code ${code}` };
        if (run.failOnStderr && wroteStderr) return { failed: true, canceled: false, reason: "the script wrote to stderr (failOnStderr)" };
        return { failed: false, canceled: false };
      };
      // Output still in the pipes comes with 'close'; a background process that keeps them open
      // must not hold the step, so 'close' is given a moment only.
      const grace = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(judge);
      }, 1000);
      child.once("close", () => {
        clearTimeout(grace);
        finish(judge);
      });
    });
  });
}
