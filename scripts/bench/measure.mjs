// Timing primitives: wall time of a process, and time until it prints a given line.
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";

const RUN_TIMEOUT_MS = 30_000;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Milliseconds from spawning `node ...args` until it exits. */
export function timeToExit(args, env = process.env) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(performance.now() - start) : reject(new Error(`node ${args.join(" ")} exited with ${code}`))));
  });
}

/**
 * Milliseconds from spawning `node script` until it prints a line that starts with `prefix`;
 * the process is then killed, and the promise settles once it is gone so runs never overlap.
 * Rejects with the end of its output if it exits, or times out, before printing that line.
 */
export function timeToLine(script, env, prefix) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [script], { env, stdio: ["ignore", "pipe", "pipe"] });
    const seen = [];
    let elapsed;
    const timer = setTimeout(() => child.kill("SIGKILL"), RUN_TIMEOUT_MS);
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (elapsed !== undefined) return;
      if (line.startsWith(prefix)) {
        elapsed = performance.now() - start;
        child.kill("SIGKILL");
      } else {
        seen.push(line);
      }
    });
    child.stderr.on("data", (chunk) => seen.push(String(chunk)));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (elapsed !== undefined) return resolve(elapsed);
      const tail = seen.join("\n").trim().split("\n").slice(-5).join("\n");
      reject(new Error(`no line starting with ${prefix} (exit ${code ?? signal}):\n${tail}`));
    });
  });
}
