import { Condition } from "./planTypes";
import { describeWhere, PipelineError, Where } from "./pipelineError";
import { describeKind, isMapping, isSequence, keyText, MappingNode, PipelineNode, scalarText, valueOf } from "./yamlNodes";

/*
 * Reading the expanded pipeline's mappings into the plan: which keys a construct has, which the
 * runner uses, which it accepts without doing anything (with a notice where that matters), and
 * which it refuses, always naming the key and its line.
 */

/** use: read by the planner; ignore: accepted silently; notice: accepted, with the given notice; refuse: an error with the given reason. */
export type KeyHandling = "use" | "ignore" | { notice: string } | { refuse: string };

export function checkKeys(node: MappingNode, construct: string, keys: Record<string, KeyHandling>, notices: string[]): void {
  for (const entry of node.entries) {
    const key = keyText(entry);
    const handling = keys[key];
    if (handling === undefined) {
      const known = Object.keys(keys)
        .filter((name) => keys[name] === "use")
        .join(", ");
      throw new PipelineError(`'${key}' is not a property of ${construct} (it takes ${known})`, entry.key.at);
    }
    if (typeof handling === "object" && "refuse" in handling) {
      throw new PipelineError(`'${key}' on ${construct} is not supported by the local runner: ${handling.refuse}`, entry.key.at);
    }
    // One notice per kind, however many places it comes from.
    if (typeof handling === "object" && "notice" in handling && !notices.some((notice) => notice.endsWith(handling.notice))) {
      notices.push(`${describeWhere(entry.key.at)}: ${handling.notice}`);
    }
  }
}

export function textField(node: MappingNode, key: string, construct: string): string | undefined {
  const value = valueOf(node, key);
  if (value === undefined || (value.kind === "scalar" && value.value === null)) return undefined;
  if (value.kind !== "scalar") throw new PipelineError(`'${key}' of ${construct} must be a single value, not ${describeKind(value)}`, value.at);
  return scalarText(value.value);
}

export function requiredText(node: MappingNode, key: string, construct: string): string {
  const text = textField(node, key, construct);
  if (text === undefined) throw new PipelineError(`${construct} needs '${key}'`, node.at);
  return text;
}

const trueWords = new Set(["true", "y", "yes", "on"]);
const falseWords = new Set(["false", "n", "no", "off"]);

export function booleanField(node: MappingNode, key: string, construct: string, fallback: boolean): boolean {
  const value = valueOf(node, key);
  if (value === undefined || (value.kind === "scalar" && value.value === null)) return fallback;
  if (value.kind === "scalar" && typeof value.value === "boolean") return value.value;
  const text = textField(node, key, construct)?.toLowerCase() ?? "";
  if (trueWords.has(text)) return true;
  if (falseWords.has(text)) return false;
  throw new PipelineError(`'${key}' of ${construct} must be true or false, not '${text}'`, value.at);
}

export function numberField(node: MappingNode, key: string, construct: string): number | undefined {
  const text = textField(node, key, construct);
  if (text === undefined) return undefined;
  const number = Number(text.trim());
  if (text.trim() === "" || !Number.isFinite(number) || number < 0) {
    throw new PipelineError(`'${key}' of ${construct} must be a number of 0 or more, not '${text}'`, valueOf(node, key)?.at ?? node.at);
  }
  return number;
}

export function conditionField(node: MappingNode, construct: string): Condition | undefined {
  const text = textField(node, "condition", construct);
  if (text === undefined || text.trim() === "") return undefined;
  return { text, at: valueOf(node, "condition")?.at ?? node.at };
}

/** `dependsOn: A` or `dependsOn: [A, B]`; undefined when not given, [] for `dependsOn: []`. */
export function namesField(node: MappingNode, key: string, construct: string): string[] | undefined {
  const value = valueOf(node, key);
  if (value === undefined) return undefined;
  if (value.kind === "scalar") return value.value === null || value.value === "" ? [] : [scalarText(value.value)];
  if (!isSequence(value)) throw new PipelineError(`'${key}' of ${construct} must be a name or a list of names`, value.at);
  return value.items.map((item) => {
    if (item.kind !== "scalar") throw new PipelineError(`'${key}' of ${construct} lists names, not ${describeKind(item)}`, item.at);
    return scalarText(item.value);
  });
}

/** A mapping of names to text (`env:`, `inputs:`). */
export function textMapping(node: MappingNode, key: string, construct: string): Record<string, string> {
  const value = valueOf(node, key);
  if (value === undefined || (value.kind === "scalar" && value.value === null)) return {};
  if (!isMapping(value)) throw new PipelineError(`'${key}' of ${construct} must be a mapping of names to values`, value.at);
  const result: Record<string, string> = {};
  for (const entry of value.entries) {
    if (entry.value.kind !== "scalar") {
      throw new PipelineError(`'${keyText(entry)}' in '${key}' of ${construct} must be a single value, not ${describeKind(entry.value)}`, entry.value.at);
    }
    result[keyText(entry)] = scalarText(entry.value.value);
  }
  return result;
}

export function mappingField(node: MappingNode, key: string, construct: string): MappingNode | undefined {
  const value = valueOf(node, key);
  if (value === undefined || (value.kind === "scalar" && value.value === null)) return undefined;
  if (!isMapping(value)) throw new PipelineError(`'${key}' of ${construct} must be a mapping`, value.at);
  return value;
}

export function listField(node: MappingNode, key: string, construct: string): PipelineNode[] {
  const value = valueOf(node, key);
  if (value === undefined || (value.kind === "scalar" && value.value === null)) return [];
  if (!isSequence(value)) throw new PipelineError(`'${key}' of ${construct} must be a list`, value.at);
  return value.items;
}

const unitName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Stage, job and step names: letters, digits and '_', not starting with a digit. */
export function checkName(name: string, construct: string, at: Where): string {
  if (!unitName.test(name)) throw new PipelineError(`'${name}' is not a valid ${construct} name: use letters, digits and '_', not starting with a digit`, at);
  return name;
}
