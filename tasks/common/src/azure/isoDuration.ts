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
