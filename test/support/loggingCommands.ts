// Undoes the escaping azure-pipelines-task-lib applies to the data of a `##vso[...]` command.
const escapes: Array<[string, string]> = [
  ["%0D", "\r"],
  ["%0A", "\n"],
  ["%5D", "]"],
  ["%3B", ";"],
  ["%AZP25", "%"],
];

export function unescapeCommandData(data: string): string {
  return escapes.reduce((text, [escaped, plain]) => text.split(escaped).join(plain), data);
}
