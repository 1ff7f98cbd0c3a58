// The versions the bump changes: vss-extension.json's "version" and each task.json's
// {Major, Minor, Patch}. Both files are edited in place, only the numbers, so their formatting
// (and Prettier's check) is kept.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const LEVELS = ["major", "minor", "patch"];

/** Task folders as the bundler finds them: tasks/<Task>/task.json. */
export function taskFolders(root) {
  const tasksDir = join(root, "tasks");
  return readdirSync(tasksDir)
    .filter((name) => existsSync(join(tasksDir, name, "task.json")))
    .sort();
}

export function parseVersion(text, where) {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text ?? "");
  if (!match) throw new Error(`${where}: version '${text}' is not major.minor.patch`);
  return match.slice(1).map(Number);
}

export const formatVersion = ([major, minor, patch]) => `${major}.${minor}.${patch}`;

/** -1, 0 or 1, as a is lower than, equal to or higher than b. */
export function compareVersions(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return Math.sign(a[i] - b[i]);
  return 0;
}

/**
 * The extension moves by the level asked. A task moves by the same level, except that `major`
 * moves a task's Minor: its Major is the `@1` of every pipeline that uses it, so changing it is a
 * breaking change made on purpose, by hand, in that task.json.
 */
export function bumped([major, minor, patch], level, { isTask }) {
  if (level === "patch") return [major, minor, patch + 1];
  if (level === "minor" || isTask) return [major, minor + 1, 0];
  return [major + 1, 0, 0];
}

const manifestPath = (root) => join(root, "vss-extension.json");
const taskJsonPath = (root, task) => join(root, "tasks", task, "task.json");

const manifestVersionIn = (text) => parseVersion(JSON.parse(text).version, "vss-extension.json");

function taskVersionIn(text, task) {
  const { version } = JSON.parse(text);
  return parseVersion(version && `${version.Major}.${version.Minor}.${version.Patch}`, `tasks/${task}/task.json`);
}

export const extensionVersion = (root) => manifestVersionIn(readFileSync(manifestPath(root), "utf8"));
export const taskVersion = (root, task) => taskVersionIn(readFileSync(taskJsonPath(root, task), "utf8"), task);

/** Replaces the version in the file's text; the new text must read back as the version meant before it is written. */
function rewrite(path, pattern, replace, versionIn, expected) {
  const text = readFileSync(path, "utf8");
  const edited = text.replace(pattern, replace);
  const written = pattern.test(text) ? versionIn(edited) : undefined;
  if (!written || compareVersions(written, expected) !== 0) throw new Error(`${path}: could not set its version to ${formatVersion(expected)} in place`);
  writeFileSync(path, edited);
}

export function setExtensionVersion(root, version) {
  rewrite(manifestPath(root), /("version"\s*:\s*)"[^"]*"/, `$1"${formatVersion(version)}"`, manifestVersionIn, version);
}

export function setTaskVersion(root, task, [major, minor, patch]) {
  const numbers = { Major: major, Minor: minor, Patch: patch };
  rewrite(
    taskJsonPath(root, task),
    /"version"\s*:\s*\{[^}]*\}/,
    (block) => block.replace(/("(Major|Minor|Patch)"\s*:\s*)"?\d+"?/g, (_whole, key, field) => `${key}${numbers[field]}`),
    (text) => taskVersionIn(text, task),
    [major, minor, patch],
  );
}
