// Markdown output, so the figures paste as they are into an issue or a note.

/** A table from column titles and rows of cells; numbers are printed as they come. */
export function markdownTable(columns, rows) {
  const line = (cells) => `| ${cells.map((cell) => String(cell).replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(columns), line(columns.map(() => "---")), ...rows.map(line)].join("\n");
}

export const ms = (value) => value.toFixed(1);
export const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
