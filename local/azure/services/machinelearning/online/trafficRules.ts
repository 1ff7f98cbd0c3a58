import { isJsonObject, JsonValue, jsonText } from "../../../state/json";
import { onlineErrors } from "./onlineErrors";

/** Deployment name → whole percent. */
export type Traffic = Record<string, number>;

/**
 * An endpoint's traffic as Azure ML takes it (NOTES §7): whole percentages, each naming a
 * deployment of the endpoint (its name as the deployment spells it is kept), summing to 100, or
 * to 0 when nothing is to be routed by weight. null or absent is no traffic.
 */
export function checkTraffic(requested: JsonValue | undefined, deploymentNames: readonly string[], endpointName: string): Traffic {
  if (requested === undefined || requested === null) return {};
  if (!isJsonObject(requested)) throw onlineErrors.trafficNotPercent("(all)", jsonText(requested));
  const traffic: Traffic = {};
  for (const [name, value] of Object.entries(requested)) {
    const deployment = deploymentNames.find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    if (deployment === undefined) throw onlineErrors.trafficUnknownDeployment(name, endpointName);
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 100) throw onlineErrors.trafficNotPercent(name, jsonText(value));
    traffic[deployment] = value;
  }
  const sum = Object.values(traffic).reduce((total, value) => total + value, 0);
  if (sum !== 0 && sum !== 100) throw onlineErrors.trafficSum(sum);
  return traffic;
}

/** The deployment a request goes to by weight (`random` in [0, 1)), or undefined when no deployment has a positive weight. */
export function pickByWeight(traffic: Traffic, random: number = Math.random()): string | undefined {
  const weighted = Object.entries(traffic).filter(([, percent]) => percent > 0);
  const total = weighted.reduce((sum, [, percent]) => sum + percent, 0);
  if (total === 0) return undefined;
  let point = random * total;
  for (const [name, percent] of weighted) {
    if (point < percent) return name;
    point -= percent;
  }
  return weighted[weighted.length - 1][0];
}

/** The stored traffic of an endpoint body's properties. */
export function trafficOf(value: JsonValue | undefined): Traffic {
  const traffic: Traffic = {};
  if (!isJsonObject(value)) return traffic;
  for (const [name, percent] of Object.entries(value)) if (typeof percent === "number") traffic[name] = percent;
  return traffic;
}
