import { InputError } from "../errors/inputError";
import { hasControlCharacter, quoted } from "../text/printable";

/**
 * Azure's limits on tags ("Use tags to organize your Azure resources", learn.microsoft.com): at
 * most 50 per resource; names up to 512 characters without < > % & \ ? /, but only 128 on a
 * storage account; values up to 256. Names are case-insensitive: `Team` and `team` are one tag.
 */
export const tagLimits = { count: 50, nameLength: 512, storageAccountNameLength: 128, valueLength: 256 } as const;

export interface TagOptions {
  /** The longest tag name every tagged resource takes: `tagLimits.storageAccountNameLength` when a storage account is tagged. */
  maxNameLength?: number;
}

/** Reads `key=value` lines (blank lines and `#` comments ignored) into Azure resource tags. */
export function parseTags(text: string | undefined, inputName: string, options: TagOptions = {}): Record<string, string> {
  const maxNameLength = options.maxNameLength ?? tagLimits.nameLength;
  const tags: Record<string, string> = {};
  const seen = new Map<string, string>();
  const lines = (text ?? "").split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const where = `Input '${inputName}' line ${index + 1}`;
    const separator = line.indexOf("=");
    const key = separator > 0 ? line.slice(0, separator).trim() : "";
    if (!key) {
      throw new InputError(`${where} is not 'key=value'.`);
    }
    const value = line.slice(separator + 1).trim();
    if (hasControlCharacter(key) || hasControlCharacter(value)) {
      throw new InputError(`${where}: tag ${quoted(key)} = ${quoted(value)} holds a control character, which Azure refuses in tags.`);
    }
    if (key.length > maxNameLength || /[<>%&\\?/]/.test(key)) {
      throw new InputError(`${where}: tag name '${key}' is longer than ${maxNameLength} characters or holds one of < > % & \\ ? /.`);
    }
    if (value.length > tagLimits.valueLength) {
      throw new InputError(`${where}: the value of tag '${key}' is ${value.length} characters long; Azure takes at most ${tagLimits.valueLength}.`);
    }
    const earlier = seen.get(key.toLowerCase());
    if (earlier !== undefined) {
      const same = earlier === key ? `'${key}'` : `'${key}' (the same as '${earlier}': Azure ignores case in tag names)`;
      throw new InputError(`${where}: tag ${same} is given twice.`);
    }
    seen.set(key.toLowerCase(), key);
    if (seen.size > tagLimits.count) {
      throw new InputError(
        `Input '${inputName}' gives more than ${tagLimits.count} tags (line ${index + 1}); Azure takes at most ${tagLimits.count} per resource.`,
      );
    }
    // Defined, not assigned: a tag named __proto__ must stay a tag.
    Object.defineProperty(tags, key, { value, enumerable: true, writable: true, configurable: true });
  });
  return tags;
}

/** Our tags whose value on the resource differs, or which it lacks; names compared without case, as Azure does. */
export function tagsToChange(existing: Record<string, string>, ours: Record<string, string>): string[] {
  const current = new Map(Object.entries(existing).map(([name, value]) => [name.toLowerCase(), value]));
  return Object.entries(ours)
    .filter(([name, value]) => current.get(name.toLowerCase()) !== value)
    .map(([name]) => name);
}

/**
 * A resource's tags with ours added or corrected: tags set outside the pipeline are kept, and a
 * name that differs from ours only in case is ours (Azure keeps one tag per name, without case).
 * Refused when the result would break Azure's limit of 50, before anything is sent.
 */
export function mergeTags(existing: Record<string, string>, ours: Record<string, string>, resource: string): Record<string, string> {
  const ourNames = new Set(Object.keys(ours).map((name) => name.toLowerCase()));
  const merged: Record<string, string> = {};
  const define = (name: string, value: string) => Object.defineProperty(merged, name, { value, enumerable: true, writable: true, configurable: true });
  for (const [name, value] of Object.entries(existing)) if (!ourNames.has(name.toLowerCase())) define(name, value);
  for (const [name, value] of Object.entries(ours)) define(name, value);
  const count = Object.keys(merged).length;
  if (count > tagLimits.count) {
    throw new InputError(
      `${resource} already has ${Object.keys(existing).length} tags; with those of input 'tags' it would have ${count}, and Azure takes at most ${tagLimits.count}: remove some from the resource or from the input.`,
    );
  }
  return merged;
}
