import { ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";
import { pythonWithSklearn, temporaryFolder } from "../local/jobRunner/jobTestSupport";

const projectRoot = path.join(__dirname, "..", "..", "..");

/** The scoring app as it ships in the task's assets. */
export const scoringAppSource = path.join(projectRoot, "tasks", "AzureMLDeploy", "assets", "scoring-app", "app.py");
/** The small scoring scripts of the contract tests. */
export const scoringFixtures = path.join(projectRoot, "test", "fixtures", "scoring");
/** Microsoft's azureml-examples online sample: onlinescoring/score.py loads model/sklearn_regression_model.pkl. */
export const model1Sample = path.join(projectRoot, "test", "unit", "azureml", "fixtures", "azureml-examples", "cli", "endpoints", "online", "model-1");
/** The sample's request, and what the sample model predicts for it. */
export const model1Request = JSON.stringify({
  data: [
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    [10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
  ],
});
export const model1Prediction = [11055.977245525679, 4503.079536107787];

let checkedPython: string | undefined;

/**
 * The Python the scoring app runs on: the jobs' one (scikit-learn for the sample model), which
 * must also have Flask and gunicorn. Fails, never skips, saying how to fix the machine.
 */
export function scoringPython(): string {
  if (checkedPython) return checkedPython;
  const python = pythonWithSklearn().executable;
  const probe = spawnSync(python, ["-c", "import flask, gunicorn"], { encoding: "utf8", timeout: 30_000 });
  if (probe.status !== 0) {
    throw new Error(
      `The scoring app's Python (${python}) cannot import Flask and gunicorn: run 'apt-get update && apt-get install -y python3-flask gunicorn' (as .ci/run does). ${probe.stderr.trim()}`,
    );
  }
  checkedPython = python;
  return python;
}

/** A folder laid out as the Docker context lays the app out: app.py, code/, azureml-models/<name>/<version>/. */
export function appFolder(options: { code: string; scripts?: string[]; model?: { name: string; version: string; from: string } }): string {
  const folder = temporaryFolder("scoring-app");
  fs.copyFileSync(scoringAppSource, path.join(folder, "app.py"));
  fs.cpSync(options.code, path.join(folder, "code"), { recursive: true });
  if (options.model) {
    const target = path.join(folder, "azureml-models", options.model.name, options.model.version, path.basename(options.model.from));
    fs.cpSync(options.model.from, target, { recursive: true });
  }
  return folder;
}

let launcherFolder: string | undefined;

/** A folder holding a `gunicorn` command that runs the scoring Python's gunicorn module (Debian's package has one; a pip install has its own). */
export function gunicornBin(): string {
  if (launcherFolder) return launcherFolder;
  const bin = temporaryFolder("gunicorn-bin");
  fs.writeFileSync(path.join(bin, "gunicorn"), `#!/bin/sh\nexec '${scoringPython()}' -m gunicorn "$@"\n`, { mode: 0o755 });
  process.once("exit", () => fs.rmSync(bin, { recursive: true, force: true }));
  launcherFolder = bin;
  return bin;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A started app process (its own process group), its output so far, and how it ended. */
export class AppProcess {
  stdout = "";
  stderr = "";
  readonly exited: Promise<ExitStatus>;
  private ended = false;

  constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding("utf8").on("data", (text: string) => (this.stdout += text));
    child.stderr?.setEncoding("utf8").on("data", (text: string) => (this.stderr += text));
    this.exited = new Promise((resolve) => {
      child.on("exit", (code, signal) => {
        this.ended = true;
        resolve({ code, signal });
      });
    });
  }

  get hasExited(): boolean {
    return this.ended;
  }

  /** Kills the whole process group (gunicorn's workers too) and waits for the leader to go. */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid !== undefined) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    if (pid !== undefined) await this.exited;
  }

  /** Resolves with the first match of `pattern` in stdout or stderr; rejects when the process exits first or after `timeoutMs`. */
  waitFor(stream: "stdout" | "stderr", pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const check = (): void => {
        const match = pattern.exec(this[stream]);
        if (match) return resolve(match);
        if (this.ended) return reject(new Error(`The app exited before printing ${String(pattern)}.\nstdout: ${this.stdout}\nstderr: ${this.stderr}`));
        if (Date.now() - started > timeoutMs) return reject(new Error(`The app printed no ${String(pattern)} within ${timeoutMs} ms.\nstderr: ${this.stderr}`));
        setTimeout(check, 25);
      };
      check();
    });
  }
}

/** Starts `command` in its own process group, stdout and stderr captured. */
export function startProcess(command: string, args: string[], options: { cwd: string; env: Record<string, string> }): AppProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  return new AppProcess(child);
}

/** The environment the app starts with: this process's essentials, no variable of the app's own unless given. */
export function appEnvironment(values: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "LANG", "TMPDIR"]) {
    const value = process.env[name];
    if (value !== undefined) base[name] = value;
  }
  return { ...base, PYTHONUNBUFFERED: "1", ...values };
}

/** `python -u app.py` on a free port (PORT=0); resolves once it printed where it listens. */
export async function startDevServer(folder: string, env: Record<string, string> = {}): Promise<{ app: AppProcess; url: string }> {
  const app = startProcess(scoringPython(), ["-u", "app.py"], { cwd: folder, env: appEnvironment({ PORT: "0", HOST: "127.0.0.1", ...env }) });
  try {
    const match = await app.waitFor("stdout", /^Scoring app listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
    return { app, url: match[1] };
  } catch (error) {
    await app.stop();
    throw error;
  }
}

/** Starts `sh -c <command>` (the Dockerfile's form) with a `gunicorn` on PATH; resolves once a worker answers `GET /`. */
export async function startGunicorn(folder: string, command: string, env: Record<string, string>): Promise<{ app: AppProcess; url: string }> {
  const base = appEnvironment(env);
  const app = startProcess("/bin/sh", ["-c", command], { cwd: folder, env: { ...base, PATH: `${gunicornBin()}:${base.PATH ?? ""}` } });
  try {
    const match = await app.waitFor("stderr", /Listening at: (http:\/\/127\.0\.0\.1:\d+)/);
    const url = match[1];
    await untilHealthy(app, url);
    return { app, url };
  } catch (error) {
    await app.stop();
    throw error;
  }
}

async function untilHealthy(app: AppProcess, url: string): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (app.hasExited) throw new Error(`gunicorn exited before answering.\nstderr: ${app.stderr}`);
    try {
      const answer = await send(url, { path: "/" });
      if (answer.status === 200) return;
    } catch {
      // the master listens before its workers have booted
    }
    if (Date.now() - started > 60_000) throw new Error(`gunicorn did not answer GET / within 60 s.\nstderr: ${app.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request on a fresh connection. */
export function send(url: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(options.path, url), { method: options.method ?? "GET", headers: options.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    request.setTimeout(30_000, () => request.destroy(new Error(`${options.method ?? "GET"} ${options.path} got no answer within 30 s`)));
    request.on("error", reject);
    request.end(options.body);
  });
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Whether something accepts connections on the port. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Waits for the process to end on its own, checking all along that the port never accepts a connection. */
export async function exitWithoutListening(app: AppProcess, port: number, timeoutMs = 60_000): Promise<{ status: ExitStatus; everAccepted: boolean }> {
  let everAccepted = false;
  const started = Date.now();
  while (!app.hasExited) {
    if (await accepts(port)) everAccepted = true;
    if (Date.now() - started > timeoutMs) {
      await app.stop();
      throw new Error(`The app did not exit within ${timeoutMs} ms.\nstderr: ${app.stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { status: await app.exited, everAccepted };
}
