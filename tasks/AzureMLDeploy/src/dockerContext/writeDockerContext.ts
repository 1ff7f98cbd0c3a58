import * as fs from "node:fs";
import * as path from "node:path";
import type { OnlineDeploymentSpec } from "../../../common/src/azureml/onlineDeploymentFile";
import { InputError } from "../../../common/src/errors/inputError";
import { formatBytes } from "../../../common/src/upload/datastoreUpload";
import { quoted } from "../../../common/src/text/printable";
import { chooseBaseImage } from "./baseImage";
import { copyCodeFiles, readCodeFolder } from "./codeFolder";
import { CondaPackages, condaPackagesOf, requirementsFileText, withServingPackages } from "./condaRequirements";
import { markerFile, prepareContextFolder, writeMarker } from "./contextFolder";
import { dockerignoreText, readmeText } from "./contextReadme";
import { resolveDeploymentEnvironment } from "./deploymentEnvironment";
import { dockerfileText, imageModelDir } from "./dockerfile";
import type { EnvironmentSource } from "./environmentSource";
import { imageVariables } from "./imageVariables";
import type { ModelFileSource, ModelVersionReference } from "./modelFileSource";
import { findScoringApp } from "./scoringAppAsset";

export interface DockerContextRequest {
  /** Absolute folder to write: created if absent; if it exists it must be empty or a context this function wrote before (marker file), else a clear InputError naming input 'contextPath'. */
  contextPath: string;
  /** The deployment file as read by readOnlineDeploymentFile: code_configuration and environment come from it. */
  deployment: OnlineDeploymentSpec;
  /** The registered model version to carry (resolved by the task beforehand: never @latest). */
  model: ModelVersionReference;
  /** A request body for the README's curl example (e.g. the smoke test's sample request); a placeholder otherwise. */
  sampleRequest?: string;
}

export interface DockerContextDependencies {
  models: ModelFileSource;
  environments: EnvironmentSource;
  log: (line: string) => void;
  /** The scoring app to copy; default: the one shipped beside the task (assets/scoring-app/app.py). */
  scoringApp?: string;
}

export interface DockerContextOutcome {
  /** The folder written (absolute). */
  contextPath: string;
  /** Every file written, relative to contextPath, POSIX separators, sorted. */
  files: string[];
  /** AZUREML_MODEL_DIR inside the image: /var/azureml-app/azureml-models/<name>/<version>. */
  modelDir: string;
  /** The lines of requirements.txt that install something, in order. */
  requirements: string[];
  /** The Dockerfile's FROM. */
  baseImage: string;
}

// Registered names are checked by Azure ML; these become folder names, so they are checked again.
const pathSafeName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Writes a Docker build context that serves the deployment's scoring script with the registered
 * model, needing no workspace access at run time: Dockerfile, app.py (the scoring app), code/,
 * azureml-models/<name>/<version>/, requirements.txt, .dockerignore and README.md. Everything
 * that can be refused (code, environment, variables) is checked before the folder is touched.
 */
