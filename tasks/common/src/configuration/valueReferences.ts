/**
 * Whether a value only points at a secret kept elsewhere: a pipeline macro `$(NAME)`, a runtime
 * expression `$[ … ]`, a template expression `${{ … }}`, an environment variable `$NAME` or
 * `${NAME}`, or an App Service style `@Microsoft.KeyVault(…)` reference.
 */
export function isReference(text: string): boolean {
  return /^\s*(?:\$\([^()]+\)|\$\[.*\]|\$\{\{.*\}\}|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*|@Microsoft\.KeyVault\(.*\))\s*$/s.test(text);
}
