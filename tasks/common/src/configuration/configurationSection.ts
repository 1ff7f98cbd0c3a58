import { closest } from "../azureml/yamlFields";
import { InputError } from "../errors/inputError";
import { quoted } from "../text/printable";
import { ConfigurationError } from "./configurationErrors";
import { ConfigurationMapping, ConfigurationValue, isConfigurationMapping } from "./configurationValue";
import { toScriptArguments } from "./scriptArguments";
import { ShellContext, shellContexts } from "./shellContext";

/*
 * One configuration file often holds values for several scripts:
 *
 *     training: {alpha: 0.5, epochs: 10}
 *     scoring:  {threshold: 0.7}
 *
 * A job gets only its own section (input `configurationSection`), so that a script that declares
 * only its own arguments never sees another script's values. The rules, meant to be predictable:
 *
 * - a file with no sections (no top-level value is a mapping) is forwarded whole, whatever the
 *   input says, since there is nothing to choose from;
 * - a file with sections needs the input, and the section it names must exist and be a mapping;
 *   top-level values beside the sections are not forwarded (they would reach every script);
 * - in the job's command, `${{configuration.<name>}}` (dotted for nested values) is replaced by
 *   the value, shell-quoted; a command that uses any such placeholder gets nothing appended, so
 *   the author decides where every value goes; a command that uses none gets the whole section
 *   appended as `--name value` arguments (scriptArguments.ts), each shell-quoted;
 * - values are untrusted text: each is one shell word in single quotes, and one that holds
 *   `${{` or `$[[` is refused, since Azure expands those on the compute, quotes or not;
 * - a placeholder must stand where the shell reads plain words (not in quotes, a comment or a
 *   here-document, nor after a backslash), and arguments are appended only to a command whose
 *   end is such a place (shellContext.ts): elsewhere a quoted value could escape its quotes.
 */

export interface ConfigurationSection {
  values: ConfigurationMapping;
  /** The section's name, or undefined when the whole file is forwarded. */
  section?: string;
  /** For the log: "section 'training' of /w/configuration-dev.yml" or "the whole of /w/c.yml (it has no sections)". */
  description: string;
}

function hasSections(values: ConfigurationMapping): boolean {
  return Object.values(values).some((value) => isConfigurationMapping(value));
}

function sectionNames(values: ConfigurationMapping): string[] {
  return Object.entries(values)
    .filter(([, value]) => isConfigurationMapping(value))
    .map(([key]) => key);
}

/**
 * The values meant for this job. `files` are the configuration files read (base first), named
 * in errors; `sectionInput` names the task input, for the error that asks for it.
 */
export function selectConfigurationSection(
  values: ConfigurationMapping,
  section: string | undefined,
  files: readonly string[],
  sectionInput = "configurationSection",
): ConfigurationSection {
  const fileNames = files.join(" over ");
  const wanted = section?.trim() ?? "";
  if (!hasSections(values)) return { values, description: `the whole of ${fileNames} (it has no sections)` };
  const names = sectionNames(values);
  if (wanted === "") {
    throw new ConfigurationError(
      `The configuration ${fileNames} has sections (${names.join(", ")}): set input '${sectionInput}' to the one meant for this job.`,
    );
  }
  if (!Object.prototype.hasOwnProperty.call(values, wanted)) {
    const suggestion = closest(wanted, names);
    const hint = suggestion === undefined ? `; it has ${names.join(", ")}.` : `; did you mean '${suggestion}'?`;
    throw new ConfigurationError(`Input '${sectionInput}': the configuration ${fileNames} has no section ${quoted(wanted)}${hint}`);
  }
  const chosen = values[wanted];
  if (!isConfigurationMapping(chosen)) {
    throw new ConfigurationError(
      `Input '${sectionInput}': ${quoted(wanted)} in the configuration ${fileNames} is a single value or list, not a section of values.`,
    );
  }
  return { values: chosen, section: wanted, description: `section '${wanted}' of ${fileNames}` };
}

