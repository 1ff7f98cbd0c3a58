/*
 * Every secret of the run (secret variables, values a step registered with task.setsecret or
 * setvariable issecret=true, a service connection's keys) is replaced by *** in everything the
 * runner prints or writes afterwards, in every step. As the agent does, each secret is also
 * masked in the spellings a program is likely to print it in: trimmed, JSON-escaped,
 * URL-encoded, base64.
 */
export class SecretMasker {
  private readonly values = new Set<string>();
  /** Longest first, so that a secret containing another is masked whole. */
  private ordered: string[] = [];

  add(secret: string): void {
    if (!secret) return;
    const spellings = [secret, secret.trim(), JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), Buffer.from(secret, "utf8").toString("base64")];
    let added = false;
    for (const spelling of spellings) {
      if (spelling.length > 0 && !this.values.has(spelling)) {
        this.values.add(spelling);
        added = true;
      }
    }
    if (added) this.ordered = [...this.values].sort((a, b) => b.length - a.length);
  }

  mask(text: string): string {
    let masked = text;
    for (const secret of this.ordered) if (masked.includes(secret)) masked = masked.split(secret).join("***");
    return masked;
  }

  get size(): number {
    return this.values.size;
  }
}
