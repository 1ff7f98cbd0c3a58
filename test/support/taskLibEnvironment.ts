import * as taskLibInternal from "azure-pipelines-task-lib/internal";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withEnvironment } from "./processEnvironment";
import { unescapeCommandText } from "../../local/runner/loggingCommands";

const vaultFolder = mkdtempSync(join(tmpdir(), "tasklib-vault-"));
process.once("exit", () => rmSync(vaultFolder, { recursive: true, force: true }));

/**
 * Gives task-lib a task environment the way the agent does at process start: the host's
 * essentials and these variables, nothing else of the caller's, then task-lib loads them,
 * moving inputs, endpoint authorizations and secret variables (INPUT_*, ENDPOINT_AUTH_*,
 * SECRET_*) into its vault and out of process.env, exactly as its own start-up does. Returns a
 * function that puts the previous environment back.
 */
export function loadTaskEnvironment(variables: Record<string, string>): () => void {
  // The vault keeps its key file in Agent.TempDirectory; keep it out of the repository.
  const restore = withEnvironment({ ...variables, AGENT_TEMPDIRECTORY: vaultFolder });
  taskLibInternal._loadData();
  return restore;
}

type WritableText = { write(text: string): boolean };

const discard: WritableText = { write: () => true };
let taskLibOutput: WritableText = process.stdout;

function sendTaskLibOutputTo(stream: WritableText): void {
  taskLibOutput = stream;
  taskLibInternal._setStdStream(stream);
}

/** Keeps task-lib's ##vso lines (debug, setsecret…) out of the test report until the returned function is called. */
export function silenceTaskLib(): () => void {
  const previous = taskLibOutput;
  sendTaskLibOutputTo(discard);
  return () => sendTaskLibOutputTo(previous);
}

/** Runs `action` and returns what task-lib wrote meanwhile (its ##vso commands), with the action's result. */
export async function captureTaskLibOutput<T>(action: () => T | Promise<T>): Promise<{ result: T; output: string }> {
  const written: string[] = [];
  const previous = taskLibOutput;
  sendTaskLibOutputTo({ write: (text) => written.push(text) > 0 });
  try {
    const result = await action();
    return { result, output: written.join("") };
  } finally {
    sendTaskLibOutputTo(previous);
  }
}

/** The values masked with ##vso[task.setsecret] in task-lib output, unescaped. */
export function maskedValues(output: string): string[] {
  return [...output.matchAll(/##vso\[task\.setsecret\](.*)/g)].map((match) => unescapeCommandText(match[1]?.trim() ?? ""));
}
