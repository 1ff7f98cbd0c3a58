import { ConfigurationSecretError, SecretFinding } from "./configurationErrors";
import { ConfigurationFiles, resolveConfigurationFiles } from "./configurationFiles";
import { ConfigurationValue } from "./configurationValue";
import { mergeConfiguration } from "./mergeConfiguration";
import { parseConfigurationFile } from "./parseConfigurationFile";
import { scanForSecrets } from "./secretScan";

export interface LoadedConfiguration {
  values: Record<string, ConfigurationValue>;
  /** The files read, base first. */
  files: string[];
}

/**
 * Reads the environment's configuration, merged over the base file if there is one. Every file
 * is scanned for secrets before anything is merged, and all findings of all files are reported
 * in one error, so that one fix is enough.
 */
export function loadConfiguration(files: ConfigurationFiles): LoadedConfiguration {
  const paths = resolveConfigurationFiles(files);
  const toRead = paths.base === undefined ? [paths.environment] : [paths.base, paths.environment];
  const parsed = toRead.map(parseConfigurationFile);
  const findings: SecretFinding[] = parsed.flatMap((file) => (file.document === undefined ? [] : scanForSecrets(file.file, file.document)));
  if (findings.length > 0) throw new ConfigurationSecretError(findings);
  const values = parsed.map((file) => file.values).reduce(mergeConfiguration);
  return { values, files: toRead };
}
