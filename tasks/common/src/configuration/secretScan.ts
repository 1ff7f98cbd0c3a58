import { SecretFinding } from "./configurationErrors";
import { LocatedMapping, LocatedNode } from "./locatedYaml";
import { secretTermInKey } from "./secretKeyNames";
import { secretShapesOf } from "./secretValues";
import { isReference } from "./valueReferences";

/*
 * A key that names a secret is refused whatever it holds, except a boolean (`use_sas: true`
 * cannot carry one):
 * - empty or null, because a slot for a secret in a committed file is where someone will
 *   paste one;
 * - a reference such as `$(STORAGE_KEY)` or `@Microsoft.KeyVault(…)`, because configuration
 *   values become script arguments: unresolved, the script gets the literal text; resolved,
 *   the secret would sit in the job's command line, which Azure ML keeps and shows.
 * The way to go is to name the secret (`storage_key_secret_name: …`) and let the script read
 * it from Key Vault with its identity; such descriptor keys pass (see secretKeyNames.ts).
 */

function keyReason(term: string, value: LocatedNode): string {
  const named = `the key names a secret (${term})`;
  if (value.kind !== "scalar") return named;
  if (value.type === "null" || value.text.trim() === "") return `${named}; refused even empty, so that no one fills it in`;
  if (isReference(value.text)) {
    return `${named}; refused even as a reference, since configuration values become visible script arguments`;
  }
  return named;
}

function valueReasons(value: LocatedNode): string[] {
  if (value.kind !== "scalar") return [];
  return secretShapesOf(value.text).map((shape) => `the value looks like ${shape}`);
}

function keyTextOf(key: LocatedNode): string {
  return key.kind === "scalar" ? key.text : "?";
}

class SecretScan {
  readonly findings: SecretFinding[] = [];

  constructor(private readonly file: string) {}

  mapping(node: LocatedMapping, path: string): void {
    for (const { key, value } of node.entries) {
      const name = keyTextOf(key);
      const childPath = path === "" ? name : `${path}.${name}`;
      const term = secretTermInKey(name);
      const isBoolean = value.kind === "scalar" && value.type === "boolean";
      const reasons = [...(term !== undefined && !isBoolean ? [keyReason(term, value)] : []), ...valueReasons(value)];
      if (reasons.length > 0) this.report(term !== undefined ? key.line : value.line, childPath, reasons);
      this.children(value, childPath);
    }
  }

  private sequence(items: LocatedNode[], path: string): void {
    items.forEach((item, index) => {
      const itemPath = `${path}[${index}]`;
      const reasons = valueReasons(item);
      if (reasons.length > 0) this.report(item.line, itemPath, reasons);
      this.children(item, itemPath);
    });
  }

  private children(node: LocatedNode, path: string): void {
    if (node.kind === "mapping") this.mapping(node, path);
    else if (node.kind === "sequence") this.sequence(node.items, path);
  }

  private report(line: number, key: string, reasons: string[]): void {
    this.findings.push({ file: this.file, line, key, reason: reasons.join("; ") });
  }
}

/** Every secret in one parsed file, in file order. Findings never carry the value itself. */
export function scanForSecrets(file: string, document: LocatedMapping): SecretFinding[] {
  const scan = new SecretScan(file);
  scan.mapping(document, "");
  return scan.findings;
}
