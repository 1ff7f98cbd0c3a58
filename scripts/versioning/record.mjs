// tasks/task-versions.json: per task, the version and the source fingerprint last recorded, and
// the extension's version. Written only by scripts/version.mjs, as plain nested objects (no
// arrays), which is already the form Prettier keeps.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const RECORD_FILE = "tasks/task-versions.json";
const COMMENT =
  "Written by `npm run bump` (scripts/version.mjs): each task's version and the fingerprint of its sources at that version. See README, Versioning and publishing.";

export function readRecord(root) {
  const path = join(root, RECORD_FILE);
  if (!existsSync(path)) return { extension: undefined, tasks: {} };
  const record = JSON.parse(readFileSync(path, "utf8"));
  return { extension: record.extension, tasks: record.tasks ?? {} };
}

/** Writes the record when it differs from the file; says whether it did. */
export function writeRecord(root, { extension, tasks }) {
  const sortedTasks = Object.fromEntries(
    Object.keys(tasks)
      .sort()
      .map((task) => [task, { version: tasks[task].version, fingerprint: tasks[task].fingerprint }]),
  );
  const text = `${JSON.stringify({ $comment: COMMENT, extension, tasks: sortedTasks }, null, 2)}\n`;
  const path = join(root, RECORD_FILE);
  if (existsSync(path) && readFileSync(path, "utf8") === text) return false;
  writeFileSync(path, text);
  return true;
}

function git(root, args) {
  const result = spawnSync("git", ["-C", root, ...args], { encoding: "utf8" });
  return result.status === 0 ? result.stdout : undefined;
}

/**
 * What was published: the record as it stood at each release tag (`v<version>`, the tag the
 * publishing pipeline runs on). Per task, version → { fingerprint, tag }. Empty outside a git
 * clone, or in one without tags (a shallow CI clone may have none: the check then relies on
 * the record alone).
 */
export function releasedVersions(root) {
  const released = {};
  const tags = (git(root, ["tag", "--list", "v*"]) ?? "").split("\n").filter(Boolean);
  for (const tag of tags) {
    const text = git(root, ["show", `${tag}:${RECORD_FILE}`]);
    if (!text) continue;
    let tasks;
    try {
      tasks = JSON.parse(text).tasks ?? {};
    } catch {
      continue;
    }
    for (const [task, { version, fingerprint }] of Object.entries(tasks)) {
      released[task] ??= {};
      released[task][version] ??= { fingerprint, tag };
    }
  }
  return released;
}
