import { pickChampion } from "./champion";
import { GateSettings, Goal } from "./gateSettings";
import { ModelVersionInfo } from "./modelVersions";
import { recordedMetric } from "./recordedMetric";
import { logSafe } from "../../../common/src/text/sentence";

/** How the comparison came out; each one has its own sentence in `reason`. */
export type GateVerdict =
  | "better" // beats the champion (by at least the minimum improvement): registered
  | "worse" // the champion is better: skipped
  | "tie" // equal values: skipped, a tie is not a win
  | "too-little" // better, but by less than the minimum improvement: skipped
  | "no-champion" // nothing to compare with: registered
  | "champion-without-metric"; // the champion carries no value for this metric: registered, with a notice

export interface GateDecision {
  register: boolean;
  verdict: GateVerdict;
  /** One sentence for the log and the summary. */
  reason: string;
  metric: string;
  goal: Goal;
  minImprovement: number;
  candidate: { value: number; foundAt?: string };
  /** The version compared with, when there is one. */
  champion?: { version: string; chosenAs: string; value?: number; valueFrom?: "property" | "tag"; jobName?: string };
  /** More sentences worth a line (several tagged versions, a tag that disagrees with its property…). */
  notices: string[];
}

// Metric values are written by Python and read back from text; a difference this small relative
// to the numbers is rounding, not improvement, when checking a minimum improvement.
const relativeTolerance = 1e-9;

/**
 * Whether the candidate wins against the champion on the gate's metric. Ties are not wins: a
 * model no better than the one in place is not worth a new version. A champion without a
 * recorded value cannot be beaten or lose, so the candidate is registered and says so.
 */
export function decideGate(settings: GateSettings, candidateValue: number, versions: ModelVersionInfo[], foundAt?: string): GateDecision {
  const decision = decide(settings, candidateValue, versions, foundAt);
  // The reason quotes version names, tags and the metric's name, and goes to the log.
  return { ...decision, reason: logSafe(decision.reason), notices: decision.notices.map(logSafe) };
}

function decide(settings: GateSettings, candidateValue: number, versions: ModelVersionInfo[], foundAt: string | undefined): GateDecision {
  const metric = settings.metric.value;
  const goal = settings.goal.value;
  const minImprovement = settings.minImprovement;
  const base = { metric, goal, minImprovement, candidate: { value: candidateValue, ...(foundAt ? { foundAt } : {}) } };
  const choice = pickChampion(versions, settings.championTag);
  if (!choice.champion) {
    return { ...base, register: true, verdict: "no-champion", reason: `No champion yet: ${choice.why}, so the model is registered.`, notices: [] };
  }
  const { version, chosenAs, notices } = choice.champion;
  const championBase = { version: version.version, chosenAs, ...(version.jobName ? { jobName: version.jobName } : {}) };
  const recorded = recordedMetric(version, metric);
  const named = `champion version ${version.version} (${chosenAs})`;
  if (!recorded.found) {
    return {
      ...base,
      register: true,
      verdict: "champion-without-metric",
      reason: `The ${named} has no recorded '${metric}' to compare with (${recorded.why}), so the model is registered.`,
      champion: championBase,
      notices: [...notices],
    };
  }
  const champion = { ...championBase, value: recorded.value, valueFrom: recorded.from };
  const allNotices = recorded.note ? [...notices, `Version ${version.version}: ${recorded.note}.`] : [...notices];
  const decision = (register: boolean, verdict: GateVerdict, reason: string): GateDecision => ({
    ...base,
    register,
    verdict,
    reason,
    champion,
    notices: allNotices,
  });

  const improvement = goal === "maximize" ? candidateValue - recorded.value : recorded.value - candidateValue;
  const compared = `'${metric}' ${candidateValue} against ${recorded.value} of the ${named}, goal ${goal}`;
  if (candidateValue === recorded.value) {
    return decision(false, "tie", `Tie on ${compared}: a tie is not a win, so the model is not registered.`);
  }
  if (improvement < 0) {
    return decision(false, "worse", `The champion is better on ${compared}, so the model is not registered.`);
  }
  const tolerance = relativeTolerance * Math.max(Math.abs(candidateValue), Math.abs(recorded.value), minImprovement);
  if (minImprovement > 0 && improvement < minImprovement - tolerance) {
    return decision(
      false,
      "too-little",
      `The model is better on ${compared}, but by ${Number(improvement.toPrecision(12))}, less than the minimum improvement ${minImprovement}, so it is not registered.`,
    );
  }
  return decision(true, "better", `The model wins on ${compared}, so it is registered.`);
}
