/**
 * How a job's logs are followed, as `az ml job stream` (azure-ai-ml's stream_logs_until_completion)
 * does: poll the run's details, pick the user's log files among its `logFiles`, read each whole
 * and print only the lines not printed yet. Pure parts, kept apart from the calls.
 */

/** Statuses in which a job may still change; any other ends the stream. */
export const activeJobStatuses: readonly string[] = [
  "NotStarted",
  "Queued",
  "Preparing",
  "Provisioning",
  "Starting",
  "Running",
  "Finalizing",
  "CancelRequested",
];

export function isActiveJobStatus(status: string | undefined): boolean {
  return status === undefined || activeJobStatuses.includes(status);
}

// The user's own output (rank 0 of a distributed job): user_logs/std_log.txt, user_logs/std_log_process_0.txt.
const USER_LOG = /^user_logs\/std_log\D*0*(?:_ps)?\.txt$/;
// When a job has none of those, the SDK falls back on the logs of its job type.
const FALLBACK_LOGS: Readonly<Record<string, RegExp>> = {
  command: /^azureml-logs\/\d{2}.+\.txt$/,
  pipeline: /^logs\/azureml\/executionlogs\.txt$/,
  sweep: /^azureml-logs\/hyperdrive\.txt$/,
};

/** The log files to print, sorted by name: the user's, else those of the job's type. */
export function logFilesToStream(names: readonly string[], jobType = "command"): string[] {
  const user = names.filter((name) => USER_LOG.test(name));
  const fallback = FALLBACK_LOGS[jobType.toLowerCase()];
  const chosen = user.length > 0 ? user : fallback ? names.filter((name) => fallback.test(name)) : [];
  return [...chosen].sort();
}

/** How long to wait before the next poll: the SDK's curve (2 s, rising after 30 s), capped for a pipeline log. */
export function pollingDelayMs(elapsedMs: number, bounds: { minMs?: number; maxMs?: number } = {}): number {
  const minMs = bounds.minMs ?? 2_000;
  const maxMs = bounds.maxMs ?? 10_000;
  const seconds = Math.max(elapsedMs, 0) / 1000;
  const sdkSeconds = Math.floor(60 / (1 + 100 * Math.exp(-seconds / 20)));
  return Math.min(maxMs, Math.max(minMs, sdkSeconds * 1000));
}

/**
 * The lines of each log file printed so far. A file is read whole each time (SAS reads have no
 * offset); only complete lines are printed while the job runs, so a line being written is not
 * cut in two; the last, unterminated line is printed once the job has ended.
 */
export class LogTail {
  private readonly printed = new Map<string, number>();

  /** Whether lines of this file were printed already. */
  has(file: string): boolean {
    return this.printed.has(file);
  }

  /** The lines of `text` not printed yet, and records them as printed. */
  newLines(file: string, text: string, final: boolean): string[] {
    if (text === "") return [];
    const lines = text.split(/\r?\n/);
    // After a final newline split leaves ""; without one, the last line may still be growing.
    if (/\n$/.test(text) || !final) lines.pop();
    const already = this.printed.get(file) ?? 0;
    if (lines.length <= already) return [];
    this.printed.set(file, lines.length);
    return lines.slice(already);
  }
}
