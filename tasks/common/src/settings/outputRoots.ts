import * as tl from "azure-pipelines-task-lib/task";
import { OutputRoot } from "../files/outputPath";

/**
 * The job's folders a task may write into (see files/outputPath.ts), the working folder first:
 * relative output paths are resolved against it. Outside an agent, the current folder.
 */
export function jobOutputRoots(): OutputRoot[] {
  const roots = ["System.DefaultWorkingDirectory", "Agent.BuildDirectory", "Agent.TempDirectory"]
    .map((variable) => ({ variable, folder: tl.getVariable(variable)?.trim() ?? "" }))
    .filter((root) => root.folder !== "");
  if (roots.length === 0 || roots[0].variable !== "System.DefaultWorkingDirectory") {
    roots.unshift({ variable: "the current folder", folder: process.cwd() });
  }
  return roots;
}
