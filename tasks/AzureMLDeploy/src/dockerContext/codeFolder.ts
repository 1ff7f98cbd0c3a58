import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../../../common/src/errors/inputError";
import { quoted } from "../../../common/src/text/printable";
import { snapshotPath } from "../../../common/src/upload";

export interface CopiedCode {
  /** Files copied, relative to the code folder, POSIX separators, sorted. */
  files: string[];
  /** `.amlignore` or `.gitignore` when one left files out. */
  ignoreFile?: string;
}

/**
 * Copies the deployment's code folder into `target` with exactly the files Azure ML would upload
 * for it: the root `.amlignore` (else `.gitignore`) applies, links are followed, special files are
 * refused (the upload's own snapshot decides, folderSnapshot.ts). The scoring script must be among
 * the files copied.
 */
export async function copyCodeFolder(codeFolder: string, entryScript: string, target: string): Promise<CopiedCode> {
  const snapshot = await snapshotPath(codeFolder, `the code folder ${quoted(codeFolder)}`);
  if (snapshot.isFile) throw new InputError(`'code_configuration.code' names the file ${quoted(codeFolder)}; it must be a folder.`);
  const files = snapshot.files.map((file) => file.relativePath);
  if (!files.includes(entryScript)) {
    throw new InputError(
      `The scoring script ${quoted(entryScript)} is left out of the code folder ${quoted(codeFolder)} by its ${snapshot.ignoreFile ?? "ignore file"}; Azure ML would not upload it either.`,
    );
  }
  for (const file of snapshot.files) {
    const destination = path.join(target, ...file.relativePath.split("/"));
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    fs.copyFileSync(file.absolutePath, destination);
  }
  return { files: [...files].sort(), ignoreFile: snapshot.ignoreFile };
}
