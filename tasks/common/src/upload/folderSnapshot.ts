import { createHash, Hash } from "node:crypto";
import { Stats } from "node:fs";
import { lstat, open, readdir, realpath, stat } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { InputError } from "../errors/inputError";
import { IgnoreRules, loadIgnoreRules } from "./ignoreRules";

/** One file to upload: where it is, where it goes (relative to the snapshot root, POSIX) and its size. */
export interface SnapshotFile {
  readonly relativePath: string;
  readonly absolutePath: string;
  readonly size: number;
}

export interface FolderSnapshot {
  /** The absolute path that was snapshotted. */
  readonly sourcePath: string;
  /** Its base name: the last segment of the blob prefix (`LocalUpload/<hash>/<name>`). */
  readonly name: string;
  readonly isFile: boolean;
  /** ".amlignore" or ".gitignore" when one applied. */
  readonly ignoreFile: string | undefined;
  /** In the order azure-ai-ml uploads them (by path, code point order); the first is the indicator. */
  readonly files: readonly SnapshotFile[];
  readonly totalBytes: number;
  /** azure-ai-ml's object hash (MD5, salted); names the upload's blob prefix. */
  readonly hash: string;
}

// azure-ai-ml seeds its MD5 with this exact text, so that the same folder gets the same prefix.
const hashSalt = "Initialize for october 2021 AML CLI version";
const readChunkBytes = 64 * 1024;

/**
 * Walks a file or folder once: applies the root ignore file, refuses what cannot be uploaded
 * (special files, unreadable entries, link loops, dangling links), and hashes names and bytes
 * in azure-ai-ml's order. File bytes stream through the hash; no file is held whole in memory.
 * `what` names the path in errors, e.g. `the code folder "src"`.
 */
export async function snapshotPath(path: string, what = "the upload"): Promise<FolderSnapshot> {
  const sourcePath = resolve(path);
  const walker = new SnapshotWalker(what);
  const top = await walker.statFollowing(sourcePath, sourcePath);
  const hash = createHash("md5").update(hashSalt);
  if (top.isFile()) {
    // A single file: the hash is its bytes only; no ignore file applies (as in the SDK).
    await walker.hashFile(sourcePath, hash);
    const file = { relativePath: basename(sourcePath), absolutePath: sourcePath, size: top.size };
    return { sourcePath, name: basename(sourcePath), isFile: true, ignoreFile: undefined, files: [file], totalBytes: top.size, hash: hash.digest("hex") };
  }
  walker.refuseSpecial(sourcePath, top);
  const rules = loadIgnoreRules(sourcePath);
  const realFolder = await walker.realPath(sourcePath);
  await walker.walkFolder(sourcePath, "", rules, hash, [realFolder]);
  const files = [...walker.files].sort((a, b) => compareCodePoints(a.relativePath, b.relativePath));
  if (files.length === 0) {
    const why = rules.source ? `; everything in it is excluded by its ${rules.source}` : "";
    throw new InputError(`Cannot upload ${what}: "${sourcePath}" contains no files${why}.`);
  }
  const totalBytes = files.reduce((sum, file) => sum + file.size, 0);
  // azure-ai-ml names a folder's prefix after the folder it resolves to, a file's after the path given.
  return { sourcePath, name: basename(realFolder), isFile: false, ignoreFile: rules.source, files, totalBytes, hash: hash.digest("hex") };
}

class SnapshotWalker {
  readonly files: SnapshotFile[] = [];
  private readonly readBuffer = Buffer.alloc(readChunkBytes);
  constructor(private readonly what: string) {}

  async walkFolder(folder: string, relativeFolder: string, rules: IgnoreRules, hash: Hash, ancestors: readonly string[]): Promise<void> {
    const names = await this.guard(folder, () => readdir(folder));
    for (const name of names.sort(sdkNameOrder)) {
      const relativePath = relativeFolder === "" ? name : `${relativeFolder}/${name}`;
      if (rules.isExcluded(relativePath)) continue;
      const absolutePath = join(folder, name);
      hash.update(name);
      const entry = await this.statFollowing(absolutePath, absolutePath);
      if (entry.isFile()) {
        await this.hashFile(absolutePath, hash);
        this.files.push({ relativePath, absolutePath, size: entry.size });
      } else if (entry.isDirectory()) {
        const real = await this.realPath(absolutePath);
        if (ancestors.includes(real)) {
          throw new InputError(`Cannot upload ${this.what}: "${absolutePath}" is a symbolic link that loops back to its own parent folder "${real}".`);
        }
        await this.walkFolder(absolutePath, relativePath, rules, hash, [...ancestors, real]);
      } else {
        this.refuseSpecial(absolutePath, entry);
      }
    }
  }

  /** One reused buffer for every read: hashing a large file makes no garbage for the GC to catch up with. */
  async hashFile(path: string, hash: Hash): Promise<void> {
    await this.guard(path, async () => {
      const file = await open(path, "r");
      try {
        for (;;) {
          const { bytesRead } = await file.read(this.readBuffer, 0, this.readBuffer.length, null);
          if (bytesRead === 0) break;
          hash.update(this.readBuffer.subarray(0, bytesRead));
        }
      } finally {
        await file.close();
      }
    });
  }

  /** stat() through links, with a sentence for dangling links and loops. */
  async statFollowing(path: string, shownPath: string): Promise<Stats> {
    try {
      return await stat(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && (await isLink(path))) throw new InputError(`Cannot upload ${this.what}: "${shownPath}" is a symbolic link to a missing target.`);
      if (code === "ELOOP") throw new InputError(`Cannot upload ${this.what}: "${shownPath}" is a symbolic link that loops back to itself.`);
      throw this.unreadable(shownPath, error);
    }
  }

  realPath(path: string): Promise<string> {
    return this.guard(path, () => realpath(path));
  }

  refuseSpecial(path: string, entry: Stats): void {
    if (entry.isFile() || entry.isDirectory()) return;
    const kind = entry.isFIFO()
      ? "a named pipe (FIFO)"
      : entry.isSocket()
        ? "a socket"
        : entry.isCharacterDevice() || entry.isBlockDevice()
          ? "a device"
          : "neither a file nor a folder";
    throw new InputError(`Cannot upload ${this.what}: "${path}" is ${kind}; only files, folders and links to them can be uploaded.`);
  }

  private async guard<T>(path: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw this.unreadable(path, error);
    }
  }

  private unreadable(path: string, error: unknown): InputError {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "EACCES" || code === "EPERM" ? "permission denied" : code === "ENOENT" ? "it does not exist" : (code ?? String(error));
    return new InputError(`Cannot upload ${this.what}: "${path}" cannot be read (${reason}).`);
  }
}

async function isLink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * azure-ai-ml sorts a folder's entries by lower-cased path; ties (names differing only in case)
 * fall back to the exact name so the order never depends on the file system's listing order.
 */
function sdkNameOrder(a: string, b: string): number {
  return compareCodePoints(a.toLowerCase(), b.toLowerCase()) || compareCodePoints(a, b);
}

/** Python compares strings by code point; JavaScript's `<` compares UTF-16 units. */
export function compareCodePoints(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
