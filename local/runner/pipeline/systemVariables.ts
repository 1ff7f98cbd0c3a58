import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as os from "node:os";
import * as path from "node:path";

/*
 * The predefined variables the agent sets, with what a local run has for them: the sources are
 * the working tree, the branch and commit are git's, the work folders are the run's.
 * https://learn.microsoft.com/azure/devops/pipelines/build/variables
 */

function git(directory: string, ...args: string[]): string | undefined {
  const result = spawnSync("git", ["-C", directory, ...args], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The folder that holds the pipeline's sources: the git work tree of the file, else its folder. */
export function sourcesDirectoryOf(pipelineFile: string): string {
  const folder = path.dirname(path.resolve(pipelineFile));
  return git(folder, "rev-parse", "--show-toplevel") ?? folder;
}

export interface RunIdentity {
  buildId: string;
  buildNumber: string;
  startTime: Date;
}

export function newRunIdentity(now = new Date()): RunIdentity {
  const day = now.toISOString().slice(0, 10).replace(/-/g, "");
  const buildId = String(Math.floor(now.getTime() / 1000) % 1_000_000);
  return { buildId, buildNumber: `${day}.${buildId}`, startTime: now };
}

/** What templates may read at compile time (`${{ variables['Build.SourceBranch'] }}`). */
export function compileTimeVariables(sourcesDirectory: string, pipelineFile: string): Record<string, string> {
  const branch = git(sourcesDirectory, "rev-parse", "--abbrev-ref", "HEAD");
  const sourceBranch = branch && branch !== "HEAD" ? `refs/heads/${branch}` : "refs/heads/main";
  return {
    "Build.SourceBranch": sourceBranch,
    "Build.SourceBranchName": sourceBranch.split("/").pop() ?? "main",
    "Build.SourceVersion": git(sourcesDirectory, "rev-parse", "HEAD") ?? "",
    "Build.Reason": "Manual",
    "Build.Repository.Name": path.basename(sourcesDirectory),
    "Build.Repository.Provider": "Git",
    "Build.DefinitionName": path.basename(pipelineFile).replace(/\.ya?ml$/i, ""),
    "Build.QueuedBy": os.userInfo().username,
    "Build.RequestedFor": os.userInfo().username,
    "System.TeamProject": "local",
    "System.TeamProjectId": "00000000-0000-0000-0000-000000000001",
    "System.CollectionUri": "https://dev.azure.com/local/",
    "System.TeamFoundationCollectionUri": "https://dev.azure.com/local/",
    "System.DefinitionId": "1",
  };
}

/** The run's system variables, beside the compile-time ones. */
export function runVariables(run: RunIdentity, sourcesDirectory: string, runDirectory: string): Record<string, string> {
  return {
    "Build.BuildId": run.buildId,
    "Build.BuildNumber": run.buildNumber,
    "Build.SourcesDirectory": sourcesDirectory,
    "Build.Repository.LocalPath": sourcesDirectory,
    "System.DefaultWorkingDirectory": sourcesDirectory,
    "System.HostType": "build",
    "System.PlanId": randomUUID(),
    "System.PipelineStartTime": run.startTime.toISOString(),
    "System.WorkFolder": runDirectory,
    "Agent.WorkFolder": runDirectory,
    "Agent.RootDirectory": runDirectory,
    "Agent.Name": "local",
    "Agent.MachineName": os.hostname(),
    "Agent.Id": "1",
    "Agent.OS": process.platform === "win32" ? "Windows_NT" : process.platform === "darwin" ? "Darwin" : "Linux",
    "Agent.OSArchitecture": process.arch === "arm64" ? "ARM64" : "X64",
    "Agent.HomeDirectory": runDirectory,
    "Agent.ToolsDirectory": path.join(runDirectory, "tools"),
    "Agent.Version": "4.0.0",
    TF_BUILD: "True",
  };
}
