/*
 * What a user typed may hold characters that change what a log line says: a newline starts a
 * new line (or a forged `##vso[` logging command), a carriage return overwrites, bidirectional
 * overrides reorder what a reader sees. Such characters never belong in a name, a path or a tag,
 * so the tasks refuse them, and the refusal itself shows the value escaped.
 */

// C0 and C1 controls and DEL, the Unicode line and paragraph separators, and the bidirectional
// embedding, override and isolate controls.
const unprintable = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
const unprintableGlobal = new RegExp(unprintable.source, "gu");

export function hasControlCharacter(value: string): boolean {
  return unprintable.test(value);
}

/**
 * `'value'`; a value holding a control character has it shown as an escape (`'ai\ndev'` for a
 * newline), and its backslashes doubled so that the escape cannot be mistaken for typed text.
 */
export function quoted(value: string): string {
  if (!hasControlCharacter(value)) return `'${value}'`;
  const escaped = value.replace(/\\/g, "\\\\").replace(unprintableGlobal, (char) => {
    const named: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };
    return named[char] ?? `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  });
  return `'${escaped}'`;
}

/** A value cut to a readable length for a sentence: its start and its end around an ellipsis. */
export function abbreviated(value: string, maxLength = 160): string {
  if (value.length <= maxLength) return value;
  const tail = Math.floor(maxLength / 4);
  return `${value.slice(0, maxLength - tail - 1)}…${value.slice(-tail)}`;
}