/** Characters a POSIX shell never treats specially in a word. */
const safeWord = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One POSIX shell word for `text`, whatever it holds: bare when plainly safe, else in single quotes. */
export function shellQuote(text: string): string {
  if (safeWord.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const placeholderPattern = /\$\{\{\s*configuration\.([^}\s]*)\s*\}\}/g;

function refuseAzureExpression(text: string, what: string, location: string): void {
  if (text.includes("${{") || text.includes("$[[")) {
    throw new InputError(
      `${location}: ${what} holds '\${{' or '$[[', which Azure ML would expand in the job's command even inside quotes; remove it from the configuration.`,
    );
  }
}

function lookUp(values: ConfigurationMapping, dotted: string): ConfigurationValue | undefined {
  let current: ConfigurationValue | undefined = values;
  for (const key of dotted.split(".")) {
    if (!isConfigurationMapping(current) || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

function placeholderText(value: ConfigurationValue, name: string, location: string): string {
  if (value === null) throw new InputError(`${location}: \${{configuration.${name}}} is null in the configuration; give it a value or remove the placeholder.`);
  if (isConfigurationMapping(value)) {
    throw new InputError(
      `${location}: \${{configuration.${name}}} is a section of values, not one value; name a value inside it (configuration.${name}.<key>).`,
    );
  }
  const words = Array.isArray(value) ? value.map((item) => (typeof item === "object" && item !== null ? JSON.stringify(item) : String(item))) : [String(value)];
  for (const word of words) refuseAzureExpression(word, `configuration value '${name}'`, location);
  return words.map(shellQuote).join(" ");
}

export interface AppliedCommand {
  command: string;
  /** What was done, for the log: "placeholders: alpha, epochs" or "appended 4 arguments". */
  placeholders: string[];
  appended: string[];
}

function refuseContext(context: ShellContext | undefined, name: string, location: string): void {
  if (context === undefined || context === "plain") return;
  throw new InputError(
    `${location}: \${{configuration.${name}}} stands ${context === "after a backslash" ? "after a backslash" : `in ${context}`}; ` +
      "write it as a word of its own, unquoted: the task quotes the value itself, and a value inside quotes, a comment or a here-document could escape them.",
  );
}

/** Arguments go at the end of the last line, which must be where the shell reads plain words. */
function refuseAppending(command: string, location: string): void {
  const { end, trailingEscape } = shellContexts(command, []);
  if (trailingEscape) throw new InputError(`${location}: the command ends with a backslash, so the configuration's arguments cannot be appended; remove it.`);
  if (end === "plain") return;
  throw new InputError(
    `${location}: the command ends in ${end}, so the configuration's arguments cannot be appended to it; ` +
      "put ${{configuration.<name>}} placeholders where the values go instead.",
  );
}

/**
 * The job's command with the configuration applied (rules above). `location` names the command
 * for errors: `Input 'jobFile': /w/job.yml:5`.
 */
export function applyConfigurationToCommand(command: string, section: ConfigurationMapping, location: string): AppliedCommand {
  const matches = [...command.matchAll(placeholderPattern)];
  const contexts = shellContexts(
    command,
    matches.map((match) => match.index),
  ).at;
  const placeholders: string[] = [];
  let replaced = "";
  let next = 0;
  for (const match of matches) {
    const name = match[1];
    const value = name === "" ? undefined : lookUp(section, name);
    if (value === undefined) {
      const known = Object.keys(section);
      const suggestion = closest(name, known);
      const hint =
        suggestion === undefined
          ? known.length === 0
            ? " (the configuration forwarded is empty)."
            : ` (it has ${known.join(", ")}).`
          : `; did you mean '${suggestion}'?`;
      throw new InputError(`${location}: the command uses \${{configuration.${name}}}, which the configuration forwarded does not hold${hint}`);
    }
    refuseContext(contexts.get(match.index), name, location);
    placeholders.push(name);
    replaced += command.slice(next, match.index) + placeholderText(value, name, location);
    next = match.index + match[0].length;
  }
  replaced += command.slice(next);
  if (placeholders.length > 0) return { command: replaced, placeholders, appended: [] };
  const appended = toScriptArguments(section);
  for (const word of appended) refuseAzureExpression(word, "a configuration value", location);
  if (appended.length === 0) return { command, placeholders, appended };
  // Appended to the last line: a block scalar's final line break would otherwise make the
  // arguments a command of their own.
  const trimmed = command.replace(/\s+$/, "");
  refuseAppending(trimmed, location);
  return { command: `${trimmed} ${appended.map(shellQuote).join(" ")}`, placeholders, appended };
}