export async function writeDockerContext(request: DockerContextRequest, dependencies: DockerContextDependencies): Promise<DockerContextOutcome> {
  const { deployment, model } = request;
  const { log } = dependencies;
  const contextPath = path.resolve(request.contextPath);
  for (const [what, value] of [
    ["name", model.name],
    ["version", model.version],
  ] as const) {
    if (!pathSafeName.test(value))
      throw new InputError(
        `The model's ${what} ${quoted(value)} cannot be a folder name in the Docker context; Azure ML names hold letters, digits, '.', '-' and '_'.`,
      );
  }
  const code = localCode(deployment);
  const codeFiles = await readCodeFolder(code.folder, code.entryScript);
  const variables = imageVariables(deployment.environmentVariables, deployment.file);
  const environment = await resolveDeploymentEnvironment(deployment, dependencies.environments);
  const packages: CondaPackages = environment.conda
    ? condaPackagesOf(environment.conda.specification, environment.conda.origin)
    : { requirements: withServingPackages([]), leftOut: [] };
  const baseImage = chooseBaseImage(
    { description: environment.description, image: environment.image, hasCondaFile: environment.conda !== undefined },
    packages.pythonVersion,
  );
  const scoringApp = dependencies.scoringApp ?? findScoringApp();

  prepareContextFolder(contextPath);
  writeMarker(contextPath, {
    writtenBy: "AzureMLDeploy",
    deployment: deployment.name,
    endpoint: deployment.endpointName,
    model: `${model.name}:${model.version}`,
  });
  fs.copyFileSync(scoringApp, path.join(contextPath, "app.py"));

  copyCodeFiles(codeFiles, path.join(contextPath, "code"));
  log(
    `Scoring code: ${codeFiles.files.length} file(s) from ${quoted(code.folder)}${codeFiles.ignoreFile ? `, as its ${codeFiles.ignoreFile} allows` : ""}; entry script ${code.entryScript}.`,
  );

  const modelFolder = path.join(contextPath, "azureml-models", model.name, model.version);
  const downloaded = await dependencies.models.download(model, modelFolder);
  log(
    `Model ${model.name}:${model.version}: ${downloaded.files.length} file(s), ${formatBytes(downloaded.bytes)}, under azureml-models/${model.name}/${model.version}/${downloaded.topName}.`,
  );

  if (!environment.conda) log(`${capitalised(environment.description)} has no conda file: requirements.txt holds only the scoring app's flask and gunicorn.`);
  fs.writeFileSync(
    path.join(contextPath, "requirements.txt"),
    requirementsFileText(
      packages,
      environment.conda
        ? `the conda file of ${environment.description}`
        : `${environment.description}, which has no conda file: only the scoring app's own packages`,
    ),
  );
  log(`Requirements: ${packages.requirements.join(", ")}.`);
  for (const { dependency, reason } of packages.leftOut) log(`Left out of requirements.txt: ${dependency} (${reason}).`);
  log(`Base image: ${baseImage.reason}`);

  fs.writeFileSync(
    path.join(contextPath, "Dockerfile"),
    dockerfileText({
      baseImage,
      model,
      entryScript: code.entryScript,
      deploymentName: deployment.name,
      endpointName: deployment.endpointName,
      variables,
      liveness: deployment.livenessProbe,
    }),
  );
  fs.writeFileSync(path.join(contextPath, ".dockerignore"), dockerignoreText(markerFile));
  fs.writeFileSync(
    path.join(contextPath, "README.md"),
    readmeText({
      deploymentName: deployment.name,
      endpointName: deployment.endpointName,
      model,
      entryScript: code.entryScript,
      baseImage: baseImage.image,
      imageTag: `${deployment.endpointName}-${deployment.name}:${model.version}`.toLowerCase(),
      sampleRequest: request.sampleRequest,
    }),
  );
  const files = listFiles(contextPath);
  log(`Docker build context written to ${contextPath}: ${files.length} file(s).`);
  return { contextPath, files, modelDir: imageModelDir(model), requirements: packages.requirements, baseImage: baseImage.image };
}

/** The deployment's local code folder and its scoring script (POSIX, relative to it). */
function localCode(deployment: OnlineDeploymentSpec): { folder: string; entryScript: string } {
  const configuration = deployment.codeConfiguration;
  const file = quoted(deployment.file);
  if (configuration === undefined) {
    throw new InputError(
      `The deployment file ${file} has no 'code_configuration'; the Docker context serves a scoring script (init() and run()), so give its code folder and scoring_script.`,
    );
  }
  if (configuration.code.kind !== "localPath") {
    throw new InputError(
      `The 'code_configuration.code' of ${file} is ${quoted(configuration.code.text)}, a registered code asset; the Docker context copies the scoring code from a folder on the agent, so give the code folder's path (relative to the deployment file).`,
    );
  }
  const entryScript = path.posix.normalize(configuration.scoringScript.replace(/\\/g, "/")).replace(/^(\.\/)+/, "");
  return { folder: configuration.code.path, entryScript };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function listFiles(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}
