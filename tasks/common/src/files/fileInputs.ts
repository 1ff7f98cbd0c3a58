import * as fs from "node:fs";
import { InputError } from "../errors/inputError";
import { abbreviated, hasControlCharacter, quoted } from "../text/printable";

/*
 * Every file a task reads because a user named it (configuration, compute clusters, and the
 * job, model, endpoint and deployment files to come) is read here. The path is checked before a
 * byte is read: a folder, a FIFO, a device such as /dev/zero or a socket would otherwise hang
 * the task or fill its memory, and a file far larger than any hand-written YAML is a mistake.
 * The file is then opened without blocking and checked again through its descriptor, so that
 * what is read is what was checked even if the path changed in between.
 */

/** YAML and configuration files are written by hand; 1 MiB is thousands of lines more than any. */
export const maxTextFileBytes = 1024 * 1024;

/** A file the user named, and how to name it in an error: "input 'computeClustersFile'". */
export interface FileInput {
  path: string;
  /** Who gave the path, as a sentence's subject: "Input 'configurationFile'". */
  source: string;
}

export interface ReadOptions {
  maxBytes?: number;
}

function kindOf(stats: fs.Stats): string {
  if (stats.isDirectory()) return "a folder";
  if (stats.isFIFO()) return "a named pipe (FIFO)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
}

function describeSystemError(code: string | undefined): string {
  switch (code) {
    case "ENOENT":
      return "does not exist";
    case "ENOTDIR":
      return "does not exist (a part of its path is a file, not a folder)";
    case "EACCES":
    case "EPERM":
      return "cannot be read: permission denied";
    case "ENAMETOOLONG":
      return "is a path too long for this system";
    case "ELOOP":
      return "is a loop of symbolic links";
    default:
      return `cannot be read (${code ?? "unknown error"})`;
  }
}

function describeSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MiB` : `${bytes} bytes`;
}

function checkStats(input: FileInput, stats: fs.Stats, maxBytes: number): void {
  if (!stats.isFile()) throw new InputError(`${input.source}: ${quoted(abbreviated(input.path))} is ${kindOf(stats)}, not a file.`);
  if (stats.size > maxBytes) {
    throw new InputError(
      `${input.source}: file ${quoted(abbreviated(input.path))} is ${describeSize(stats.size)}; the task reads files of at most ${describeSize(maxBytes)}.`,
    );
  }
}

/**
 * Throws the one sentence that says why `input` cannot be read as a file, or returns when it
 * can. `stat` follows symbolic links: a link to a regular file is a regular file.
 */
export function checkInputFile(input: FileInput, options: ReadOptions = {}): void {
  if (hasControlCharacter(input.path)) {
    throw new InputError(`${input.source}: ${quoted(abbreviated(input.path))} holds a control character, which no file name here should.`);
  }
  let stats: fs.Stats;
  try {
    stats = fs.statSync(input.path);
  } catch (error) {
    throw new InputError(`${input.source}: file ${quoted(abbreviated(input.path))} ${describeSystemError(errorCode(error))}.`);
  }
  checkStats(input, stats, options.maxBytes ?? maxTextFileBytes);
}

/**
 * Whether anything is at `path`, whatever it is, for probing optional files by convention: a
 * folder or a FIFO where a file is expected must then be reported by `checkInputFile`, not
 * skipped as if absent. Never throws.
 */
export function isPresent(path: string): boolean {
  try {
    fs.statSync(path);
    return true;
  } catch (error) {
    const code = errorCode(error);
    return code !== "ENOENT" && code !== "ENOTDIR";
  }
}

/** Reads a user-named text file (UTF-8) after the checks of `checkInputFile`. */
export function readInputFile(input: FileInput, options: ReadOptions = {}): string {
  const maxBytes = options.maxBytes ?? maxTextFileBytes;
  checkInputFile(input, { maxBytes });
  let descriptor: number;
  try {
    // O_NONBLOCK: should the path have become a FIFO since the check, opening it does not wait for a writer.
    descriptor = fs.openSync(input.path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    throw new InputError(`${input.source}: file ${quoted(abbreviated(input.path))} ${describeSystemError(errorCode(error))}.`);
  }
  try {
    checkStats(input, fs.fstatSync(descriptor), maxBytes);
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const read = fs.readSync(descriptor, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) {
        throw new InputError(`${input.source}: file ${quoted(abbreviated(input.path))} grew beyond ${describeSize(maxBytes)} while being read.`);
      }
    }
    return buffer.subarray(0, length).toString("utf8");
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${input.source}: file ${quoted(abbreviated(input.path))} ${describeSystemError(errorCode(error))}.`);
  } finally {
    fs.closeSync(descriptor);
  }
}
