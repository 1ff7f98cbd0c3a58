import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../errors/inputError";
import { abbreviated, hasControlCharacter, quoted } from "../text/printable";

/*
 * Every path a task writes to because a user named it (config.json, and the job outputs and
 * docker build context to come) is checked here before the first Azure call, so that a bad path
 * fails the task with a sentence instead of after the resources were made, with a raw EEXIST.
 *
 * Where may a task write? Into the job's own folders only: the working folder
 * (System.DefaultWorkingDirectory, where `MLClient.from_config()` looks), the build folder
 * around it (Agent.BuildDirectory, which holds Build.ArtifactStagingDirectory, where people
 * stage what they publish) and the agent's temp folder. A path that climbs out of them with
 * `../` or through a symbolic link would overwrite files of other pipelines or of the agent
 * itself, which no one means to do from a provisioning step.
 */

/**
 * PATH_MAX less its terminating NUL: 4096 on Linux, 1024 on macOS (Node on Windows writes long
 * paths itself, through `\\?\`); NAME_MAX is 255 bytes on all three.
 */
const maxPathBytes = process.platform === "darwin" ? 1023 : 4095;
const maxNameBytes = 255;

/** Kernel file systems: writing there changes the machine, not a file. */
const systemFolders = ["/proc", "/sys", "/dev"];

/** A folder the task may write under, and the variable that names it. */
export interface OutputRoot {
  folder: string;
  variable: string;
}

export interface OutputPathInput {
  /** The path as given; relative paths are resolved against the first root. */
  value: string;
  /** Who gave it, as a sentence's subject: "Input 'configJsonPath'". */
  source: string;
}

function fail(input: OutputPathInput, problem: string): never {
  throw new InputError(`${input.source} is ${quoted(abbreviated(input.value))}, ${problem}.`);
}

function isInside(folder: string, candidate: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

function realPathOf(folder: string): string {
  try {
    return fs.realpathSync(folder);
  } catch {
    return path.resolve(folder);
  }
}

function lstatOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch {
    return undefined;
  }
}

function describeRoots(roots: OutputRoot[]): string {
  return roots.map((root) => `${root.variable} ${quoted(root.folder)}`).join(", ");
}

/** The deepest existing part of `target`'s parent chain, and whether it is a folder (links followed). */
function existingAncestor(target: string): { folder: string; isFolder: boolean } {
  let current = path.dirname(target);
  for (;;) {
    let stats: fs.Stats | undefined;
    try {
      stats = fs.statSync(current);
    } catch {
      stats = undefined;
    }
    if (stats) return { folder: current, isFolder: stats.isDirectory() };
    const parent = path.dirname(current);
    if (parent === current) return { folder: current, isFolder: true };
    current = parent;
  }
}

/**
 * The checks a file and a folder to write share: inside the job's folders, of a length the
 * system takes, not through a file posing as a folder nor a link leading out, in a folder the
 * agent's user may write to. Returns the absolute path.
 */
function checkWritablePlace(input: OutputPathInput, roots: OutputRoot[], what: string): string {
  if (input.value.trim() === "") fail(input, `which is empty: give the path of the ${what} to write`);
  if (hasControlCharacter(input.value)) fail(input, "which holds a control character");
  if (input.value.includes("\0")) fail(input, "which holds a NUL character");
  const target = path.resolve(roots[0].folder, input.value);

  if (Buffer.byteLength(target) > maxPathBytes) {
    fail(input, `a path of ${Buffer.byteLength(target)} bytes once resolved; the system takes at most ${maxPathBytes}`);
  }
  const longName = target.split(path.sep).find((part) => Buffer.byteLength(part) > maxNameBytes);
  if (longName !== undefined) {
    fail(input, `whose part '${longName.slice(0, 32)}…' is ${Buffer.byteLength(longName)} bytes long; the system takes at most ${maxNameBytes} per name`);
  }
  if (systemFolders.some((folder) => isInside(folder, target))) {
    fail(input, `which is under ${systemFolders.join(", ")}: the task writes files only into the job's folders`);
  }
  if (!roots.some((root) => isInside(path.resolve(root.folder), target))) {
    fail(input, `which resolves to ${quoted(abbreviated(target))}, outside the job's folders (${describeRoots(roots)}); give a path inside them`);
  }

  const { folder, isFolder } = existingAncestor(target);
  if (!isFolder) fail(input, `but ${quoted(folder)} is a file, not a folder, so nothing can be written under it`);
  // A symbolic link on the way may lead anywhere: judge where the write really lands.
  const realFolder = realPathOf(folder);
  const realTarget = path.join(realFolder, path.relative(folder, target));
  if (systemFolders.some((system) => isInside(system, realTarget)) || !roots.some((root) => isInside(realPathOf(root.folder), realTarget))) {
    fail(input, `which leads through a symbolic link to ${quoted(abbreviated(realTarget))}, outside the job's folders (${describeRoots(roots)})`);
  }
  try {
    fs.accessSync(folder, fs.constants.W_OK);
  } catch {
    fail(input, `but the folder ${quoted(folder)} cannot be written to by the agent's user`);
  }
  return target;
}

/**
 * Resolves a path the task will write a file to and checks, without writing anything, that the
 * write can succeed: inside the job's folders, of a length the system takes, not through a
 * file posing as a folder, not onto a folder, device or link. Returns the absolute path.
 */
export function checkOutputFilePath(input: OutputPathInput, roots: OutputRoot[]): string {
  const target = checkWritablePlace(input, roots, "file");
  const existing = lstatOrUndefined(target);
  if (existing?.isDirectory()) fail(input, "which is a folder; give the path of the file to write");
  if (existing?.isSymbolicLink()) fail(input, "which is a symbolic link; give the path of a regular file to write");
  if (existing && !existing.isFile()) fail(input, "which is not a regular file (a device, pipe or socket)");
  return target;
}

/**
 * Resolves a folder the task will create and fill (a Docker build context) and checks, without
 * writing anything, that it can: the same rules as for a file, and never a file, a link or one of
 * the job's folders itself. What may already be inside it is the writer's to judge. Returns the
 * absolute path.
 */
export function checkOutputFolderPath(input: OutputPathInput, roots: OutputRoot[]): string {
  const target = checkWritablePlace(input, roots, "folder");
  if (roots.some((root) => path.resolve(root.folder) === target)) {
    fail(input, "which is one of the job's own folders; give a folder inside it for the task to fill");
  }
  const existing = lstatOrUndefined(target);
  if (existing?.isSymbolicLink()) fail(input, "which is a symbolic link; give the path of a folder");
  if (existing && !existing.isDirectory()) fail(input, "which is a file, not a folder");
  return target;
}
