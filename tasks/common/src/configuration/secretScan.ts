import { SecretFinding } from "./configurationErrors";
import { keyPathSegment } from "./keyPathSegment";
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
 *
 * A key is also scanned as a value would be, since a connection string or a URL with a password
 * works as a mapping key just as well; such a key is then masked in the finding's path (see
 * keyPathSegment.ts), and so is the term it was flagged for.
 */

/** `term` is left out when the key is masked, since it quotes a word of the key. */
function keyReason(term: string | undefined, value: LocatedNode): string {
  const named = term === undefined ? "the key names a secret" : `the key names a secret (${term})`;
  if (value.kind !== "scalar") return named;
  if (value.type === "null" || value.text.trim() === "") return `${named}; refused even empty, so that no one fills it in`;
  if (isReference(value.text)) {
    return `${named}; refused even as a reference, since configuration values become visible script arguments`;
  }
  return named;
}

function shapesOf(node: LocatedNode): string[] {
  return node.kind === "scalar" ? secretShapesOf(node.text) : [];
}

function valueReasons(value: LocatedNode): string[] {
  return shapesOf(value).map((shape) => `the value looks like ${shape}`);
}

class SecretScan {
  readonly findings: SecretFinding[] = [];

  constructor(private readonly file: string) {}

  mapping(node: LocatedMapping, path: string): void {
    node.entries.forEach(({ key, value }, position) => {
      const keyShapes = shapesOf(key);
      const segment = keyPathSegment(key, position, keyShapes.length > 0);
      const childPath = path === "" ? segment.text : `${path}.${segment.text}`;
      const term = key.kind === "scalar" ? secretTermInKey(key.text) : undefined;
      const isBoolean = value.kind === "scalar" && value.type === "boolean";
      const reasons = [
        ...(term !== undefined && !isBoolean ? [keyReason(segment.masked ? undefined : term, value)] : []),
        ...keyShapes.map((shape) => `the key looks like ${shape}`),
        ...valueReasons(value),
      ];
      const atKey = (term !== undefined && !isBoolean) || keyShapes.length > 0;
      if (reasons.length > 0) this.report(atKey ? key.line : value.line, childPath, reasons);
      // A list or mapping used as a key (`? [a, b]`) can hide a secret too.
      this.children(key, childPath);
      this.children(value, childPath);
    });
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
