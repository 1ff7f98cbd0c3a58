/**
 * A configuration file the task cannot use: missing, not valid YAML, not a mapping, or named
 * by a bad ENVIRONMENT. The message is the one sentence the task fails with.
 */
export class ConfigurationError extends Error {
  override readonly name: string = "ConfigurationError";
}

/** Where a secret sits. Deliberately has no field for the value: it must never reach a log. */
export interface SecretFinding {
  file: string;
  /** 1-based. */
  line: number;
  /**
   * Path of the key as written: `training.storage.account_key`, `endpoints[1].url`; a key that may
   * itself be a secret is shown by its place instead, `<key 3 at line 7>` (see keyPathSegment.ts).
   */
  key: string;
  reason: string;
}

const advice =
  "No secret may sit in a configuration file: its values become script arguments, visible in the job's " +
  "command line and history. Keep the secret in Key Vault and give the script the secret's name instead " +
  "(e.g. 'storage_key_secret_name: my-storage-key'), for it to read at run time with its identity.";

export function describeFinding(finding: SecretFinding): string {
  return `${finding.file}:${finding.line} key '${finding.key}': ${finding.reason}`;
}

/** Every secret found in every file, reported at once so that one fix-and-rerun is enough. */
export class ConfigurationSecretError extends ConfigurationError {
  override readonly name: string = "ConfigurationSecretError";
  readonly findings: SecretFinding[];

  constructor(findings: SecretFinding[]) {
    const count = findings.length === 1 ? "1 finding" : `${findings.length} findings`;
    super(
      `The task refuses this configuration, which holds or invites secrets (${count}):\n` +
        findings.map((finding) => `  ${describeFinding(finding)}`).join("\n") +
        `\n${advice}`,
    );
    this.findings = findings;
  }
}
