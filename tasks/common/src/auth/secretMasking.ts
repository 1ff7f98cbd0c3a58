import * as tl from "azure-pipelines-task-lib/task";

const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g;

// A PEM's last base64 line can be a few characters; masking those would star out ordinary words
// everywhere in the log while hiding almost nothing of the key.
const SHORTEST_MASKED_LINE = 8;

// Every spelling registered in this process, so the text of an error can be scrubbed of them
// too, and so each is sent to the agent once.
const registered = new Set<string>();

/** Whether a PEM bundle holds at least one private key. */
export function hasPrivateKey(pem: string): boolean {
  return pem.match(PRIVATE_KEY_BLOCK) !== null;
}

export interface SecretSpellings {
  /** Also mask the base64 of the value's UTF-8 bytes: for a secret we send base64-encoded. */
  base64?: boolean;
}

/**
 * Registers a secret the task derived or read (a token, a key, a password) with the agent's
 * masker, before anything can print it, in each spelling it can take in a printed line: as is,
 * URL-encoded (query strings, form bodies), JSON-escaped and, when asked, base64. The agent masks
 * each output line on its own, so a multi-line value is registered line by line.
 */
export function maskSecret(value: string | undefined, spellings: SecretSpellings = {}): void {
  if (!value) return;
  if (/[\r\n]/.test(value)) {
    for (const line of value.split(/\r?\n|\r/)) {
      const content = line.trim();
      if (content.length >= SHORTEST_MASKED_LINE) maskSecret(content, spellings);
    }
    return;
  }
  const forms = [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2), JSON.stringify(value).slice(1, -1)];
  if (spellings.base64) forms.push(Buffer.from(value, "utf8").toString("base64"));
  for (const form of forms) {
    if (!form || registered.has(form)) continue;
    registered.add(form);
    tl.setSecret(form);
  }
}

/**
 * Masks the private keys of a PEM bundle in the pipeline log, line by line (task-lib refuses
 * multi-line secrets, and the agent masks each output line on its own); the certificates are
 * public, and the BEGIN/END lines say nothing.
 */
export function maskPrivateKeys(pem: string): void {
  for (const block of pem.match(PRIVATE_KEY_BLOCK) ?? []) {
    for (const line of block.split(/\r?\n/)) {
      const content = line.trim();
      if (!content.startsWith("-----")) maskSecret(content.length >= SHORTEST_MASKED_LINE ? content : undefined);
    }
  }
}

/** Every spelling registered so far, longest first (so that a longer one is replaced whole). */
export function registeredSecrets(): string[] {
  return [...registered].sort((a, b) => b.length - a.length);
}
