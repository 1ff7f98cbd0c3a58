import { createHash } from "node:crypto";
import type { EnvironmentVersion, EnvironmentVersionProperties } from "@azure/arm-machinelearning";
import type { InlineEnvironment } from "../azureml/environmentField";
import { readInputFile } from "../files/fileInputs";

/** The name azure-ai-ml gives every environment written inline in a job or a deployment. */
export const anonymousEnvironmentName = "CliV2AnonymousEnvironment";

/**
 * Azure ML's EnvironmentVersion body of an inline environment; the conda file as its YAML text.
 * `owner` names where the environment is written, for an error about its conda file: "The job's".
 */
export function inlineEnvironmentBody(environment: InlineEnvironment, buildContextUri?: string, owner = "The job's"): EnvironmentVersion {
  let condaFile: string | undefined;
  if (environment.condaFile?.kind === "file") {
    condaFile = readInputFile({ path: environment.condaFile.path, source: `${owner} 'environment.conda_file'` });
  } else if (environment.condaFile?.kind === "inline") {
    // JSON is YAML: the specification as written, in a form the service reads.
    condaFile = JSON.stringify(environment.condaFile.specification);
  }
  const body: EnvironmentVersionProperties = {
    isAnonymous: true,
    osType: environment.osType === "windows" ? "Windows" : "Linux",
  };
  if (environment.image !== undefined) body.image = environment.image;
  if (condaFile !== undefined) body.condaFile = condaFile;
  if (environment.build !== undefined)
    body.build = { contextUri: buildContextUri ?? environment.build.context.text, dockerfilePath: environment.build.dockerfilePath };
  if (environment.description !== undefined) body.description = environment.description;
  if (Object.keys(environment.tags).length > 0) body.tags = environment.tags;
  if (environment.inferenceConfig !== undefined) body.inferenceConfig = environment.inferenceConfig as EnvironmentVersionProperties["inferenceConfig"];
  return { properties: body };
}

/**
 * The version of an anonymous environment: a hash of what defines it (image, conda file, build,
 * OS), so that the same inline environment is the same version, found and reused, and a changed
 * one is a new version. Description and tags do not change what runs, and are not hashed.
 */
export function anonymousEnvironmentVersion({ properties: body }: EnvironmentVersion): string {
  const defining = {
    image: body.image ?? null,
    condaFile: body.condaFile ?? null,
    build: body.build ?? null,
    osType: body.osType ?? null,
    inferenceConfig: body.inferenceConfig ?? null,
  };
  return createHash("md5").update(JSON.stringify(defining)).digest("hex");
}
