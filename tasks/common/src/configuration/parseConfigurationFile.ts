import { readInputFile } from "../files/fileInputs";
import { loadYaml } from "../yaml/safeYaml";
import { asConfigurationError } from "./asConfigurationError";
import { ConfigurationError } from "./configurationErrors";
import { ConfigurationMapping, ConfigurationValue, isConfigurationMapping, setOwn } from "./configurationValue";
import { LocatedMapping, LocatedNode, locateDocuments } from "./locatedYaml";

export interface ParsedConfigurationFile {
  file: string;
  values: ConfigurationMapping;
  /** Undefined for a file with no content (only comments), which counts as an empty mapping. */
  document?: LocatedMapping;
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
  const {
    source,
    events,
    documents: constructedDocuments,
  } = asConfigurationError(() =>
    loadYaml(readInputFile({ path: file, source: "Configuration" }), { name: `The configuration file ${file}`, positions: "file" }),
  );
  const documents = locateDocuments(source, events);
  if (documents.length > 1) {
    throw new ConfigurationError(`The configuration file ${file} holds ${documents.length} YAML documents; it must hold one mapping.`);
  }
  const [constructed] = constructedDocuments;
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
