import * as path from "node:path";
import { LocatedNode, locateDocuments } from "../configuration/locatedYaml";
import { InputError } from "../errors/inputError";
import { readInputFile } from "../files/fileInputs";
import { quoted } from "../text/printable";
import { loadYaml } from "../yaml/safeYaml";

/*
 * Azure ML YAML files (jobs, models…) read the way `az ml` reads them: every field known and
 * typed, an unknown field refused (the SDK's marshmallow schemas raise on unknown fields, to
 * catch typos), and every error one sentence naming the file, the field's path and its line.
 * Values are never printed: a job file's environment variables may hold what should have been
 * a secret.
 *
 * js-yaml builds the values; locatedYaml gives each key its line. The two are walked together,
 * key by key, so that aliases and `<<` merge keys (whose keys have no line of their own) still
 * get the line of what brought them in.
 */

/** Where a YAML file came from, for every error about it. */
export interface YamlFileOrigin {
  /** As given, resolved to an absolute path. */
  file: string;
  /** Who named the file, as a sentence's subject: "Input 'jobFile'". */
  source: string;
  /** What kind of file, for messages: "a command job", "a model". */
  kind: string;
}

export interface LoadedYamlFile {
  origin: YamlFileOrigin;
  /** The folder that holds the file: relative paths in it resolve against this (NOTES §1). */
  folder: string;
  root: YamlField;
}

export type YamlValueType = "text" | "number" | "integer" | "boolean" | "mapping" | "list" | "null";

/** A value of the file, its dotted path (`inputs.iris.mode`) and its line. */
export class YamlField {
  constructor(
    readonly origin: YamlFileOrigin,
    readonly path: string,
    readonly line: number,
    readonly value: unknown,
    private readonly located: LocatedNode | undefined,
    /** The key of this field within its mapping, kept as read: a key may hold dots (`nvidia.com/gpu`). */
    private readonly ownKey?: string,
  ) {}

  /** `Input 'jobFile': /w/job.yml:7` */
  get where(): string {
    return `${this.origin.source}: ${this.origin.file}:${this.line}`;
  }

  /** An InputError for this field, in the one-sentence form every error of these files has. */
  error(problem: string): InputError {
    return new InputError(`${this.where}: field '${this.path}' ${problem}`);
  }

  get type(): YamlValueType {
    return typeOf(this.value);
  }

  isMapping(): boolean {
    return this.type === "mapping";
  }

  /** The child fields of a mapping, in file order; refuses any other type. */
  entries(expected = "a mapping"): YamlField[] {
    if (!this.isMapping()) throw this.wrongType(expected);
    const lines = this.keyLines();
    return Object.entries(this.value as Record<string, unknown>).map(([key, value]) => {
      const found = lines.get(key);
      return new YamlField(this.origin, this.childPath(key), found?.line ?? this.line, value, found?.value, key);
    });
  }

  /** The key of this field within its mapping (else the last segment of its path). */
  get key(): string {
    if (this.ownKey !== undefined) return this.ownKey;
    const dot = this.path.lastIndexOf(".");
    return dot < 0 ? this.path : this.path.slice(dot + 1);
  }

  /**
   * The fields of a mapping by key, after refusing every key not in `known` with a
   * "did you mean" suggestion. `known` is the full list of what `az ml` accepts here.
   */
  fields(known: readonly string[], expected = "a mapping"): FieldSet {
    const entries = this.entries(expected);
    for (const entry of entries) {
      if (known.includes(entry.key)) continue;
      const suggestion = closest(entry.key, known);
      const hint = suggestion === undefined ? ` (known fields: ${known.join(", ")}).` : `; did you mean '${suggestion}'?`;
      throw entry.error(`is not a field of ${this.describe()}${hint}`);
    }
    return new FieldSet(this, entries);
  }

  text(): string {
    if (typeof this.value !== "string") throw this.wrongType("text");
    return this.value;
  }

  /** Text that must not be empty. */
  nonEmptyText(): string {
    const text = this.text();
    if (text.trim() === "") throw this.error("is empty.");
    return text;
  }

  integer(minimum?: number): number {
    if (typeof this.value !== "number" || !Number.isInteger(this.value)) throw this.wrongType("a whole number");
    if (minimum !== undefined && this.value < minimum) throw this.error(`must be ${minimum} or more.`);
    return this.value;
  }

  number(): number {
    if (typeof this.value !== "number") throw this.wrongType("a number");
    return this.value;
  }

  boolean(): boolean {
    if (typeof this.value !== "boolean") throw this.wrongType("true or false");
    return this.value;
  }

  /** Text or a number written without quotes (`version: 1`), as text. */
  textOrNumber(): string {
    if (typeof this.value === "number") return String(this.value);
    return this.nonEmptyText();
  }

  /** One of `allowed`, as written. */
  oneOf<T extends string>(allowed: readonly T[]): T {
    const text = this.text();
    const match = allowed.find((value) => value === text);
    if (match !== undefined) return match;
    const suggestion = closest(text, allowed);
    const hint = suggestion === undefined ? "." : `; did you mean '${suggestion}'?`;
    // Shown only when it has the shape of a keyword: anything else could be a value misplaced.
    const shown = /^[A-Za-z0-9_.-]{1,40}$/.test(text) ? quoted(text) : "a value";
    throw this.error(`is ${shown}, which is not one of ${allowed.map((value) => `'${value}'`).join(", ")}${hint}`);
  }

