import { parseLoggingCommand } from "../loggingCommands";
import { RunResult } from "./results";
import { SecretMasker } from "./secretMasker";

/*
 * The run's log as it goes: a header line for each stage, job and step, the step's output as
 * the agent's log viewer shows it (##[group] folded to a header line, ##vso commands hidden
 * except the issues they report), a result line per step. Everything goes through the masker.
 */

export type LineWriter = (line: string) => void;

export const resultMarks: Record<RunResult, string> = {
  Succeeded: "✔",
  SucceededWithIssues: "!",
  Failed: "✖",
  Canceled: "■",
  Skipped: "○",
};

export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export class RunLog {
  /** Each step's own lines go here too (its log file). */
  private stepSink?: LineWriter;

  constructor(
    private readonly write: LineWriter,
    readonly masker: SecretMasker,
    private readonly debug = false,
  ) {}

  line(text: string): void {
    const masked = this.masker.mask(text);
    this.write(masked);
    this.stepSink?.(masked);
  }

  notice(text: string): void {
    this.line(`NOTICE: ${text}`);
  }

  warning(text: string): void {
    this.line(`WARNING: ${text}`);
  }

  stage(displayName: string, name: string): void {
    this.line("");
    this.line(`══ Stage ${displayName}${displayName !== name ? ` (${name})` : ""}`);
  }

  job(displayName: string, stage: string, name: string, what = "Job"): void {
    this.line(`── ${what} ${displayName}${displayName !== name ? ` (${stage}.${name})` : ` (stage ${stage})`}`);
  }

  startStep(index: number, total: number, displayName: string, sink?: LineWriter): void {
    this.stepSink = sink;
    this.line(`▶ Step ${index}/${total}: ${displayName}`);
  }

  /** One line of a step's output, shown as the agent's log viewer shows it. */
  stepOutput(raw: string): void {
    const text = raw.replace(/\r$/, "");
    if (text.includes("##vso[")) {
      const command = parseLoggingCommand(text);
      const type = command?.properties.type?.toLowerCase();
      if (command && (command.name === "task.logissue" || command.name === "task.issue") && (type === "error" || type === "warning")) {
        this.line(`##[${type}]${command.data}`);
      } else if (!command) {
        this.line(text);
      }
      return;
    }
    const format = /^##\[(\w+)\](.*)$/.exec(text.trimStart());
    if (!format) {
      this.line(text);
      return;
    }
    const [, kind, rest] = format;
    switch (kind.toLowerCase()) {
      case "group":
        this.line(`▸ ${rest}`);
        return;
      case "endgroup":
        return;
      case "debug":
        if (this.debug) this.line(`##[debug]${rest}`);
        return;
      default:
        this.line(text.trimStart());
    }
  }

  endStep(index: number, total: number, result: RunResult, durationMs: number, reason?: string): void {
    this.line(`${resultMarks[result]} Step ${index}/${total} ${result} (${formatDuration(durationMs)})${reason ? `: ${reason}` : ""}`);
    this.stepSink = undefined;
  }

  skippedStep(index: number, total: number, displayName: string, reason: string): void {
    this.line(`${resultMarks.Skipped} Step ${index}/${total}: ${displayName} skipped: ${reason}`);
  }
}
