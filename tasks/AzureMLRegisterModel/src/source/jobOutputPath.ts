import { capitalized, inputError } from "../../../common/src/text/sentence";
import { hasControlCharacter, quoted } from "../../../common/src/text/printable";

/*
 * The parts of an `azureml://jobs/<job>/outputs/<output>/paths/<path>` reference. Azure resolves
 * them to blob names, so a `..` or `.` segment, an empty segment or a control character would
 * either point somewhere the user did not mean or forge a log line when we print it.
 */

/** The output that stands for the job's artifact store (what it wrote under `./outputs` and `./logs`). */
export const artifactsOutputName = "artifacts";

const longestName = 255;

/** One name in the reference (a job or an output): no `/`, no control character, not `.` or `..`. */
export function checkReferenceName(value: string, what: string, source: string): string {
  if (!value) throw inputError(`${capitalized(source)} gives an empty ${what}.`);
  if (hasControlCharacter(value)) throw inputError(`${capitalized(source)} gives ${what} ${quoted(value)}, which holds a control character.`);
  if (/[/\\\s]/.test(value) || value === "." || value === "..") {
    throw inputError(`${capitalized(source)} gives ${what} ${quoted(value)}; a ${what} holds no slash, backslash or space and is not '.' or '..'.`);
  }
  if (value.length > longestName)
    throw inputError(`${capitalized(source)} gives a ${what} of ${value.length} characters; Azure ML takes at most ${longestName}.`);
  return value;
}

/**
 * A path inside a job output, as the `paths/<path>` part takes it: segments joined by `/`, a
 * leading `./` or `/` and a trailing `/` dropped; `..`, `.`, empty segments, backslashes and
 * control characters refused. `""` is the whole output.
 */
export function checkPathInOutput(value: string, source: string): string {
  if (hasControlCharacter(value)) throw inputError(`${capitalized(source)} gives path ${quoted(value)}, which holds a control character.`);
  if (value.includes("\\")) throw inputError(`${capitalized(source)} gives path ${quoted(value)} with a backslash; paths inside a job output use '/'.`);
  const trimmed = value.trim().replace(/^\.\//, "").replace(/^\/+/, "").replace(/\/+$/, "");
  if (!trimmed) return "";
  const segments = trimmed.split("/");
  const bad = segments.find((segment) => segment === "" || segment === "." || segment === "..");
  if (bad !== undefined) {
    const what = bad === "" ? "an empty segment ('//')" : `a '${bad}' segment`;
    throw inputError(`${capitalized(source)} gives path ${quoted(value)} with ${what}; a path inside a job output must stay inside it.`);
  }
  return segments.join("/");
}

/** `azureml://jobs/<job>/outputs/<output>/paths/<path>`; an empty path for the whole output. */
export function jobOutputUri(jobName: string, outputName: string, pathInOutput: string): string {
  // Always the documented form, `…/paths/<path>`: the whole output is an empty path (`…/paths/`),
  // which azure-ai-ml's own job-URI pattern also reads; the form without `/paths/` is undocumented.
  return `azureml://jobs/${jobName}/outputs/${outputName}/paths/${pathInOutput}`;
}
