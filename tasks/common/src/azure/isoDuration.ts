/** Seconds as an ISO 8601 duration, the form ARM uses for times such as idle-before-scale-down. */
export function secondsToIsoDuration(seconds: number): string {
  return `PT${seconds}S`;
}

/** Reads the ISO 8601 durations ARM returns (PT2M, PT1H30M, PT120S, P1DT2H). */
export function isoDurationToSeconds(duration: string | undefined): number | undefined {
  if (!duration) return undefined;
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration.trim());
  if (!match) return undefined;
  const [, days, hours, minutes, seconds] = match;
  return Number(days ?? 0) * 86400 + Number(hours ?? 0) * 3600 + Number(minutes ?? 0) * 60 + Number(seconds ?? 0);
}

/**
 * Milliseconds as azure-ai-ml writes a deployment's durations (probes, request settings, polling
 * interval): a Python timedelta in isodate's ISO 8601 format, largest units first and zero parts
 * left out, so 500 → PT0.5S, 10000 → PT10S, 90000 → PT1M30S, 86400000 → P1D, 0 → P0D.
 */
export function timedeltaIsoDuration(ms: number): string {
  const totalMicroseconds = Math.round(Math.abs(ms) * 1000);
  const microseconds = totalMicroseconds % 1_000_000;
  let seconds = Math.floor(totalMicroseconds / 1_000_000);
  const days = Math.floor(seconds / 86400);
  seconds -= days * 86400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  let text = "P";
  if (days) text += `${days}D`;
  if (hours || minutes || seconds || microseconds) {
    text += "T";
    if (hours) text += `${hours}H`;
    if (minutes) text += `${minutes}M`;
    if (seconds || microseconds) {
      text += microseconds ? `${seconds}.${String(microseconds).padStart(6, "0")}`.replace(/0+$/, "") : `${seconds}`;
      text += "S";
    }
  }
  return text === "P" ? "P0D" : text;
}
