import * as fs from "node:fs";
import * as path from "node:path";
import * as tl from "azure-pipelines-task-lib/task";
import { loadConfiguration, LoadedConfiguration } from "../configuration";
import { InputError } from "../errors/inputError";

function resolveFromSources(file: string): string {
  const root = tl.getVariable("System.DefaultWorkingDirectory") || process.cwd();
  return path.resolve(root, file);
}

/**
 * The environment's configuration file, from the inputs `configurationFile`,
 * `configurationDirectory` (default `configuration`) and `configurationBaseFile`. A file named
 * explicitly must exist; the conventional `configuration-<env>.yml` is read only when present,
 * so a pipeline without configuration files still runs. Every file read is checked for secrets.
 */
export function readConfigurationInputs(environment: string | undefined): LoadedConfiguration | undefined {
  const file = tl.getInput("configurationFile", false)?.trim();
  const baseFile = tl.getInput("configurationBaseFile", false)?.trim();
  const directory = resolveFromSources(tl.getInput("configurationDirectory", false)?.trim() || "configuration");
  const base = baseFile ? resolveFromSources(baseFile) : undefined;
  if (base && !fs.existsSync(base)) {
    throw new InputError(`Input 'configurationBaseFile': file '${base}' does not exist.`);
  }

  if (file) {
    const explicit = resolveFromSources(file);
    if (!fs.existsSync(explicit)) throw new InputError(`Input 'configurationFile': file '${explicit}' does not exist.`);
    return loadConfiguration({ directory: path.dirname(explicit), environment: environment ?? "", file: explicit, baseFile: base });
  }
  if (!environment) {
    if (base) throw new InputError(`Input 'configurationBaseFile' is set, but variable ENVIRONMENT is not: the environment's file cannot be chosen.`);
    return undefined;
  }
  const conventional = ["yml", "yaml"].map((ext) => path.join(directory, `configuration-${environment.toLowerCase()}.${ext}`));
  if (!conventional.some((candidate) => fs.existsSync(candidate))) {
    if (base) throw new InputError(`Input 'configurationBaseFile' is set, but there is no ${conventional[0]} for ENVIRONMENT '${environment}'.`);
    tl.debug(`No ${conventional[0]}: no configuration file for ${environment}.`);
    return undefined;
  }
  return loadConfiguration({ directory, environment, baseFile: base });
}
