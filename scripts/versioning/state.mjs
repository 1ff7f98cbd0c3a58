// Compares what is on disk (versions, fingerprints) with the record and with what was released,
// and says, for each difference, what is wrong and the exact command that puts it right.
import { taskFingerprint } from "./fingerprint.mjs";
import { readRecord, RECORD_FILE, releasedVersions } from "./record.mjs";
import { compareVersions, extensionVersion, formatVersion, parseVersion, taskFolders, taskVersion } from "./versions.mjs";

export const BUMP_COMMAND = "npm run bump -- patch";
export const RECORD_COMMAND = "npm run bump -- --record";

/** Each task's version and fingerprint now, its record, and what a tag released at its version. */
export function currentState(root) {
  const record = readRecord(root);
  const released = releasedVersions(root);
  const tasks = taskFolders(root).map((task) => {
    const version = formatVersion(taskVersion(root, task));
    return { task, version, fingerprint: taskFingerprint(root, task), recorded: record.tasks[task], released: released[task]?.[version] };
  });
  return { extension: formatVersion(extensionVersion(root)), recordedExtension: record.extension, tasks, record };
}

const agentsCache = "agents cache a task by its version and would keep running the copy they have";

/**
 * Why the task's record cannot stand as it is, or none: `{ task, kind, message, fixableByRecord }`,
 * kind being `released` (changed at a released version), `unrecorded`, `lower` (version below its
 * record), `ahead` (version above its record), `changed` (sources changed, version did not) or `gone`.
 */
function taskProblem({ task, version, fingerprint, recorded, released }) {
  if (released && released.fingerprint !== fingerprint) {
    return {
      task,
      kind: "released",
      fixableByRecord: false,
      message: `tasks/${task} changed since version ${version} was released (tag ${released.tag}), but its version did not (${agentsCache}): run \`${BUMP_COMMAND}\` (or minor, major).`,
    };
  }
  if (!recorded)
    return {
      task,
      kind: "unrecorded",
      fixableByRecord: true,
      message: `tasks/${task} has no record in ${RECORD_FILE}: run \`${RECORD_COMMAND}\` to record its version ${version}.`,
    };
  const order = compareVersions(parseVersion(version, `tasks/${task}/task.json`), parseVersion(recorded.version, RECORD_FILE));
  if (order < 0) {
    return {
      task,
      kind: "lower",
      fixableByRecord: false,
      message: `tasks/${task}/task.json is at version ${version}, lower than the ${recorded.version} recorded (${agentsCache}): set it back to ${recorded.version} or higher.`,
    };
  }
  if (order > 0)
    return {
      task,
      kind: "ahead",
      fixableByRecord: true,
      message: `tasks/${task}/task.json is at version ${version} but ${RECORD_FILE} records ${recorded.version}: run \`${RECORD_COMMAND}\`.`,
    };
  if (recorded.fingerprint === fingerprint) return undefined;
  // Never released: re-recording the same version is safe, as no agent can have it yet.
  const unreleased = released ? "" : ` Version ${version} was never released (no tag records it), so \`${RECORD_COMMAND}\` also does.`;
  return {
    task,
    kind: "changed",
    fixableByRecord: !released,
    message: `tasks/${task} changed since its version ${version} was recorded, but its version did not (${agentsCache}): run \`${BUMP_COMMAND}\` (or minor, major) to give every task a higher version.${unreleased}`,
  };
}

function extensionProblem({ extension, recordedExtension }) {
  if (recordedExtension === undefined)
    return { kind: "unrecorded", fixableByRecord: true, message: `${RECORD_FILE} does not record the extension's version: run \`${RECORD_COMMAND}\`.` };
  const order = compareVersions(parseVersion(extension, "vss-extension.json"), parseVersion(recordedExtension, RECORD_FILE));
  if (order < 0)
    return {
      kind: "lower",
      fixableByRecord: false,
      message: `vss-extension.json is at version ${extension}, lower than the ${recordedExtension} recorded: the Marketplace takes only a higher version.`,
    };
  if (order > 0)
    return {
      kind: "ahead",
      fixableByRecord: true,
      message: `vss-extension.json is at version ${extension} but ${RECORD_FILE} records ${recordedExtension}: run \`${RECORD_COMMAND}\`.`,
    };
  return undefined;
}

/** Every reason the versions on disk and the record disagree; empty when the check passes. */
export function versionProblems(state) {
  const folders = new Set(state.tasks.map((entry) => entry.task));
  const gone = Object.keys(state.record.tasks)
    .filter((task) => !folders.has(task))
    .map((task) => ({
      task,
      kind: "gone",
      fixableByRecord: true,
      message: `${RECORD_FILE} records ${task}, which has no tasks/${task}/task.json any more: run \`${RECORD_COMMAND}\`.`,
    }));
  return [extensionProblem(state), ...state.tasks.map(taskProblem), ...gone].filter(Boolean);
}
