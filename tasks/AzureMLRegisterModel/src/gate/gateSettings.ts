import { capitalized, inputError } from "../../../common/src/text/sentence";
import { SourcedValue } from "../../../common/src/settings/sourcedValue";
import { hasControlCharacter, quoted } from "../../../common/src/text/printable";
import { checkPathInOutput } from "../source/jobOutputPath";

/** Whether a larger metric is better (`maximize`: accuracy, AUC) or a smaller one (`minimize`: RMSE, loss). */
export type Goal = "maximize" | "minimize";

/** Which existing version is the champion: the newest, or the newest carrying a tag. */
export interface ChampionTag {
  /** The tag name, compared exactly (Azure ML keeps model tags as given). */
  name: string;
  /** The value it must have; absent: any value. */
  value?: string;
  /** Where it came from, for messages. */
  source: string;
}

/** The optional gate: register the model only when it beats the champion on one metric. */
export interface GateSettings {
  /** The metric's name (or dotted path) in the job's metrics file, e.g. `rmse` or `eval.rmse`. */
  metric: SourcedValue;
  /** Whether larger or smaller wins. */
  goal: { value: Goal; source: string };
  /**
   * Where the job wrote its metrics: a path inside the job's artifact store (default
   * `outputs/metrics.json`, i.e. the job's `./outputs/metrics.json`), validated.
   */
  metricsFile: SourcedValue;
  /** The champion is the newest version carrying this tag; absent: the newest version. */
  championTag?: ChampionTag;
  /** How much better than the champion the candidate must be (in the metric's units); 0 by default: strictly better. */
  minImprovement: number;
}

/** The gate's inputs as the task reads them; only `metric` turns the gate on. */
export interface GateInputs {
  metric?: SourcedValue;
  goal?: SourcedValue;
  metricsFile?: SourcedValue;
  championTag?: SourcedValue;
  minImprovement?: SourcedValue;
}

/** The input names the task's `task.json` is expected to use; the assembly may choose others. */
export const gateInputNames = {
  metric: "metric",
  goal: "goal",
  metricsFile: "metricsFile",
  championTag: "championTag",
  minImprovement: "minImprovement",
} as const;

export const defaultMetricsFile = "outputs/metrics.json";

const longestMetricName = 200;
const longestTag = 256;

function checkMetric(metric: SourcedValue): SourcedValue {
  const value = metric.value.trim();
  if (hasControlCharacter(value)) throw inputError(`${capitalized(metric.source)} is ${quoted(value)}, which holds a control character.`);
  if (value.length > longestMetricName) {
    throw inputError(`${capitalized(metric.source)} is ${value.length} characters long; a metric name takes at most ${longestMetricName}.`);
  }
  if (value.split(".").some((part) => part === "")) {
    throw inputError(`${capitalized(metric.source)} is ${quoted(value)}; a dotted metric path has no empty part (as in 'a..b' or '.a').`);
  }
  return { value, source: metric.source };
}

/** `maximize` or `minimize` (case ignored; the British spellings and `max`/`min` are taken too). */
export function parseGoal(goal: SourcedValue): Goal {
  const value = goal.value.trim().toLowerCase();
  if (["maximize", "maximise", "max"].includes(value)) return "maximize";
  if (["minimize", "minimise", "min"].includes(value)) return "minimize";
  throw inputError(`${capitalized(goal.source)} is ${quoted(goal.value)}; it takes 'maximize' or 'minimize'.`);
}

/** `name` (any value) or `name=value`. */
export function parseChampionTag(tag: SourcedValue): ChampionTag {
  const text = tag.value.trim();
  if (hasControlCharacter(text)) throw inputError(`${capitalized(tag.source)} is ${quoted(text)}, which holds a control character.`);
  const separator = text.indexOf("=");
  const name = (separator >= 0 ? text.slice(0, separator) : text).trim();
  const value = separator >= 0 ? text.slice(separator + 1).trim() : undefined;
  if (!name) throw inputError(`${capitalized(tag.source)} is ${quoted(text)}; it takes a tag name, or 'name=value'.`);
  if (name.length > longestTag || (value?.length ?? 0) > longestTag) {
    throw inputError(`${capitalized(tag.source)} has a tag name or value longer than ${longestTag} characters.`);
  }
  return value === undefined ? { name, source: tag.source } : { name, value, source: tag.source };
}

/** A finite number, 0 or more. */
export function parseMinImprovement(input: SourcedValue): number {
  const text = input.value.trim();
  const value = Number(text);
  if (!text || !Number.isFinite(value) || value < 0) {
    throw inputError(`${capitalized(input.source)} is ${quoted(input.value)}; it takes a number, 0 or more, in the metric's units.`);
  }
  return value;
}

/**
 * The gate, or undefined when no metric is given. A metrics file, champion tag or minimum
 * improvement given without a metric is an error rather than ignored: the user meant a gate and
 * would otherwise register unchecked. A goal alone is not: the classic editor shows `goal` as a
 * pick list and may fill it in by itself while `metric` stays empty, and a goal cannot make a
 * gate of its own, so it is ignored (see {@link goalWithoutMetric}).
 */
export function readGateSettings(inputs: GateInputs): GateSettings | undefined {
  const metricText = inputs.metric?.value.trim();
  if (!inputs.metric || !metricText) {
    const stray = [inputs.metricsFile, inputs.championTag, inputs.minImprovement].find((input) => input?.value.trim());
    if (stray)
      throw inputError(`${capitalized(stray.source)} is set, but no metric is given to gate on: set input '${gateInputNames.metric}' too, or remove it.`);
    return undefined;
  }
  const metric = checkMetric(inputs.metric);
  if (!inputs.goal?.value.trim()) {
    throw inputError(`A gate on ${metric.source} needs a goal: set input '${gateInputNames.goal}' to 'maximize' or 'minimize'.`);
  }
  const goal = { value: parseGoal(inputs.goal), source: inputs.goal.source };
  const fileInput = inputs.metricsFile?.value.trim() ? inputs.metricsFile : undefined;
  const metricsFile = fileInput
    ? { value: checkPathInOutput(fileInput.value, fileInput.source), source: fileInput.source }
    : { value: defaultMetricsFile, source: `the default metrics file '${defaultMetricsFile}'` };
  if (!metricsFile.value) throw inputError(`${capitalized(metricsFile.source)} names the whole artifact store; it takes the path of a JSON file in it.`);
  const championTag = inputs.championTag?.value.trim() ? parseChampionTag(inputs.championTag) : undefined;
  const minImprovement = inputs.minImprovement?.value.trim() ? parseMinImprovement(inputs.minImprovement) : 0;
  return { metric, goal, metricsFile, ...(championTag ? { championTag } : {}), minImprovement };
}

/** The goal given while no metric is, which {@link readGateSettings} ignores; undefined otherwise. */
export function goalWithoutMetric(inputs: GateInputs): SourcedValue | undefined {
  return !inputs.metric?.value.trim() && inputs.goal?.value.trim() ? inputs.goal : undefined;
}
