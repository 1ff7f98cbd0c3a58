import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tl from "azure-pipelines-task-lib/task";

/**
 * Writes a markdown file and attaches it to the run's summary page
 * (`##vso[task.uploadsummary]`), where a person would rather look than read the log.
 */
export function uploadRunSummary(fileStem: string, markdown: string): string {
  const directory = tl.getVariable("Agent.TempDirectory") || os.tmpdir();
  const file = path.join(directory, `${fileStem}-${process.pid}.md`);
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(file, markdown, "utf8");
  tl.uploadSummary(file);
  return file;
}

/** A markdown table; cells are escaped so a `|` in a name cannot break the layout. */
export function markdownTable(header: string[], rows: string[][]): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
  const line = (cells: string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
