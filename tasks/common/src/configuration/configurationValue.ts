/** What a configuration file may hold once parsed: YAML's JSON-like core, nothing else. */
export type ConfigurationValue = string | number | boolean | null | ConfigurationValue[] | { [key: string]: ConfigurationValue };

export type ConfigurationMapping = { [key: string]: ConfigurationValue };

export function isConfigurationMapping(value: ConfigurationValue | undefined): value is ConfigurationMapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Sets a key as an own property even when it is `__proto__`: a plain assignment would change the
 * object's prototype instead of storing the user's key.
 */
export function setOwn(target: ConfigurationMapping, key: string, value: ConfigurationValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
