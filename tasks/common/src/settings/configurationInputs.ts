import * as fs from "node:fs";
import * as path from "node:path";
import * as tl from "azure-pipelines-task-lib/task";
import { loadConfiguration, LoadedConfiguration } from "../configuration";
import { InputError } from "../errors/inputError";
import { checkInputFile, isPresent } from "../files/fileInputs";
import { hasControlCharacter, quoted } from "../text/printable";

function resolveFromSources(file: string): string {
  const root = tl.getVariable("System.DefaultWorkingDirectory") || process.cwd();
  return path.resolve(root, file);
}

function checkDirectory(directory: string, given: boolean): void {
  if (hasControlCharacter(directory)) {
    throw new InputError(`Input 'configurationDirectory': ${quoted(directory)} holds a control character, which no folder name here should.`);
  }
  let stats: fs.Stats | undefined;
  try {
    stats = fs.statSync(directory);
  } catch {
    return; // a missing folder means "no configuration files" (see below)
  }
  if (!stats.isDirectory()) {
    const source = given ? "Input 'configurationDirectory'" : "The default configuration folder (input 'configurationDirectory')";
    throw new InputError(`${source}: ${quoted(directory)} is not a folder.`);
  }
}

/**
 * The environment's configuration file, from the inputs `configurationFile`,
 * `configurationDirectory` (default `configuration`) and `configurationBaseFile`. A file named
 * explicitly must exist; the conventional `configuration-<env>.yml` is read only when present,
 * so a pipeline without configuration files still runs. Whatever is read must be a regular file
 * of sane size (a folder, a FIFO or /dev/zero is refused before anything is read), and every
 * file read is checked for secrets.
 */
export function readConfigurationInputs(environment: string | undefined): LoadedConfiguration | undefined {
  const file = tl.getInput("configurationFile", false)?.trim();
  const baseFile = tl.getInput("configurationBaseFile", false)?.trim();
  const directoryInput = tl.getInput("configurationDirectory", false)?.trim();
  const directory = resolveFromSources(directoryInput || "configuration");
  const base = baseFile ? resolveFromSources(baseFile) : undefined;
  if (base) checkInputFile({ path: base, source: "Input 'configurationBaseFile'" });

  if (file) {
    const explicit = resolveFromSources(file);
    checkInputFile({ path: explicit, source: "Input 'configurationFile'" });
    return loadConfiguration({ directory: path.dirname(explicit), environment: environment ?? "", file: explicit, baseFile: base });
  }
  if (!environment) {
    if (base) throw new InputError(`Input 'configurationBaseFile' is set, but variable ENVIRONMENT is not: the environment's file cannot be chosen.`);
    return undefined;
  }
  checkDirectory(directory, Boolean(directoryInput));
  const conventional = ["yml", "yaml"].map((ext) => path.join(directory, `configuration-${environment.toLowerCase()}.${ext}`));
  if (!conventional.some(isPresent)) {
    if (base) throw new InputError(`Input 'configurationBaseFile' is set, but there is no ${conventional[0]} for ENVIRONMENT '${environment}'.`);
    tl.debug(`No ${conventional[0]}: no configuration file for ${environment}.`);
    return undefined;
  }
  return loadConfiguration({ directory, environment, baseFile: base });
}
