import { readFileSync } from "node:fs";
import { join } from "node:path";
import ignore from "ignore";
import { InputError } from "../errors/inputError";

/**
 * Which files of a folder to leave out of an upload, the way azure-ai-ml decides it: the
 * `.amlignore` at the folder's root if there is one, else the root `.gitignore`, else nothing.
 * Ignore files in sub-folders do not count, and nothing else is left out implicitly (the SDK
 * uploads `.git`, `__pycache__` and the ignore file itself unless a rule says otherwise).
 */
export interface IgnoreRules {
  /** ".amlignore", ".gitignore", or undefined when the folder has neither. */
  readonly source: string | undefined;
  /** `relativePath` is POSIX, relative to the folder root, with no trailing slash (also for folders). */
  isExcluded(relativePath: string): boolean;
}

export const ignoreFileNames = [".amlignore", ".gitignore"] as const;

const nothingIgnored: IgnoreRules = { source: undefined, isExcluded: () => false };

export function loadIgnoreRules(folder: string): IgnoreRules {
  for (const name of ignoreFileNames) {
    const text = readIgnoreFile(join(folder, name));
    if (text !== undefined) return rulesFromText(name, text);
  }
  return nothingIgnored;
}

/** gitignore ("gitwildmatch") semantics: the last matching pattern wins, `!` re-includes. */
export function rulesFromText(source: string, text: string): IgnoreRules {
  const matcher = ignore().add(text);
  return { source, isExcluded: (relativePath) => relativePath !== "" && matcher.ignores(relativePath) };
}

function readIgnoreFile(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    // The SDK would fail here too; silently uploading everything would be worse.
    throw new InputError(`Cannot read the ignore file "${path}": ${code === "EACCES" ? "permission denied" : (code ?? String(error))}.`);
  }
}
