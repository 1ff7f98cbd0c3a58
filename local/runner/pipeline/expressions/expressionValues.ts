import { Where } from "../pipelineError";
import { numberText, PipelineNode, scalar } from "../yamlNodes";
import { ExpressionError } from "./expressionSyntax";

/*
 * What an expression computes: a YAML node (scalar, sequence, mapping), a version literal, or
 * the result of a filter (`a.*`). Conversions follow "Type
 * casting" in the expressions page: the right operand of a comparison is converted to the type
 * of the left one, and strings compare ordinally, ignoring case.
 */

export interface VersionValue {
  kind: "version";
  parts: number[];
  at: Where;
}

export interface FilteredValue {
  kind: "filtered";
  items: ExpressionValue[];
  at: Where;
}

export type ExpressionValue = PipelineNode | VersionValue | FilteredValue;

export function nullValue(at: Where): PipelineNode {
  return scalar(null, at);
}

export function isCollection(value: ExpressionValue): boolean {
  return value.kind === "sequence" || value.kind === "mapping" || value.kind === "filtered";
}

export function toBoolean(value: ExpressionValue): boolean {
  if (value.kind !== "scalar") return true;
  const inner = value.value;
  if (inner === null) return false;
  if (typeof inner === "boolean") return inner;
  if (typeof inner === "number") return inner !== 0 && !Number.isNaN(inner);
  return inner !== "";
}

/** .NET invariant number parsing: sign, decimal point, thousands separators, surrounding spaces. */
export function parseNumber(text: string): number {
  const trimmed = text.trim();
  if (trimmed === "") return 0;
  if (!/^[+-]?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d*)?$/.test(trimmed) || !/\d/.test(trimmed)) return Number.NaN;
  return Number(trimmed.replace(/,/g, ""));
}

/** NaN when the value has no number (a collection, a string that is not one). */
export function toNumber(value: ExpressionValue): number {
  if (value.kind !== "scalar") return Number.NaN;
  const inner = value.value;
  if (inner === null) return 0;
  if (typeof inner === "boolean") return inner ? 1 : 0;
  if (typeof inner === "number") return inner;
  return parseNumber(inner);
}

function versionText(parts: number[]): string {
  return parts.join(".");
}

/** undefined when the value has no text (a mapping, a sequence). */
export function toText(value: ExpressionValue): string | undefined {
  switch (value.kind) {
    case "scalar":
      if (value.value === null) return "";
      if (typeof value.value === "boolean") return value.value ? "True" : "False";
      if (typeof value.value === "number") return numberText(value.value);
      return value.value;
    case "version":
      return versionText(value.parts);
    default:
      return undefined;
  }
}

/** Text, or an error naming what could not become text. */
export function requireText(value: ExpressionValue, what: string): string {
  const text = toText(value);
  if (text === undefined) throw new ExpressionError(`${what} is ${value.kind === "mapping" ? "a mapping" : "a sequence"}, which has no text value.`);
  return text;
}

export function parseVersion(text: string): number[] | undefined {
  if (!/^\d+(?:\.\d+){1,3}$/.test(text.trim())) return undefined;
  return text.trim().split(".").map(Number);
}

function toVersion(value: ExpressionValue): number[] | undefined {
  if (value.kind === "version") return value.parts;
  const text = toText(value);
  return text === undefined ? undefined : parseVersion(text);
}

function compareVersions(left: number[], right: number[]): number {
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] ?? -1) - (right[index] ?? -1);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

function compareText(left: string, right: string): number {
  const a = left.toUpperCase();
  const b = right.toUpperCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Compares `right` converted to `left`'s type: -1, 0, 1, or undefined when the conversion
 * fails (then `eq` is False, `ne` True, `gt`… an error).
 */
export function compareValues(left: ExpressionValue, right: ExpressionValue): number | undefined {
  if (left.kind === "version") {
    const other = toVersion(right);
    return other ? compareVersions(left.parts, other) : undefined;
  }
  if (left.kind !== "scalar") return left === right ? 0 : undefined;
  const inner = left.value;
  if (inner === null) {
    const other = right.kind === "scalar" ? right.value : undefined;
    return other === null || other === "" ? 0 : undefined;
  }
  if (typeof inner === "boolean") return Number(inner) - Number(toBoolean(right));
  if (typeof inner === "number") {
    const other = toNumber(right);
    return Number.isNaN(other) ? undefined : Math.sign(inner - other);
  }
  const other = toText(right);
  return other === undefined ? undefined : compareText(inner, other);
}

export function valuesEqual(left: ExpressionValue, right: ExpressionValue): boolean {
  return compareValues(left, right) === 0;
}
