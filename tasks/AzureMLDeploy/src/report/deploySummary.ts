import { phaseTimesMarkdown } from "../../../common/src/log/phaseTimes";
import { markdownRows, markdownText } from "../../../common/src/text/markdownText";
import type { OnlineOutcome } from "../online/onlineRollout";

const t = markdownText;

function percent(value: number | undefined): string {
  return `${value ?? 0} %`;
}

function smokeTestText(outcome: OnlineOutcome): string {
  const smoke = outcome.smokeTest;
  return smoke.outcome === "skipped" ? "skipped: no sample request file" : `passed: HTTP ${smoke.status}, ${t(smoke.response)}`;
}

/** The traffic table: every deployment that had or has traffic, or was deployed now, with its fate. */
function trafficRows(outcome: OnlineOutcome): string[][] {
  const names = new Set([...Object.keys(outcome.trafficBefore), ...Object.keys(outcome.trafficAfter), outcome.deploymentName]);
  return [...names].sort().map((name) => {
    const notes = [
      name === outcome.deploymentName ? (outcome.deploymentCreated ? "deployed now" : "updated now") : "",
      outcome.deleted.includes(name) ? "deleted" : "",
      outcome.notDeleted.includes(name) ? "not deleted" : "",
    ].filter(Boolean);
    return [t(name), percent(outcome.trafficBefore[name]), percent(outcome.trafficAfter[name]), notes.join(", ")];
  });
}

/** The run summary page of an online rollout: what was deployed from what, the smoke test, the traffic before and after, and where the time went. */
export function onlineSummaryMarkdown(outcome: OnlineOutcome): string {
  const share = outcome.trafficAfter[outcome.deploymentName] ?? 0;
  const heading = `### Deployment ${t(outcome.deploymentName)} of endpoint ${t(outcome.endpointName)}: ${share} % of the traffic`;
  const kind = outcome.endpointKind === "managed" ? "managed online endpoint" : "Kubernetes online endpoint";
  const assets = outcome.assets;
  const rows = [
    ["Endpoint", `${t(outcome.endpointName)} (${kind}, ${outcome.endpointCreated ? "created" : "kept"}, ${t(outcome.authMode)} authentication)`],
    ["Deployment", `${t(outcome.deploymentName)} (${outcome.deploymentCreated ? "created" : "updated"})`],
    ["Model", assets.model ? t(assets.model.outcome) : "none"],
    ["Environment", t(assets.environment)],
    ...(assets.code ? [["Code", t(assets.code)]] : []),
    ["Scoring URI", t(outcome.scoringUri)],
    ...(outcome.swaggerUri ? [["Swagger URI", t(outcome.swaggerUri)]] : []),
    ["Smoke test", smokeTestText(outcome)],
  ];
  const lines = [
    heading,
    "",
    markdownRows(["Item", "Value"], rows),
    "",
    "#### Traffic",
    "",
    markdownRows(["Deployment", "Before", "After", ""], trafficRows(outcome)),
    "",
    "#### Time",
    "",
    phaseTimesMarkdown(outcome.phases),
  ];
  return `${lines.join("\n")}\n`;
}

/** The one sentence the task ends with. */
export function onlineClosingSentence(outcome: OnlineOutcome): string {
  const share = outcome.trafficAfter[outcome.deploymentName] ?? 0;
  const model = outcome.assets.model
    ? ` (model ${outcome.assets.model.name && outcome.assets.model.version ? `${outcome.assets.model.name}:${outcome.assets.model.version}` : outcome.assets.model.outcome})`
    : "";
  const what = `Deployment '${outcome.deploymentName}' of endpoint '${outcome.endpointName}'${model}`;
  if (share === 0) return `${what} is ready without traffic (input 'trafficPercent' is 0).`;
  return `${what} is live with ${share} % of the traffic.`;
}
