import * as taskLibInternal from "azure-pipelines-task-lib/internal";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withEnvironment } from "./agentEndpoint";

const vaultFolder = mkdtempSync(join(tmpdir(), "tasklib-vault-"));

/**
 * Gives task-lib a task environment the way the agent does at process start: variables are
 * set, then task-lib loads them, moving inputs, endpoint authorizations and secret variables
 * (INPUT_*, ENDPOINT_AUTH_*, SECRET_*) into its vault and out of process.env, exactly as its
 * own start-up does. Returns a function that removes what was set.
 */
export function loadTaskEnvironment(variables: Record<string, string>): () => void {
  // The vault keeps its key file in Agent.TempDirectory; keep it out of the repository.
  const restore = withEnvironment({ ...variables, AGENT_TEMPDIRECTORY: vaultFolder });
  taskLibInternal._loadData();
  return restore;
}

/** Runs `action` and returns what it wrote to stdout (where task-lib writes ##vso commands), with its result. */
export async function captureStdout<T>(action: () => T | Promise<T>): Promise<{ result: T; output: string }> {
  const written: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  }) as typeof process.stdout.write;
  try {
    const result = await action();
    return { result, output: written.join("") };
  } finally {
    process.stdout.write = write;
  }
}

/** The values masked with ##vso[task.setsecret] in task-lib output. */
export function maskedValues(output: string): string[] {
  return [...output.matchAll(/##vso\[task\.setsecret\](.*)/g)].map((match) => match[1]?.trim() ?? "");
}
