import { artifactsOutputName, jobOutputUri } from "../source/jobOutputPath";
import { decideGate, GateDecision } from "./decideGate";
import { GateSettings } from "./gateSettings";
import { MetricsFileSource, readMetric } from "./metricsFile";
import { ModelVersionSource } from "./modelVersions";
import { recordedMetricEntries } from "./recordedMetric";

/** The gate's metrics file of a job: a path inside its artifact store (where `./outputs` goes). */
export function metricsFileUri(jobName: string, settings: GateSettings): string {
  return jobOutputUri(jobName, artifactsOutputName, settings.metricsFile.value);
}

export interface GateEvaluation {
  decision: GateDecision;
  /** To add to the new version when it is registered, so the next run can compare with it. */
  record: { tags: Record<string, string>; properties: Record<string, string> };
}

/**
 * Reads the candidate's metric, then the model's versions, and decides. The metric is read first:
 * a job without a usable metric fails the task before anything else is asked of Azure.
 */
export async function evaluateGate(
  settings: GateSettings,
  metricsFile: MetricsFileSource,
  models: ModelVersionSource,
  modelName: string,
): Promise<GateEvaluation> {
  const reading = await readMetric(metricsFile, settings.metric.value);
  const versions = await models.listVersions(modelName);
  return {
    decision: decideGate(settings, reading.value, versions, reading.foundAt),
    record: recordedMetricEntries(settings.metric.value, reading.value),
  };
}
