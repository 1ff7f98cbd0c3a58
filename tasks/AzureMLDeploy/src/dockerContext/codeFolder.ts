import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../../../common/src/errors/inputError";
import { quoted } from "../../../common/src/text/printable";
import { snapshotPath, type FolderSnapshot } from "../../../common/src/upload/folderSnapshot";

/** The code folder's files as Azure ML would upload them, the scoring script among them. */
export interface CodeFiles {
  folder: string;
  snapshot: FolderSnapshot;
  /** Relative to the code folder, POSIX separators, sorted. */
  files: string[];
  /** `.amlignore` or `.gitignore` when one applies. */
  ignoreFile?: string;
}

/**
 * Reads the deployment's code folder with exactly the files Azure ML would upload for it: the
 * root `.amlignore` (else `.gitignore`) applies, links are followed, special files are refused
 * (the upload's own snapshot decides, folderSnapshot.ts). The scoring script must be among them.
 */
export async function readCodeFolder(folder: string, entryScript: string): Promise<CodeFiles> {
  const snapshot = await snapshotPath(folder, `the code folder ${quoted(folder)}`);
  if (snapshot.isFile) throw new InputError(`'code_configuration.code' names the file ${quoted(folder)}; it must be a folder.`);
  const files = snapshot.files.map((file) => file.relativePath).sort();
  if (!files.includes(entryScript)) {
    throw new InputError(
      `The scoring script ${quoted(entryScript)} is left out of the code folder ${quoted(folder)} by its ${snapshot.ignoreFile ?? "ignore file"}; Azure ML would not upload it either.`,
    );
  }
  return { folder, snapshot, files, ignoreFile: snapshot.ignoreFile };
}

/** Copies the files read into `target`. */
export function copyCodeFiles(code: CodeFiles, target: string): void {
  for (const file of code.snapshot.files) {
    const destination = path.join(target, ...file.relativePath.split("/"));
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    fs.copyFileSync(file.absolutePath, destination);
  }
}
