// One command for the versions of the extension and of every task, and the record that keeps a
// task's version honest (README, "Versioning and publishing"):
//
//   npm run bump -- patch|minor|major   bump vss-extension.json and every task.json together, then record
//   npm run bump -- --record            record the current versions and fingerprints (idempotent; refuses
//                                       a changed task whose version was released, or went down)
//   npm run bump -- --check [--tag vX.Y.Z]
//                                       exit 1, saying what to run, when a task's sources changed but its
//                                       version did not, or a task has no record; with --tag, also when the
//                                       tag is not v<vss-extension.json's version>
//
// --root DIR works on another copy of the project (the tests use it).
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeRecord, RECORD_FILE } from "./versioning/record.mjs";
import { currentState, versionProblems } from "./versioning/state.mjs";
import { bumped, formatVersion, LEVELS, parseVersion, setExtensionVersion, setTaskVersion } from "./versioning/versions.mjs";

const USAGE = "usage: npm run bump -- <patch|minor|major> | --record | --check [--tag vX.Y.Z]";

function fail(lines) {
  for (const line of [lines].flat()) console.error(`bump: ${line}`);
  process.exit(1);
}

function recordFrom(state) {
  return { extension: state.extension, tasks: Object.fromEntries(state.tasks.map(({ task, version, fingerprint }) => [task, { version, fingerprint }])) };
}

function check(root, tag) {
  const state = currentState(root);
  const problems = versionProblems(state).map((problem) => problem.message);
  if (tag !== undefined && tag !== `v${state.extension}`) {
    problems.push(`the tag '${tag}' does not name vss-extension.json's version ${state.extension}: tag the commit v${state.extension}, or bump first.`);
  }
  if (problems.length > 0) fail(problems);
  console.log(
    `versions: extension ${state.extension}; ${state.tasks.map(({ task, version }) => `${task} ${version}`).join(", ")}: each task's sources match ${RECORD_FILE}.`,
  );
}

function record(root) {
  const state = currentState(root);
  const refusals = versionProblems(state).filter((problem) => !problem.fixableByRecord);
  if (refusals.length > 0) fail(refusals.map((problem) => problem.message));
  const written = writeRecord(root, recordFrom(state));
  console.log(
    `${RECORD_FILE}: ${written ? "recorded" : "already current,"} extension ${state.extension}; ${state.tasks.map(({ task, version }) => `${task} ${version}`).join(", ")}.`,
  );
}

function bump(root, level) {
  const before = currentState(root);
  // A version already lower than its record is a mistake to mend first, not to bump past.
  const lowered = versionProblems(before).filter((problem) => problem.kind === "lower");
  if (lowered.length > 0) fail(lowered.map((problem) => problem.message));
  const extension = bumped(parseVersion(before.extension, "vss-extension.json"), level, { isTask: false });
  setExtensionVersion(root, extension);
  for (const { task, version } of before.tasks) {
    const next = bumped(parseVersion(version, task), level, { isTask: true });
    setTaskVersion(root, task, next);
    console.log(`tasks/${task}/task.json: ${version} → ${formatVersion(next)}`);
  }
  console.log(`vss-extension.json: ${before.extension} → ${formatVersion(extension)}`);
  record(root);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: { check: { type: "boolean" }, record: { type: "boolean" }, tag: { type: "string" }, root: { type: "string" } },
  });
} catch (error) {
  fail([error.message, USAGE]);
}
const { values: options, positionals } = parsed;
const root = resolve(options.root ?? join(dirname(fileURLToPath(import.meta.url)), ".."));
const modes = [options.check, options.record, positionals.length > 0].filter(Boolean).length;
if (modes !== 1 || positionals.length > 1 || (options.tag !== undefined && !options.check)) fail(USAGE);

try {
  if (options.check) check(root, options.tag);
  else if (options.record) record(root);
  else if (LEVELS.includes(positionals[0])) bump(root, positionals[0]);
  else fail([`'${positionals[0]}' is not a level: patch, minor or major`, USAGE]);
} catch (error) {
  fail(error.message);
}
