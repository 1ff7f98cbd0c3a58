import { spawn } from "node:child_process";
import { join } from "node:path";
import { LocalAzure, clientProcessEnvironment } from "../../../local/azure";
import { hostEnvironment } from "../../../local/runner/agentEnvironment";

const clientsDir = join(__dirname, "..", "clients");

/**
 * Runs a client program (test/local/clients/<name>.ts, compiled) in its own node process with
 * the environment connection.json asks for on top of the host's essentials (never the caller's
 * proxies, CA files or Azure SDK variables, which would send it elsewhere), and returns what it reported.
 */
export function runClient<T>(localAzure: LocalAzure, name: string, args: string[] = [], timeoutMs = 120000): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(clientsDir, `${name}.js`), localAzure.connectionFile, ...args], {
      env: clientProcessEnvironment(localAzure.connection, hostEnvironment()),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split("\n").find((candidate) => candidate.startsWith("RESULT:"));
      if (code !== 0 || !line) {
        reject(new Error(`client ${name} exited with ${code ?? signal}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
        return;
      }
      resolve(JSON.parse(line.slice("RESULT:".length)) as T);
    });
  });
}
