import * as fs from "node:fs";
import { constructFromEvents, CORE_SCHEMA, Event, mergeTag, parseEvents, YAMLException } from "js-yaml";
import { ConfigurationError } from "./configurationErrors";
import { ConfigurationMapping, ConfigurationValue, isConfigurationMapping, setOwn } from "./configurationValue";
import { LocatedMapping, LocatedNode, locateDocuments } from "./locatedYaml";

export interface ParsedConfigurationFile {
  file: string;
  values: ConfigurationMapping;
  /** Undefined for a file with no content (only comments), which counts as an empty mapping. */
  document?: LocatedMapping;
}

// `<<: *defaults` is common in configuration files; the core schema leaves it out by default.
const schema = CORE_SCHEMA.withTags(mergeTag);

function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : String(error);
    throw new ConfigurationError(`Cannot read the configuration file ${file} (${code}).`);
  }
}

/**
 * Only the reason and the position: js-yaml's own message adds a snippet of the source, which
 * could print the very secret the scan exists to keep out of the log.
 */
function syntaxError(file: string, error: YAMLException): ConfigurationError {
  const where = error.mark ? `${file}:${error.mark.line + 1} (column ${error.mark.column + 1})` : file;
  return new ConfigurationError(`The configuration file ${where} is not valid YAML: ${error.reason}.`);
}

function parseYaml<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof YAMLException) throw syntaxError(file, error);
    throw error;
  }
}

function describeKind(node: LocatedNode): string {
  if (node.kind === "sequence") return "a list";
  if (node.kind === "alias") return "an alias";
  return "a single value";
}

function toConfigurationValue(value: unknown, file: string): ConfigurationValue {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return value;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => toConfigurationValue(item, file));
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const mapping: ConfigurationMapping = {};
    for (const [key, item] of Object.entries(value)) setOwn(mapping, key, toConfigurationValue(item, file));
    return mapping;
  }
  // Unreachable with the core schema, kept so that a schema change cannot slip other types in.
  throw new ConfigurationError(`The configuration file ${file} holds a value of an unsupported type.`);
}

/** Reads one configuration file: one YAML document whose top level is a mapping. */
export function parseConfigurationFile(file: string): ParsedConfigurationFile {
  const source = readText(file);
  const events: Event[] = parseYaml(file, () => parseEvents(source, { filename: file }));
  const documents = locateDocuments(source, events);
  if (documents.length > 1) {
    throw new ConfigurationError(
      `The configuration file ${file} holds ${documents.length} YAML documents; it must hold one mapping.`,
    );
  }
  const [constructed] = parseYaml(file, () => constructFromEvents(events, { source, filename: file, schema }));
  const [document] = documents;
  if (document === undefined || constructed === null) return { file, values: {} };
  const values = toConfigurationValue(constructed, file);
  if (document.kind !== "mapping" || !isConfigurationMapping(values)) {
    throw new ConfigurationError(
      `The configuration file ${file} must hold a mapping of names to values at its top level, ` +
        `but line ${document.line} starts ${describeKind(document)}.`,
    );
  }
  return { file, values, document };
}
