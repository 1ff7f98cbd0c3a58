// The markdown of our run summaries as HTML, the way Azure DevOps shows an uploaded summary:
// headings, paragraphs, `- ` lists, GFM tables, and inline code, bold, links and backslash
// escapes. Just that subset (what tasks/*/src/report writes); everything else is plain text,
// and every text is HTML-escaped.

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char);
}

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

/** Inline markdown: `code`, **bold**, [text](url), backslash escapes; the rest escaped. */
export function inlineHtml(text: string): string {
  let html = "";
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const char = text[i];
    if (char === "\\" && i + 1 < text.length && ASCII_PUNCTUATION.test(text[i + 1])) {
      html += escapeHtml(text[i + 1]);
      i += 2;
      continue;
    }
    const code = /^`([^`]*)`/.exec(rest);
    if (code) {
      html += `<code>${escapeHtml(code[1])}</code>`;
      i += code[0].length;
      continue;
    }
    const bold = /^\*\*(.+?)\*\*/.exec(rest);
    if (bold) {
      html += `<strong>${inlineHtml(bold[1])}</strong>`;
      i += bold[0].length;
      continue;
    }
    const link = /^\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)\)/.exec(rest);
    if (link) {
      html += /^https?:\/\//.test(link[2]) ? `<a href="${escapeHtml(link[2])}">${inlineHtml(link[1])}</a>` : inlineHtml(link[1]);
      i += link[0].length;
      continue;
    }
    html += escapeHtml(char);
    i += 1;
  }
  return html;
}

/** A table row's cells: split at each `|` that is not escaped, outer pipes dropped. */
function tableCells(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  const inner = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === "\\" && inner[i + 1] === "|") {
      cell += "\\|";
      i += 1;
    } else if (inner[i] === "|") {
      cells.push(cell.trim());
      cell = "";
    } else cell += inner[i];
  }
  cells.push(cell.trim());
  return cells;
}

const isTableStart = (lines: string[], i: number) => /^\s*\|/.test(lines[i]) && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1] ?? "");

export function markdownHtml(markdown: string): string {
  const lines = markdown.replace(/\r\n/g, "\n").split("\n");
  const blocks: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (line.trim() === "") {
      i += 1;
    } else if (heading) {
      const level = heading[1].length;
      blocks.push(`<h${level}>${inlineHtml(heading[2])}</h${level}>`);
      i += 1;
    } else if (isTableStart(lines, i)) {
      const header = tableCells(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && /^\s*\|/.test(lines[i])) rows.push(tableCells(lines[i++]));
      const head = header.every((cell) => cell === "") ? "" : `<thead><tr>${header.map((cell) => `<th>${inlineHtml(cell)}</th>`).join("")}</tr></thead>`;
      const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${inlineHtml(cell)}</td>`).join("")}</tr>`).join("");
      blocks.push(`<table data-columns="${header.length}">${head}<tbody>${body}</tbody></table>`);
    } else if (/^\s*- /.test(line)) {
      const items: string[] = [];
      while (i < lines.length && /^\s*- /.test(lines[i])) items.push(lines[i++].replace(/^\s*- /, ""));
      blocks.push(`<ul>${items.map((item) => `<li>${inlineHtml(item)}</li>`).join("")}</ul>`);
    } else {
      const paragraph: string[] = [];
      while (i < lines.length && lines[i].trim() !== "" && !/^#{1,6}\s/.test(lines[i]) && !isTableStart(lines, i) && !/^\s*- /.test(lines[i]))
        paragraph.push(lines[i++]);
      blocks.push(`<p>${inlineHtml(paragraph.join(" "))}</p>`);
    }
  }
  return blocks.join("\n");
}
