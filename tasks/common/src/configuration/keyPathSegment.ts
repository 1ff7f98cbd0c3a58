import { LocatedNode } from "./locatedYaml";

/*
 * How a key appears in a finding's path. A key is shown as written unless it could itself be a
 * secret (a connection string or a URL with a password used as a mapping key, a long opaque
 * token), or is not text at all: then it is named by its place, `<key 3 at line 7>`, so that no
 * part of it, in any encoding, reaches the log.
 */

const longestShownKey = 80;
const opaqueRun = /[A-Za-z0-9+/=]{32,}/g;

function holdsOpaqueToken(text: string): boolean {
  for (const [run] of text.matchAll(opaqueRun)) if (/[A-Za-z]/.test(run) && /[0-9]/.test(run)) return true;
  return false;
}

/** Line breaks and invisible characters escaped, so that a key cannot forge a log line. */
function printable(text: string): string {
  const escaped = text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (char) => `\\u${(char.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`);
  if (escaped.length <= longestShownKey) return escaped;
  // By code points, so that the cut never splits a surrogate pair.
  return `${[...escaped.slice(0, 2 * longestShownKey)].slice(0, longestShownKey).join("")}…`;
}

export interface KeyPathSegment {
  text: string;
  /** Whether the key is replaced by its place, because it may be a secret. */
  masked: boolean;
}

/** `position` is 0-based among the mapping's keys; `looksSecret` when the key has a secret's shape. */
export function keyPathSegment(key: LocatedNode, position: number, looksSecret: boolean): KeyPathSegment {
  const masked = key.kind !== "scalar" || looksSecret || holdsOpaqueToken(key.text);
  if (masked) return { text: `<key ${position + 1} at line ${key.line}>`, masked };
  return { text: printable(key.text), masked };
}
