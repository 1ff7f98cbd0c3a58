/*
 * Text from users and services (model names, tags, paths, versions) shown in a markdown summary.
 * Escaped so that it reads as the text it is: no emphasis, link, heading, table cell break, HTML
 * element or entity, and no `##vso[` logging command should the file ever be echoed into the log.
 * Every ASCII punctuation character is backslash-escaped (CommonMark allows it for all of them),
 * except `& < > "`, which become HTML entities because a backslash does not stop every renderer's
 * HTML. Control, line-separator and bidirectional characters are shown as `\uXXXX`.
 */

const htmlEntities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };
const special = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]|[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;

export function markdownText(value: string): string {
  return value.replace(special, (char) => {
    const entity = htmlEntities[char];
    if (entity) return entity;
    if (/[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u.test(char)) {
      return `\\\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
    }
    return `\\${char}`;
  });
}

/** A markdown table whose cells are already markdown (escape values with `markdownText` first). */
export function markdownRows(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/**
 * A link only for an https URL; characters that could end it early or read as markdown or a
 * logging command (`(`, `)`, `[`, `]`, spaces, `*`, …) percent-encoded, which keeps the URL's meaning.
 */
export function markdownLink(label: string, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== "https:") return undefined;
  const safe = parsed.href.replace(/[()<>[\]{}\s"'`\\|*~^]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
  return `[${markdownText(label)}](${safe})`;
}
