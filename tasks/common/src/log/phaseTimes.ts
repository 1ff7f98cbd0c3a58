import { markdownRows, markdownText } from "../text/markdownText";

/** How long one phase of a task took, wall time. */
export interface PhaseTime {
  name: string;
  ms: number;
}

/**
 * The wall time of a task's phases, in the order they ran, so that a long run says where its
 * time went (the log's "Time by phase" line, the summary's table; `npm run bench` reads the line).
 * A phase that throws is recorded too: its time was spent.
 */
export class PhaseTimes {
  private readonly phases: PhaseTime[] = [];

  constructor(private readonly now: () => number = () => performance.now()) {}

  async time<T>(name: string, work: () => Promise<T>): Promise<T> {
    const started = this.now();
    try {
      return await work();
    } finally {
      this.phases.push({ name, ms: Math.max(0, this.now() - started) });
    }
  }

  list(): PhaseTime[] {
    return this.phases.map((phase) => ({ ...phase }));
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** One log line: "Time by phase: endpoint lookup 0.31 s; model 0.05 s; …" (phase names hold no ';'). */
export function phaseTimesLine(phases: readonly PhaseTime[]): string {
  return `Time by phase: ${phases.map((phase) => `${phase.name} ${seconds(phase.ms)}`).join("; ")}.`;
}

/** The summary's table of the same. */
export function phaseTimesMarkdown(phases: readonly PhaseTime[]): string {
  return markdownRows(
    ["Phase", "Time"],
    phases.map((phase) => [markdownText(phase.name), seconds(phase.ms)]),
  );
}