  /** A mapping of names to text (tags, environment variables); `null` reads as empty, as in `az ml`. */
  textMap(): Record<string, string> {
    const result: Record<string, string> = {};
    if (this.value === null) return result;
    for (const entry of this.entries("a mapping of names to text")) {
      const value = entry.value === null ? "" : entry.value;
      if (typeof value !== "string") {
        throw entry.error(`is ${describeType(entry.type)}; it must be text (put the value in quotes).`);
      }
      setOwnText(result, entry.key, value);
    }
    return result;
  }

  wrongType(expected: string): InputError {
    return this.error(`is ${describeType(this.type)}; it must be ${expected}.`);
  }

  /** "a command job" at the root, "field 'inputs.iris'" below it. */
  private describe(): string {
    return this.path === "" ? this.origin.kind : `field '${this.path}'`;
  }

  private childPath(key: string): string {
    return this.path === "" ? key : `${this.path}.${key}`;
  }

  private keyLines(): Map<string, { line: number; value: LocatedNode | undefined }> {
    const lines = new Map<string, { line: number; value: LocatedNode | undefined }>();
    if (this.located?.kind !== "mapping") return lines;
    for (const entry of this.located.entries) {
      if (entry.key.kind !== "scalar") continue;
      // Merged keys (`<<`) keep the line of what merged them; written keys win, as in YAML.
      const value = entry.value.kind === "alias" ? undefined : entry.value;
      lines.set(entry.key.text, { line: entry.key.line, value });
    }
    return lines;
  }
}

/** The fields of one mapping, after its keys were checked. */
export class FieldSet {
  private readonly byKey = new Map<string, YamlField>();

  constructor(
    readonly parent: YamlField,
    entries: YamlField[],
  ) {
    for (const entry of entries) this.byKey.set(entry.key, entry);
  }

  /** The field, unless absent or written empty (`key:` alone, or `null`). */
  optional(key: string): YamlField | undefined {
    const field = this.byKey.get(key);
    return field === undefined || field.value === null ? undefined : field;
  }

  /** Whether the key is written at all, even as null. */
  has(key: string): boolean {
    return this.byKey.has(key);
  }

  required(key: string, why = ""): YamlField {
    const field = this.optional(key);
    if (field !== undefined) return field;
    const where = this.byKey.get(key) ?? this.parent;
    const owner = this.parent.path === "" ? this.parent.origin.kind : `field '${this.parent.path}'`;
    throw new InputError(`${where.where}: ${owner} needs the field '${this.parent.path === "" ? key : `${this.parent.path}.${key}`}'${why}.`);
  }

  all(): YamlField[] {
    return [...this.byKey.values()];
  }
}

function typeOf(value: unknown): YamlValueType {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return "text";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (Array.isArray(value)) return "list";
  return "mapping";
}

export function describeType(type: YamlValueType): string {
  switch (type) {
    case "text":
      return "text";
    case "number":
      return "a number";
    case "integer":
      return "a whole number";
    case "boolean":
      return "true or false";
    case "mapping":
      return "a mapping";
    case "list":
      return "a list";
    case "null":
      return "empty";
  }
}

function setOwnText(target: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Levenshtein distance, small strings only (field names). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The known name a misspelling most likely meant: same letters in another case, or the
 * nearest within a third of its length (at least 2 edits), ignoring case and `-`/`_`.
 */
export function closest(written: string, known: readonly string[]): string | undefined {
  const normal = (text: string) => text.toLowerCase().replace(/[-_ ]/g, "");
  const target = normal(written);
  if (target === "" || written.length > 100) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    // A shortened name (`mlflow` for `mlflow_model`) counts as close.
    const prefix = target.length >= 3 && normal(name).startsWith(target);
    const distance = prefix ? 1 : editDistance(target, normal(name));
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(2, Math.floor(Math.max(target.length, best.name.length) / 3));
  return best.distance <= allowed ? best.name : undefined;
}

/**
 * Reads an Azure ML YAML file named by the user: one document, a mapping at the top. `file` is
 * resolved against the working directory first, so that relative paths in it resolve against
 * its real folder.
 */
export function loadYamlFile(file: string, source: string, kind: string): LoadedYamlFile {
  const absolute = path.resolve(file);
  const origin: YamlFileOrigin = { file: absolute, source, kind };
  const text = readInputFile({ path: absolute, source });
  const loaded = loadYaml(text, { name: `${source}: ${absolute}`, positions: "file" });
  const located = locateDocuments(loaded.source, loaded.events);
  if (loaded.documents.length > 1) {
    throw new InputError(`${source}: ${absolute} holds ${loaded.documents.length} YAML documents; ${kind} file holds one.`);
  }
  const [value] = loaded.documents;
  const [node] = located;
  if (value === undefined || value === null) throw new InputError(`${source}: ${absolute} is empty; it must describe ${kind}.`);
  const root = new YamlField(origin, "", node?.line ?? 1, value, node);
  if (!root.isMapping()) {
    throw new InputError(`${source}: ${absolute}:${root.line} must hold a mapping of fields at its top level, but holds ${describeType(root.type)}.`);
  }
  return { origin, folder: path.dirname(absolute), root };
}
