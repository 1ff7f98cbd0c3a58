import * as tl from "azure-pipelines-task-lib/task";

/** A value and where it came from, so an error can point at what the user must change. */
export interface SourcedValue {
  value: string;
  /** "input 'storageAccount'", "variable STORAGEACCOUNT", "service connection 'x'", … */
  source: string;
}

/** One place a value may come from; the first that yields a non-empty value wins. */
export type ValueOrigin = { input: string } | { variable: string } | { fixed: string | undefined; source: string };

function readOrigin(origin: ValueOrigin): SourcedValue | undefined {
  if ("input" in origin) {
    const value = tl.getInput(origin.input, false)?.trim();
    return value ? { value, source: `input '${origin.input}'` } : undefined;
  }
  if ("variable" in origin) {
    const value = tl.getVariable(origin.variable)?.trim();
    return value ? { value, source: `variable ${origin.variable}` } : undefined;
  }
  const value = origin.fixed?.trim();
  return value ? { value, source: origin.source } : undefined;
}

export function firstValue(...origins: ValueOrigin[]): SourcedValue | undefined {
  for (const origin of origins) {
    const found = readOrigin(origin);
    if (found) return found;
  }
  return undefined;
}

/** Human list of the places searched, for "X is not set" errors. */
export function describeOrigins(origins: ValueOrigin[]): string {
  return origins.map((o) => ("input" in o ? `input '${o.input}'` : "variable" in o ? `variable ${o.variable}` : o.source)).join(", ");
}
