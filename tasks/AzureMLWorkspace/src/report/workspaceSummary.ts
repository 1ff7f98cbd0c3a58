import { markdownTable } from "../../../common/src/log/runSummary";
import { ResourceOutcome } from "../provisioning/resourceOutcome";

export interface WorkspaceSummary {
  workspaceName: string;
  resourceGroup: string;
  location: string;
  studioUrl: string;
  outcomes: ResourceOutcome[];
  warnings: string[];
}

/** The run summary page: what exists now and what this run did to it. */
export function workspaceSummaryMarkdown(summary: WorkspaceSummary): string {
  const counts = (["created", "updated", "repaired", "found"] as const)
    .map((outcome) => `${summary.outcomes.filter((o) => o.outcome === outcome).length} ${outcome}`)
    .join(", ");
  const lines = [
    `### Azure ML workspace \`${summary.workspaceName}\``,
    "",
    `Resource group \`${summary.resourceGroup}\`, ${summary.location} — [open in Azure ML studio](${summary.studioUrl})`,
    "",
    `This run: ${counts}.`,
    "",
    markdownTable(
      ["Resource", "Name", "This run", "Note"],
      summary.outcomes.map((o) => [o.label, o.name, o.outcome, o.note ?? ""]),
    ),
  ];
  if (summary.warnings.length > 0) {
    lines.push("", "**Warnings**", "", ...summary.warnings.map((warning) => `- ${warning}`));
  }
  return `${lines.join("\n")}\n`;
}
