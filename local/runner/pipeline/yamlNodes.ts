import { PipelineError, Where } from "./pipelineError";

/*
 * The pipeline as a tree of YAML nodes that remember their file and line. Template expansion,
 * expressions and planning all work on it, so that any error can point at the line it comes
 * from, even for a step a template parameter carried from another file. A scalar read from YAML
 * is always text (Azure Pipelines reads `true` and `3` as strings until something types them);
 * expressions and typed parameters put booleans, numbers and null in it.
 */

export type ScalarValue = string | number | boolean | null;

export interface ScalarNode {
  kind: "scalar";
  value: ScalarValue;
  at: Where;
}

export interface SequenceNode {
  kind: "sequence";
  items: PipelineNode[];
  at: Where;
}

export interface MappingEntry {
  key: ScalarNode;
  value: PipelineNode;
}

export interface MappingNode {
  kind: "mapping";
  entries: MappingEntry[];
  at: Where;
}

export type PipelineNode = ScalarNode | SequenceNode | MappingNode;

export function scalar(value: ScalarValue, at: Where): ScalarNode {
  return { kind: "scalar", value, at };
}

export function sequence(items: PipelineNode[], at: Where): SequenceNode {
  return { kind: "sequence", items, at };
}

export function mapping(entries: MappingEntry[], at: Where): MappingNode {
  return { kind: "mapping", entries, at };
}

export function isMapping(node: PipelineNode | undefined): node is MappingNode {
  return node?.kind === "mapping";
}

export function isSequence(node: PipelineNode | undefined): node is SequenceNode {
  return node?.kind === "sequence";
}

/** A mapping key's text (keys are scalars; an expression key is text until expanded). */
export function keyText(entry: MappingEntry): string {
  return scalarText(entry.key.value);
}

/** How a scalar reads as text, as Azure Pipelines converts values into strings. */
export function scalarText(value: ScalarValue): string {
  if (value === null) return "";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return numberText(value);
  return value;
}

/** Invariant culture, no thousands separator: what JavaScript's own conversion gives. */
export function numberText(value: number): string {
  return String(value);
}

/** The value of `name` in a mapping, matched exactly as YAML keys are. */
export function entryOf(node: MappingNode, name: string): MappingEntry | undefined {
  return node.entries.find((entry) => keyText(entry) === name);
}

export function valueOf(node: MappingNode, name: string): PipelineNode | undefined {
  return entryOf(node, name)?.value;
}

/** Case-insensitive lookup, as expressions read properties (`parameters.Foo` finds `foo`). */
export function propertyOf(node: MappingNode, name: string): PipelineNode | undefined {
  const lower = name.toLowerCase();
  let found: PipelineNode | undefined;
  // The last of two keys differing only in case wins, as a dictionary would keep it.
  for (const entry of node.entries) if (keyText(entry).toLowerCase() === lower) found = entry.value;
  return found;
}

/** Plain JavaScript values, for JSON output (convertToJson) and schema validation. */
export function toPlain(node: PipelineNode): unknown {
  if (node.kind === "scalar") return node.value;
  if (node.kind === "sequence") return node.items.map(toPlain);
  const result: Record<string, unknown> = {};
  for (const entry of node.entries) result[keyText(entry)] = toPlain(entry.value);
  return result;
}

/** A node built from a plain value (the result of a function like `split`), placed at `at`. */
export function fromPlain(value: unknown, at: Where): PipelineNode {
  if (Array.isArray(value))
    return sequence(
      value.map((item) => fromPlain(item, at)),
      at,
    );
  if (value !== null && typeof value === "object") {
    return mapping(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => ({ key: scalar(key, at), value: fromPlain(item, at) })),
      at,
    );
  }
  if (value === undefined) return scalar(null, at);
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null) return scalar(value, at);
  throw new PipelineError(`a value of type ${typeof value} cannot be used in a pipeline`, at);
}

export function describeKind(node: PipelineNode): string {
  if (node.kind === "scalar") return node.value === null ? "null" : typeof node.value === "string" ? "a string" : `a ${typeof node.value}`;
  return node.kind === "sequence" ? "a sequence" : "a mapping";
}
