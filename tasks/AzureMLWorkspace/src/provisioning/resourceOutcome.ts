/**
 * What the task did to one resource: each becomes one line in the log and a row in the summary.
 * "repaired": it existed in state Failed or Canceled, and was provisioned again.
 */
export type Outcome = "created" | "updated" | "repaired" | "found";

export interface ResourceOutcome {
  /** "storage account", "compute cluster"… */
  label: string;
  name: string;
  id: string;
  outcome: Outcome;
  note?: string;
}

export function outcomeLine(outcome: ResourceOutcome): string {
  const label = outcome.label.charAt(0).toUpperCase() + outcome.label.slice(1);
  return `${label} '${outcome.name}': ${outcome.outcome}${outcome.note ? ` (${outcome.note})` : ""}`;
}
