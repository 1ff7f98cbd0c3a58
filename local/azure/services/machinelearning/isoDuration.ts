/**
 * `P1DT2H3M4S`, `PT30S`, `PT0.5S` (the durations Azure ML's 2022-10-01 bodies carry: job limits,
 * probe and request settings) in seconds; undefined when the text is no such duration.
 */
export function isoDurationSeconds(text: string): number | undefined {
  const trimmed = text.trim();
  const match = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(trimmed);
  if (!match || trimmed.toUpperCase() === "P" || trimmed.toUpperCase().endsWith("T")) return undefined;
  const [, days = "0", hours = "0", minutes = "0", seconds = "0"] = match;
  return Number(days) * 86400 + Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}
