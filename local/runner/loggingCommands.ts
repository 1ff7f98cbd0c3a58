/**
 * Reads the `##vso[area.event prop=value;…]data` logging commands a task writes, as the agent
 * does: https://learn.microsoft.com/azure/devops/pipelines/scripts/logging-commands
 */
export interface LoggingCommand {
  /** "task.setvariable", "task.complete", … */
  name: string;
  properties: Record<string, string>;
  data: string;
}

// The agent finds a command anywhere in a line (a shell's `set -x` echo runs it too).
const commandLine = /##vso\[([\w.]+)((?:\s+[^\]]*)?)\](.*)$/;

// The escapes azure-pipelines-task-lib applies to property values and data.
const escapes: Array<[string, string]> = [
  ["%0D", "\r"],
  ["%0A", "\n"],
  ["%5D", "]"],
  ["%3B", ";"],
  ["%AZP25", "%"],
];

export function unescapeCommandText(text: string): string {
  return escapes.reduce((value, [escaped, plain]) => value.split(escaped).join(plain), text);
}

export function parseLoggingCommand(line: string): LoggingCommand | undefined {
  const match = commandLine.exec(line.trim());
  if (!match) return undefined;
  const properties: Record<string, string> = {};
  for (const pair of match[2].split(";")) {
    const separator = pair.indexOf("=");
    if (separator <= 0) continue;
    properties[pair.slice(0, separator).trim().toLowerCase()] = unescapeCommandText(pair.slice(separator + 1).trim());
  }
  return { name: match[1].toLowerCase(), properties, data: unescapeCommandText(match[3]) };
}
