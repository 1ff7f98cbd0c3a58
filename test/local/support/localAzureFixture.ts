import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalAzure, LocalAzureOptions, startLocalAzure } from "../../../local/azure";

export interface LocalAzureFixture {
  localAzure: LocalAzure;
  stateDir: string;
}

export function temporaryStateDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `local-azure-${label}-`));
}

/** Starts a local Azure in a fresh state folder (unless one is given), quick to provision. */
export async function startFixture(label: string, options: Partial<LocalAzureOptions> = {}): Promise<LocalAzureFixture> {
  const stateDir = options.stateDir ?? temporaryStateDir(label);
  const localAzure = await startLocalAzure({ provisioningSeconds: 1, retryAfterSeconds: 1, ...options, stateDir });
  return { localAzure, stateDir };
}

export async function stopFixture(fixture: LocalAzureFixture | undefined, removeState = true): Promise<void> {
  if (!fixture) return;
  await fixture.localAzure.stop();
  if (removeState) rmSync(fixture.stateDir, { recursive: true, force: true });
}
