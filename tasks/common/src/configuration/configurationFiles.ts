import * as fs from "node:fs";
import * as path from "node:path";
import { checkInputFile, FileInput, isPresent } from "../files/fileInputs";
import { asConfigurationError } from "./asConfigurationError";
import { ConfigurationError } from "./configurationErrors";

export interface ConfigurationFiles {
  /** Folder holding `configuration-<env>.yml` and, optionally, the base `configuration.yml`. */
  directory: string;
  /** The pipeline's ENVIRONMENT (DEV, TEST, PROD…); the file name uses it in lower case. */
  environment: string;
  /** A base file to merge under the environment's file; by default `<directory>/configuration.yml` if present. */
  baseFile?: string;
  /** An explicit environment file, used instead of the one `directory` and `environment` name. */
  file?: string;
}

/** The files to read, base first. */
export interface ConfigurationFilePaths {
  base?: string;
  environment: string;
}

const extensions = [".yml", ".yaml"];
const environmentName = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** A file that must be a readable regular file of sane size, as a ConfigurationError if not. */
function requireFile(input: FileInput): string {
  asConfigurationError(() => checkInputFile(input));
  return input.path;
}

function environmentStem(environment: string): string {
  const name = environment.trim();
  if (name === "") {
    throw new ConfigurationError(
      "ENVIRONMENT is not set, so no configuration-<env>.yml can be chosen: set the pipeline variable ENVIRONMENT (DEV, TEST, PROD…).",
    );
  }
  if (!environmentName.test(name)) {
    throw new ConfigurationError(`ENVIRONMENT '${name}' is not a valid environment name: use letters, digits, '-' and '_' (DEV, TEST, PROD…).`);
  }
  return `configuration-${name.toLowerCase()}`;
}

/** The one existing file among `<stem>.yml` and `<stem>.yaml`; both at once is ambiguous. */
function findByStem(directory: string, stem: string, source: string): { found?: string; tried: string[] } {
  const tried = extensions.map((extension) => path.join(directory, stem + extension));
  const existing = tried.filter(isPresent);
  if (existing.length > 1) {
    throw new ConfigurationError(`Both ${existing.join(" and ")} exist: keep only one of them.`);
  }
  return { found: existing[0] === undefined ? undefined : requireFile({ path: existing[0], source }), tried };
}

function environmentFile(files: ConfigurationFiles): string {
  if (files.file !== undefined) {
    if (!isPresent(files.file)) {
      throw new ConfigurationError(`The configuration file ${files.file} (given for ENVIRONMENT '${files.environment}') does not exist.`);
    }
    return requireFile({ path: files.file, source: `The configuration file for ENVIRONMENT '${files.environment}'` });
  }
  const stem = environmentStem(files.environment);
  const { found, tried } = findByStem(files.directory, stem, `The configuration file for ENVIRONMENT '${files.environment.trim()}'`);
  if (found === undefined) {
    const missingDirectory = fs.existsSync(files.directory) ? "" : ` (the folder ${files.directory} does not exist)`;
    throw new ConfigurationError(
      `No configuration file for ENVIRONMENT '${files.environment.trim()}': neither ${tried.join(" nor ")} exists${missingDirectory}.`,
    );
  }
  return found;
}

function baseFile(files: ConfigurationFiles): string | undefined {
  if (files.baseFile !== undefined) {
    if (!isPresent(files.baseFile)) throw new ConfigurationError(`The base configuration file ${files.baseFile} does not exist.`);
    return requireFile({ path: files.baseFile, source: "The base configuration file" });
  }
  return findByStem(files.directory, "configuration", "The base configuration file").found;
}

export function resolveConfigurationFiles(files: ConfigurationFiles): ConfigurationFilePaths {
  const environment = environmentFile(files);
  const base = baseFile(files);
  return base === undefined || path.resolve(base) === path.resolve(environment) ? { environment } : { base, environment };
}
