import * as path from "node:path";
import type { OnlineDeploymentSpec } from "../../../common/src/azureml/onlineDeploymentFile";
import { InputError } from "../../../common/src/errors/inputError";
import { readInputFile } from "../../../common/src/files/fileInputs";
import { quoted } from "../../../common/src/text/printable";
import { loadYaml } from "../../../common/src/yaml/safeYaml";
import type { EnvironmentSource } from "./environmentSource";

/** The deployment's environment with its conda file parsed. */
export interface ResolvedEnvironment {
  description: string;
  image?: string;
  /** The parsed conda file and how errors name it. */
  conda?: { specification: unknown; origin: string };
}

/**
 * The deployment's environment as the Docker context needs it: an inline one from the deployment
 * file (its conda file read from disk or written inline), a reference through `source`. Refused:
 * an environment built from a Docker build context, and a Windows one (the image is Linux).
 */
export async function resolveDeploymentEnvironment(deployment: OnlineDeploymentSpec, source: EnvironmentSource): Promise<ResolvedEnvironment> {
  const environment = deployment.environment;
  if (environment.kind === "inline") {
    const description = `the inline environment of ${quoted(path.basename(deployment.file))}`;
    if (environment.build !== undefined) throw buildRefusal(description);
    if (environment.osType === "windows") throw windowsRefusal(description);
    const condaFile = environment.condaFile;
    if (condaFile === undefined) return { description, image: environment.image };
    if (condaFile.kind === "inline")
      return {
        description,
        image: environment.image,
        conda: { specification: condaFile.specification, origin: `The conda file written in ${quoted(deployment.file)}` },
      };
    const origin = `The conda file ${quoted(condaFile.path)}`;
    const text = readInputFile({ path: condaFile.path, source: `The 'environment.conda_file' of ${quoted(deployment.file)}` });
    return { description, image: environment.image, conda: { specification: parseConda(text, condaFile.path), origin } };
  }
  const found = await source.read(environment.reference);
  if (found.fromBuildContext) throw buildRefusal(found.description);
  if (found.osType === "windows") throw windowsRefusal(found.description);
  if (found.condaFile === undefined) return { description: found.description, image: found.image };
  const origin = `The conda file of ${found.description}`;
  return { description: found.description, image: found.image, conda: { specification: parseConda(found.condaFile, origin), origin } };
}

function parseConda(text: string, name: string): unknown {
  const documents = loadYaml(text, { name, positions: "file" }).documents;
  if (documents.length !== 1) throw new InputError(`${name} holds ${documents.length} YAML documents; a conda file is one.`);
  return documents[0];
}

function buildRefusal(description: string): InputError {
  return new InputError(
    `${description} is built from a Docker build context ('build'); the Docker context target needs an environment given as an image with a conda file, whose packages it installs with pip.`,
  );
}

function windowsRefusal(description: string): InputError {
  return new InputError(`${description} is a Windows environment; the scoring image is Linux, served by gunicorn.`);
}
