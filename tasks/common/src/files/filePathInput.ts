import * as path from "node:path";
import * as tl from "azure-pipelines-task-lib/task";

/** The folder relative file inputs are taken from: the sources of the job, as the agent gives them. */
export function workingDirectory(): string {
  return tl.getVariable("System.DefaultWorkingDirectory") || process.cwd();
}

/**
 * A `filePath` input as an absolute path, or undefined when it is not set. The agent hands an
 * empty `filePath` input to the task as the sources folder (or the working directory), so a
 * value that is one of those folders means "not set", not "this folder".
 */
export function filePathInput(name: string): string | undefined {
  const given = tl.getInput(name, false)?.trim();
  if (!given) return undefined;
  const file = path.resolve(workingDirectory(), given);
  const unset = [workingDirectory(), tl.getVariable("Build.SourcesDirectory")].filter((folder): folder is string => Boolean(folder));
  return unset.some((folder) => path.resolve(folder) === file) ? undefined : file;
}
