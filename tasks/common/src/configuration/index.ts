/** Configuration files per environment (DESIGN §1): load, refuse secrets, turn into script arguments. */
export { ConfigurationError, ConfigurationSecretError, describeFinding } from "./configurationErrors";
export type { SecretFinding } from "./configurationErrors";
export type { ConfigurationFiles } from "./configurationFiles";
export type { ConfigurationValue } from "./configurationValue";
export { loadConfiguration } from "./loadConfiguration";
export type { LoadedConfiguration } from "./loadConfiguration";
export { toScriptArguments } from "./scriptArguments";
export { applyConfigurationToCommand, selectConfigurationSection, shellQuote } from "./configurationSection";
export type { AppliedCommand, ConfigurationSection } from "./configurationSection";
