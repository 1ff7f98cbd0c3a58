import { formatDuration, resultMarks } from "./runLog";
import { RunSummary } from "./runRecords";

/** The table at the end of a run: every stage, job and step with its result and time. */
export function summaryTable(summary: RunSummary): string[] {
  const rows: Array<[string, string, string]> = [];
  for (const stage of summary.stages) {
    rows.push([stage.displayName, stage.result, stage.result === "Skipped" ? "" : formatDuration(stage.durationMs)]);
    for (const job of stage.jobs) {
      rows.push([`  ${job.displayName}`, job.result, job.result === "Skipped" ? "" : formatDuration(job.durationMs)]);
      for (const step of job.steps) rows.push([`    ${step.displayName}`, step.result, step.result === "Skipped" ? "" : formatDuration(step.durationMs)]);
    }
  }
  const nameWidth = Math.min(70, Math.max(20, ...rows.map(([name]) => name.length)));
  const clip = (text: string) => (text.length > nameWidth ? `${text.slice(0, nameWidth - 1)}…` : text);
  const lines = ["", `${"Stage / job / step".padEnd(nameWidth)}  ${"Result".padEnd(21)}  Time`];
  for (const [name, result, time] of rows) {
    const mark = resultMarks[result as keyof typeof resultMarks];
    lines.push(`${clip(name).padEnd(nameWidth)}  ${`${mark} ${result}`.padEnd(21)}  ${time.padStart(9)}`);
  }
  const outcome: Record<RunSummary["result"], string> = {
    Succeeded: "succeeded",
    SucceededWithIssues: "succeeded with issues",
    Failed: "failed",
    Canceled: "was canceled",
    Skipped: "ran nothing",
  };
  lines.push("", `${resultMarks[summary.result]} The run ${outcome[summary.result]} in ${formatDuration(summary.durationMs)}.`);
  return lines;
}
