import { markdownTable } from "../../../common/src/log/runSummary";

/** What the run summary shows of a job. */
export interface TrainSummary {
  jobName: string;
  status: string;
  studioUrl: string;
  experimentName: string;
  compute: string;
  environment: string;
  code?: string;
  /** Whole seconds from submission to the end of the wait; undefined when the task did not wait. */
  durationSeconds?: number;
  metrics: Record<string, number>;
  /** Why no metrics are shown, when the file could not be read. */
  metricsNote?: string;
}

/** Characters that would make markdown out of a name: shown as themselves. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>~]/g, (char) => `\\${char}`).replace(/\r?\n/g, " ");
}

export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h} h ${m} min ${s} s` : m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/**
 * The metrics a job wrote to `outputs/metrics.json`: a flat JSON object of numbers. Anything
 * else in the file is left out, and said so, rather than failing a job that succeeded.
 */
export function parseMetrics(text: string): { metrics: Record<string, number>; note?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { metrics: {}, note: "outputs/metrics.json is not valid JSON." };
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return { metrics: {}, note: "outputs/metrics.json is not a JSON object." };
  const metrics: Record<string, number> = {};
  const skipped: string[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value === "number" && Number.isFinite(value)) metrics[name] = value;
    else skipped.push(name);
  }
  return { metrics, note: skipped.length > 0 ? `${skipped.length} value(s) of outputs/metrics.json that are not numbers are not shown.` : undefined };
}

export function trainSummaryMarkdown(summary: TrainSummary): string {
  const rows: string[][] = [
    ["Job", `[${escapeMarkdown(summary.jobName)}](${summary.studioUrl})`],
    ["Status", escapeMarkdown(summary.status)],
    ["Experiment", escapeMarkdown(summary.experimentName)],
    ["Compute", escapeMarkdown(summary.compute)],
    ["Environment", escapeMarkdown(summary.environment)],
  ];
  if (summary.code !== undefined) rows.push(["Code", escapeMarkdown(summary.code)]);
  if (summary.durationSeconds !== undefined) rows.push(["Duration", formatDuration(summary.durationSeconds)]);
  const parts = [`### Azure ML job ${escapeMarkdown(summary.jobName)}`, "", markdownTable(["", ""], rows)];
  const metricNames = Object.keys(summary.metrics);
  if (metricNames.length > 0) {
    parts.push(
      "",
      "#### Metrics",
      "",
      markdownTable(
        ["Metric", "Value"],
        metricNames.map((name) => [escapeMarkdown(name), String(summary.metrics[name])]),
      ),
    );
  }
  if (summary.metricsNote !== undefined) parts.push("", escapeMarkdown(summary.metricsNote));
  return `${parts.join("\n")}\n`;
}
