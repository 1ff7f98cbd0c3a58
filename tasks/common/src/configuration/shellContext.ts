/*
 * Where in a POSIX shell command a position falls, so that a value is put only where one quoted
 * word is one argument. Inside quotes, a quoted value would close the author's quote and open
 * its content to the shell (`"'$(id)'"` runs id); in a comment, a line break in the value ends
 * the comment; in a here-document, a line of the value can end the document. So values go only
 * where the shell reads plain words.
 *
 * A deliberately small reading of sh: quotes ('…', "…", $'…'), backslash escapes, comments
 * (`#` at the start of a word) and here-documents (`<<`, not `<<<`). After a here-document
 * operator, every later position counts as inside it: its end is not worth guessing.
 */

export type ShellContext = "plain" | "single quotes" | "double quotes" | "comment" | "here-document" | "after a backslash";

const wordBreak = /[\s;&|()<>]/;

/** The context at each of `offsets` (ascending or not), and at the end of the command. */
export function shellContexts(command: string, offsets: readonly number[]): { at: Map<number, ShellContext>; end: ShellContext; trailingEscape: boolean } {
  const wanted = new Set(offsets);
  const at = new Map<number, ShellContext>();
  let state: ShellContext = "plain";
  let ansi = false;
  let escaped = false;
  for (let index = 0; index < command.length; index++) {
    if (wanted.has(index)) at.set(index, escaped && state !== "here-document" ? "after a backslash" : state);
    const char = command[index];
    if (state === "here-document") continue;
    if (escaped) {
      escaped = false;
      continue;
    }
    switch (state) {
      case "comment":
        if (char === "\n") state = "plain";
        break;
      case "single quotes":
        if (ansi && char === "\\") escaped = true;
        else if (char === "'") state = "plain";
        break;
      case "double quotes":
        if (char === "\\") escaped = true;
        else if (char === '"') state = "plain";
        break;
      case "plain":
        if (char === "\\") escaped = true;
        else if (char === "'") {
          state = "single quotes";
          ansi = index > 0 && command[index - 1] === "$";
        } else if (char === '"') state = "double quotes";
        else if (char === "#" && (index === 0 || wordBreak.test(command[index - 1]))) state = "comment";
        else if (char === "<" && command[index + 1] === "<" && command[index + 2] !== "<" && (index === 0 || command[index - 1] !== "<"))
          state = "here-document";
        break;
    }
  }
  return { at, end: state, trailingEscape: escaped };
}
