import { InputError } from "../errors/inputError";

/** Reads `key=value` lines (blank lines and `#` comments ignored) into Azure resource tags. */
export function parseTags(text: string | undefined, inputName: string): Record<string, string> {
  const tags: Record<string, string> = {};
  const lines = (text ?? "").split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const separator = line.indexOf("=");
    const key = separator > 0 ? line.slice(0, separator).trim() : "";
    if (!key) {
      throw new InputError(`Input '${inputName}' line ${index + 1} is not 'key=value'.`);
    }
    if (key.length > 512 || /[<>%&\\?/]/.test(key)) {
      throw new InputError(`Input '${inputName}' line ${index + 1}: tag name '${key}' is longer than 512 characters or holds one of < > % & \\ ? /.`);
    }
    if (key in tags) {
      throw new InputError(`Input '${inputName}' line ${index + 1}: tag '${key}' is given twice.`);
    }
    tags[key] = line.slice(separator + 1).trim();
  });
  return tags;
}
