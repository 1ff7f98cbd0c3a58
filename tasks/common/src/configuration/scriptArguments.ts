import { ConfigurationError } from "./configurationErrors";
import { ConfigurationValue, isConfigurationMapping } from "./configurationValue";

/*
 * How configuration values become arguments for the core scripts' argparse parsers:
 *
 * - scalar → `--name value`; numbers as JavaScript prints them (`0.5`, `1e-7`, both read by
 *   float()); booleans as `true`/`false`, written out rather than a bare `--flag`, so that `false`
 *   can override a default of True: parse them with `type=lambda s: s.lower() == "true"`
 *   (argparse's `type=bool` would read "false" as True);
 * - a value starting with `-` → `--name=value`, else argparse takes it for an option;
 * - null → nothing, so the script's own default applies (and an environment file can drop a
 *   base value by setting it to null);
 * - nested mapping → flattened with `.`: `training: {alpha: 0.5}` → `--training.alpha 0.5`.
 *   A dot cannot collide with the `_` people use inside names, it is the dotted-override form
 *   of Hydra, OmegaConf and jsonargparse, and argparse accepts it
 *   (`add_argument("--training.alpha", dest="training_alpha")`);
 * - list → one option followed by its items, `--layers 64 32`, as `nargs="+"` (or `"*"`)
 *   expects; an empty list → a bare `--layers`, which `nargs="*"` reads as [] (silently
 *   falling back to the default would hide what the file says); items that are null, lists or
 *   mappings are written as JSON, since argparse has no shape for them.
 *
 * Keys are kept as written, in file order (JavaScript puts integer-like keys such as `2:` first).
 */

function scalarText(value: string | number | boolean): string {
  return typeof value === "string" ? value : String(value);
}

function itemText(item: ConfigurationValue): string {
  if (typeof item === "string" || typeof item === "number" || typeof item === "boolean") return scalarText(item);
  return JSON.stringify(item);
}

function argumentsFor(name: string, value: ConfigurationValue): string[] {
  if (value === null) return [];
  if (Array.isArray(value)) return [`--${name}`, ...value.map(itemText)];
  if (isConfigurationMapping(value)) return [];
  const text = scalarText(value);
  return text.startsWith("-") ? [`--${name}=${text}`] : [`--${name}`, text];
}

function flatten(values: Record<string, ConfigurationValue>, prefix: string, seen: Set<string>, result: string[]): void {
  for (const [key, value] of Object.entries(values)) {
    const name = prefix === "" ? key : `${prefix}.${key}`;
    if (isConfigurationMapping(value)) {
      flatten(value, name, seen, result);
      continue;
    }
    if (seen.has(name)) {
      throw new ConfigurationError(`Two configuration values would both become the script argument --${name}: rename one.`);
    }
    seen.add(name);
    result.push(...argumentsFor(name, value));
  }
}

/** `{ alpha: 0.5, training: { epochs: 3 } }` → `["--alpha", "0.5", "--training.epochs", "3"]`. */
export function toScriptArguments(values: Record<string, ConfigurationValue>): string[] {
  const result: string[] = [];
  flatten(values, "", new Set(), result);
  return result;
}
