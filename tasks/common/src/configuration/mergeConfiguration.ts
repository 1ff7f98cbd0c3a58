import { ConfigurationMapping, isConfigurationMapping, setOwn } from "./configurationValue";

/**
 * The environment's values over the base's: mappings merge key by key; anything else replaces,
 * lists included (merging lists item by item would make `layers: [64]` in TEST mean something
 * no one wrote), and `null` replaces too, which is how an environment removes a base value.
 * Base keys keep their place; keys only the environment has come after them.
 */
export function mergeConfiguration(base: ConfigurationMapping, override: ConfigurationMapping): ConfigurationMapping {
  const merged: ConfigurationMapping = {};
  for (const [key, value] of Object.entries(base)) setOwn(merged, key, value);
  for (const [key, value] of Object.entries(override)) {
    const baseValue = Object.hasOwn(merged, key) ? merged[key] : undefined;
    const bothMappings = isConfigurationMapping(baseValue) && isConfigurationMapping(value);
    setOwn(merged, key, bothMappings ? mergeConfiguration(baseValue, value) : value);
  }
  return merged;
}
