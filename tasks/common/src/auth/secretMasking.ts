import * as tl from "azure-pipelines-task-lib/task";

const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----/g;

/** Whether a PEM bundle holds at least one private key. */
export function hasPrivateKey(pem: string): boolean {
  return pem.match(PRIVATE_KEY_BLOCK) !== null;
}

/**
 * Masks the private keys of a PEM bundle in the pipeline log. task-lib refuses multi-line
 * secrets, so each line of a key is masked on its own; the certificates are public.
 */
export function maskPrivateKeys(pem: string): void {
  for (const block of pem.match(PRIVATE_KEY_BLOCK) ?? []) {
    for (const line of block.split(/\r?\n/)) {
      const content = line.trim();
      if (content && !content.startsWith("-----")) tl.setSecret(content);
    }
  }
}
