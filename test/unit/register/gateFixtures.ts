import { GateSettings, Goal } from "../../../tasks/AzureMLRegisterModel/src/gate/gateSettings";
import { ModelVersionInfo } from "../../../tasks/AzureMLRegisterModel/src/gate/modelVersions";

/** A version created on day `day` of November 2026, with the metric recorded as a property unless told. */
export function version(name: string, day: number, extra: Partial<ModelVersionInfo> = {}): ModelVersionInfo {
  return { version: name, createdAt: new Date(Date.UTC(2026, 10, day)), tags: {}, properties: {}, ...extra };
}

export function withMetric(v: ModelVersionInfo, value: number, where: "property" | "tag" = "property"): ModelVersionInfo {
  const key = "metric.rmse";
  return where === "property" ? { ...v, properties: { ...v.properties, [key]: String(value) } } : { ...v, tags: { ...v.tags, [key]: String(value) } };
}

export function gate(goal: Goal, extra: Partial<GateSettings> = {}): GateSettings {
  return {
    metric: { value: "rmse", source: "input 'metric'" },
    goal: { value: goal, source: "input 'goal'" },
    metricsFile: { value: "outputs/metrics.json", source: "input 'metricsFile'" },
    minImprovement: 0,
    ...extra,
  };
}
