import * as fs from "node:fs";
import * as path from "node:path";

/**
 * One job's folder, laid out like Azure ML's Common Runtime: the code snapshot is the working
 * directory (`exe/wd`), inputs are `wd/INPUT_<name>`, named outputs `wd/<name>`; `./outputs` and
 * `./logs` under the code folder and `user_logs/` become the job's artifacts.
 */
export interface JobWorkspace {
  root: string;
  /** The code snapshot and the command's working directory. */
  code: string;
  /** Where inputs and named outputs live. */
  data: string;
  /** Holds the `python`/`python3` links put first on PATH. */
  bin: string;
  userLogs: string;
  /** `user_logs/std_log.txt`: stdout and stderr, as written. */
  stdLog: string;
}

/** A file to store in the artifact store: its path there and its path here. */
export interface CollectedFile {
  artifactPath: string;
  localPath: string;
}

const safeJobName = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const safePortName = /^[A-Za-z_][A-Za-z0-9_]*$/;

function requireName(kind: string, name: string, pattern: RegExp): void {
  if (!pattern.test(name) || name.includes("..")) throw new Error(`The ${kind} name '${name}' cannot name a folder of the job.`);
}

/** Creates (empty) the folder of job `jobName` under `baseDir`. */
export function createJobWorkspace(baseDir: string, jobName: string): JobWorkspace {
  requireName("job", jobName, safeJobName);
  const root = path.join(baseDir, jobName);
  fs.rmSync(root, { recursive: true, force: true });
  const workspace: JobWorkspace = {
    root,
    code: path.join(root, "exe", "wd"),
    data: path.join(root, "cap", "data-capability", "wd"),
    bin: path.join(root, "bin"),
    userLogs: path.join(root, "user_logs"),
    stdLog: path.join(root, "user_logs", "std_log.txt"),
  };
  for (const dir of [workspace.code, workspace.data, workspace.bin, workspace.userLogs]) fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(workspace.stdLog, "");
  return workspace;
}

/** Copies a downloaded code snapshot (a folder) in as the working directory. */
export function placeCode(workspace: JobWorkspace, sourceDir: string): void {
  fs.cpSync(sourceDir, workspace.code, { recursive: true });
}

/**
 * Copies a materialised data input in; returns the path the job sees: the folder for a folder
 * input, the file itself (inside `INPUT_<name>/`) for a `uri_file`.
 */
export function placeInput(workspace: JobWorkspace, name: string, source: string): string {
  requireName("input", name, safePortName);
  const target = path.join(workspace.data, `INPUT_${name}`);
  fs.mkdirSync(target, { recursive: true });
  if (fs.statSync(source).isDirectory()) {
    fs.cpSync(source, target, { recursive: true });
    return target;
  }
  const file = path.join(target, path.basename(source));
  fs.copyFileSync(source, file);
  return file;
}

/** The (created) folder of named output `name`. */
export function outputFolder(workspace: JobWorkspace, name: string): string {
  requireName("output", name, safePortName);
  const folder = path.join(workspace.data, name);
  fs.mkdirSync(folder, { recursive: true });
  return folder;
}

/** Every file under `dir`, with paths relative to it in `/` form (empty when `dir` is absent). */
export function listFiles(dir: string, prefix = ""): CollectedFile[] {
  if (!fs.existsSync(dir)) return [];
  const files: CollectedFile[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const localPath = path.join(dir, entry.name);
    const artifactPath = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(localPath, artifactPath));
    else if (entry.isFile()) files.push({ artifactPath, localPath });
  }
  return files;
}

/** The job's artifacts (the `default` output): `outputs/…`, `logs/…` the command wrote, and `user_logs/…`. */
export function collectArtifacts(workspace: JobWorkspace): CollectedFile[] {
  return [
    ...listFiles(path.join(workspace.code, "outputs"), "outputs"),
    ...listFiles(path.join(workspace.code, "logs"), "logs"),
    ...listFiles(workspace.userLogs, "user_logs"),
  ];
}

/** The files of named output `name`, relative to the output's root (to upload to its datastore path). */
export function collectOutput(workspace: JobWorkspace, name: string): CollectedFile[] {
  requireName("output", name, safePortName);
  return listFiles(path.join(workspace.data, name));
}

export function removeJobWorkspace(workspace: JobWorkspace): void {
  fs.rmSync(workspace.root, { recursive: true, force: true });
}
