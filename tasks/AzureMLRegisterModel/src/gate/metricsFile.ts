import { inputError } from "../../../common/src/text/sentence";
import { abbreviated, quoted } from "../../../common/src/text/printable";

/*
 * A job's metrics file: JSON the training script wrote (`json.dump(metrics, f)`). Where the metric
 * is found, in this order, the first hit winning and a second, different hit being an error:
 *   1. a top-level key equal to the whole name:       {"eval.rmse": 0.9}   ({"rmse": 0.9} for `rmse`)
 *   2. the dotted name as a path through objects:      {"eval": {"rmse": 0.9}}
 *   3. 1 or 2 inside a top-level `metrics` object:     {"metrics": {"rmse": 0.9}}   (MLflow-like)
 * The value must be a JSON number and finite. Python writes NaN and ±Infinity as bare `NaN` and
 * `Infinity`, which is not JSON; we read such files anyway so that a NaN in another metric does
 * not hide ours, and refuse the value when it is the one asked for.
 */

/** What the gate reads from Azure: one file of the job's outputs. The assembly implements it. */
export interface MetricsFileSource {
  /** Where the file is, as the user would recognise it (e.g. its `azureml://jobs/…` reference). */
  readonly location: string;
  /**
   * The file's first bytes, at most `maxBytes + 1` of them (more than `maxBytes` tells us it is
   * too large without holding it whole), or undefined when the file does not exist.
   */
  read(maxBytes: number): Promise<Uint8Array | undefined>;
}

/** Metrics files are small; anything past this is not one. */
export const maxMetricsFileBytes = 1024 * 1024;

export interface MetricReading {
  metric: string;
  value: number;
  /** Where in the file it was found, e.g. `metrics.eval.rmse`. */
  foundAt: string;
  location: string;
}

// Stand-ins for Python's non-JSON numbers; as strings they can never be mistaken for a number.
const nonFiniteMarker = "\u0000non-finite:";

/** The text with bare NaN, Infinity and -Infinity outside strings replaced by marker strings. */
function withNonFiniteMarked(text: string): string {
  let result = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      result += char;
      if (char === "\\") {
        result += text[i + 1] ?? "";
        i++;
      } else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') {
      inString = true;
      result += char;
      continue;
    }
    const token = /^(-Infinity|Infinity|NaN)/.exec(text.slice(i, i + 9))?.[0];
    if (token) {
      result += JSON.stringify(nonFiniteMarker + token);
      i += token.length - 1;
      continue;
    }
    result += char;
  }
  return result;
}

function decode(bytes: Uint8Array, location: string, named: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw inputError(`The metrics file ${location} is not UTF-8 text, so ${named} cannot be read from it.`);
  }
}

/** The file's JSON; Python's NaN/Infinity kept as marker strings. */
function parse(text: string, location: string, named: string): unknown {
  const marked = withNonFiniteMarked(text);
  try {
    return JSON.parse(marked);
  } catch (error) {
    throw inputError(`The metrics file ${location} is not valid JSON${whereInvalid(error, marked)}, so ${named} cannot be read from it.`);
  }
}

/** Where the JSON breaks, by line; never V8's message itself, which quotes the file's text. */
function whereInvalid(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : "";
  if (/unexpected end/i.test(message) || text.trim() === "") return " (it ends too early)";
  const position = /at position (\d+)/.exec(message)?.[1];
  if (position === undefined) return "";
  if (Number(position) >= text.trimEnd().length) return " (it ends too early)";
  const line = text.slice(0, Number(position)).split("\n").length;
  return ` (line ${line})`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function own(object: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

interface Hit {
  foundAt: string;
  value: unknown;
}

function lookUp(root: Record<string, unknown>, metric: string, prefix: string): Hit[] {
  const hits: Hit[] = [];
  const direct = own(root, metric);
  if (direct !== undefined) hits.push({ foundAt: `${prefix}${metric}`, value: direct });
  const parts = metric.split(".");
  if (parts.length > 1) {
    let node: unknown = root;
    for (const part of parts) node = isObject(node) ? own(node, part) : undefined;
    if (node !== undefined) hits.push({ foundAt: `${prefix}${parts.join(".")} (nested)`, value: node });
  }
  return hits;
}

/** What a value is, in a few words, never the whole of it. */
function describe(value: unknown): string {
  if (typeof value === "string") {
    if (value.startsWith(nonFiniteMarker)) return value.slice(nonFiniteMarker.length);
    return `the string ${quoted(abbreviated(value, 40))}`;
  }
  if (value === null) return "null";
  if (typeof value === "boolean") return `the boolean ${String(value)}`;
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? "" : "s"}`;
  if (isObject(value)) return `an object (keys ${keyList(value)})`;
  return typeof value;
}

function keyList(object: Record<string, unknown>): string {
  const keys = Object.keys(object);
  if (keys.length === 0) return "none";
  const shown = keys.slice(0, 8).map((key) => quoted(abbreviated(key, 40)));
  return keys.length > 8 ? `${shown.join(", ")} and ${keys.length - 8} more` : shown.join(", ");
}

/** Finds one metric in a metrics file's content. Every refusal is one sentence naming the file and the metric. */
export function metricFromContent(content: Uint8Array, metric: string, location: string): MetricReading {
  const named = `metric ${quoted(metric)}`;
  if (content.length > maxMetricsFileBytes) {
    throw inputError(
      `The metrics file ${location} is larger than ${maxMetricsFileBytes} bytes; a metrics file that large is not one, so ${named} was not read from it.`,
    );
  }
  const root = parse(decode(content, location, named), location, named);
  if (!isObject(root)) throw inputError(`The metrics file ${location} holds ${describe(root)}, not a JSON object, so it has no ${named}.`);
  const nested = own(root, "metrics");
  const hits = [...lookUp(root, metric, ""), ...(isObject(nested) && metric !== "metrics" ? lookUp(nested, metric, "metrics.") : [])];
  if (hits.length === 0) {
    const inner = isObject(nested) ? `; under 'metrics': ${keyList(nested)}` : "";
    throw inputError(`The metrics file ${location} has no ${named}; its top-level keys are ${keyList(root)}${inner}.`);
  }
  const [first] = hits;
  const differing = hits.find((hit) => !Object.is(hit.value, first.value) && JSON.stringify(hit.value) !== JSON.stringify(first.value));
  if (differing) {
    throw inputError(
      `The metrics file ${location} has ${named} twice with different values, at ${quoted(first.foundAt)} and ${quoted(differing.foundAt)}; rename one of them.`,
    );
  }
  const value = first.value;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw inputError(`In the metrics file ${location}, ${named} (at ${quoted(first.foundAt)}) is ${describe(value)}, not a finite number.`);
  }
  return { metric, value, foundAt: first.foundAt, location };
}

/** Reads the candidate's metric from the job's metrics file. */
export async function readMetric(source: MetricsFileSource, metric: string): Promise<MetricReading> {
  const content = await source.read(maxMetricsFileBytes);
  if (content === undefined) {
    throw inputError(`The job wrote no metrics file at ${source.location}, so its metric ${quoted(metric)} cannot be compared with the champion's.`);
  }
  return metricFromContent(content, metric, source.location);
}
