import { GateDecision, GateVerdict } from "../gate/decideGate";
import { markdownLink, markdownRows, markdownText } from "../../../common/src/text/markdownText";

/** Where the registered files came from. */
export type RegisteredSource =
  | { kind: "job"; jobName: string; outputName: string; pathInOutput: string; uri: string }
  | { kind: "local"; path: string }
  | { kind: "modelFile"; file: string; path: string };

export interface RegistrationSummary {
  modelName: string;
  /** `custom_model`, `mlflow_model` or `triton_model`. */
  modelType: string;
  /** The version registered; absent when the gate skipped the model. */
  registeredVersion?: string;
  /** The new version's resource id. */
  modelId?: string;
  /** The version already held these files (a rerun): found and reused, nothing created. */
  reused?: boolean;
  source: RegisteredSource;
  /** The gate's decision; absent when no gate was set. */
  gate?: GateDecision;
  /** The version's page in Azure ML studio (https only; anything else is left out). */
  studioUrl?: string;
}

const verdicts: Record<GateVerdict, string> = {
  better: "wins: registered",
  worse: "loses: not registered",
  tie: "tie (not a win): not registered",
  "too-little": "better, by less than the minimum: not registered",
  "no-champion": "no champion yet: registered",
  "champion-without-metric": "champion has no value: registered",
};

function sourceText(source: RegisteredSource): string {
  const t = markdownText;
  switch (source.kind) {
    case "job": {
      const path = source.pathInOutput ? `, path ${t(source.pathInOutput)}` : "";
      return `job ${t(source.jobName)}, output ${t(source.outputName)}${path} (${t(source.uri)})`;
    }
    case "local":
      return `local path ${t(source.path)} (uploaded)`;
    case "modelFile":
      return `model file ${t(source.file)}, path ${t(source.path)}`;
  }
}

function gateSection(gate: GateDecision): string[] {
  const t = markdownText;
  const champion = gate.champion;
  const championVersion = champion ? `version ${t(champion.version)} (${t(champion.chosenAs)})` : "none";
  const championValue = champion?.value !== undefined ? `${t(String(champion.value))} (from its ${champion.valueFrom})` : "—";
  const goal = gate.minImprovement > 0 ? `${gate.goal}, by at least ${t(String(gate.minImprovement))}` : gate.goal;
  const lines = [
    "#### Gate",
    "",
    markdownRows(
      ["Metric", "Goal", "Candidate", "Champion", "Champion value", "Verdict"],
      [[t(gate.metric), goal, t(String(gate.candidate.value)), championVersion, championValue, verdicts[gate.verdict]]],
    ),
    "",
    t(gate.reason),
  ];
  if (gate.notices.length > 0) lines.push("", ...gate.notices.map((notice) => `- ${t(notice)}`));
  return lines;
}

/** The run summary page: what was registered (or why not), from where, and the gate's comparison. */
export function registrationSummaryMarkdown(summary: RegistrationSummary): string {
  const t = markdownText;
  const registered = summary.registeredVersion !== undefined;
  const state = summary.reused ? "already registered, reused" : "registered";
  const heading = registered
    ? `### Model ${t(summary.modelName)}: version ${t(summary.registeredVersion ?? "")} ${state}`
    : `### Model ${t(summary.modelName)}: not registered`;
  const link = summary.studioUrl && registered ? markdownLink("open in Azure ML studio", summary.studioUrl) : undefined;
  const rows = [
    ["Model", t(summary.modelName)],
    ["Version", registered ? t(summary.registeredVersion ?? "") : "not registered"],
    ...(summary.modelId ? [["Model id", t(summary.modelId)]] : []),
    ["Type", t(summary.modelType)],
    ["Source", sourceText(summary.source)],
  ];
  const lines = [heading, "", ...(link ? [link, ""] : []), markdownRows(["Item", "Value"], rows)];
  if (summary.gate) lines.push("", ...gateSection(summary.gate));
  return `${lines.join("\n")}\n`;
}
