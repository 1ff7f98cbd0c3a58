// A task's source fingerprint: one SHA-256 over everything that goes into its bundle, so that a
// task whose shipped code or definition changed is seen to have changed, and nothing else is.
//
// Inputs, each as a line `<kind> <name> <sha256>` sorted by name, then hashed together:
//   - every file under tasks/<Task>/src/, tasks/common/src/ and tasks/<Task>/assets/ (when present);
//   - tasks/<Task>/icon.png;
//   - tasks/<Task>/task.json without its `version` field, as canonical JSON (keys sorted), so that
//     reformatting it or bumping its version changes nothing;
//   - scripts/bundle.mjs, which decides how the sources become the bundle;
//   - the production dependencies as package-lock.json resolves them (`path@version`, dev-only
//     packages left out), since the bundle carries their code too.
// Text files are hashed with CRLF read as LF (a file is text when its first 8,000 bytes hold no
// NUL byte, git's own test), so a Windows checkout gives the same fingerprint.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const sha256 = (data) => createHash("sha256").update(data).digest("hex");

function normalisedContent(bytes) {
  const head = bytes.subarray(0, 8000);
  if (head.includes(0)) return bytes;
  return Buffer.from(bytes.toString("latin1").replace(/\r\n/g, "\n"), "latin1");
}

function filesUnder(directory) {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/** JSON with every object's keys sorted: the same value always gives the same text. */
export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function productionDependencies(root) {
  const lockPath = join(root, "package-lock.json");
  if (!existsSync(lockPath)) return [];
  const lock = JSON.parse(readFileSync(lockPath, "utf8"));
  return Object.entries(lock.packages ?? {})
    .filter(([path, entry]) => path.startsWith("node_modules/") && !entry.dev && !entry.devOptional)
    .map(([path, entry]) => `${path}@${entry.version ?? entry.resolved ?? "link"}`)
    .sort();
}

/** The lines a task's fingerprint hashes, one per input (exposed so a difference can be shown). */
export function fingerprintLines(root, task) {
  const taskDir = join(root, "tasks", task);
  const posix = (path) => relative(root, path).split(sep).join("/");
  const fileLines = [join(taskDir, "src"), join(root, "tasks", "common", "src"), join(taskDir, "assets")]
    .flatMap(filesUnder)
    .concat([join(taskDir, "icon.png"), join(root, "scripts", "bundle.mjs")].filter((path) => existsSync(path)))
    .map((path) => `file ${posix(path)} ${sha256(normalisedContent(readFileSync(path)))}`);
  const definition = JSON.parse(readFileSync(join(taskDir, "task.json"), "utf8"));
  delete definition.version;
  const definitionLine = `definition tasks/${task}/task.json ${sha256(canonicalJson(definition))}`;
  const dependencyLine = `dependencies package-lock.json ${sha256(productionDependencies(root).join("\n"))}`;
  // Code-unit order, not localeCompare: the order must not depend on the machine's locale.
  return [...fileLines, definitionLine, dependencyLine].sort();
}

/** `sha256:<hex>` over {@link fingerprintLines}. */
export function taskFingerprint(root, task) {
  return `sha256:${sha256(fingerprintLines(root, task).join("\n"))}`;
}
