/*
 * The image the scoring image builds on. Azure ML builds a conda environment on the
 * environment's image; this image installs with pip into a Python the base image already has
 * (see condaRequirements.ts). So the environment's image is kept when it is a plain Python image
 * (`python:3.11-slim`, `…/python:3.12`), or an Azure ML curated image without a conda file (its
 * Python holds the environment's packages); any other image (an OS image such as
 * `mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04`, whose Python Azure ML brings with conda)
 * gives way to the official `python:3.<x>-slim` of the conda file's Python version.
 */

/** The Python of the image when the conda file names none (Azure ML's own default in its recent curated images is 3.10). */
export const defaultPythonVersion = "3.10";

export interface BaseImageChoice {
  image: string;
  /** One sentence for the log and the Dockerfile: why this image. */
  reason: string;
}

interface ImageName {
  /** Registry and path without tag or digest, e.g. `mcr.microsoft.com/azureml/curated/sklearn-1.5`. */
  repository: string;
  tag?: string;
}

function parseImageName(image: string): ImageName {
  const withoutDigest = image.split("@")[0];
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  return colon < 0 ? { repository: withoutDigest } : { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
}

/** The official image or a mirror of it: the repository's last segment is `python`. */
function isPythonImage(name: ImageName): boolean {
  return name.repository.split("/").pop()?.toLowerCase() === "python";
}

function isCuratedImage(name: ImageName): boolean {
  return name.repository.toLowerCase().startsWith("mcr.microsoft.com/azureml/curated/");
}

export function chooseBaseImage(
  environment: { description: string; image?: string; hasCondaFile: boolean },
  condaPythonVersion: string | undefined,
): BaseImageChoice {
  const image = environment.image?.trim();
  if (image) {
    const name = parseImageName(image);
    if (isPythonImage(name)) {
      const tagVersion = /^(3\.\d+)/.exec(name.tag ?? "")?.[1];
      const mismatch =
        condaPythonVersion !== undefined && tagVersion !== undefined && tagVersion !== condaPythonVersion
          ? ` (note: the conda file asks for Python ${condaPythonVersion})`
          : "";
      return { image, reason: `${image}, the image of ${environment.description}: a plain Python image${mismatch}.` };
    }
    if (isCuratedImage(name) && !environment.hasCondaFile) {
      return { image, reason: `${image}, the curated image of ${environment.description}: its Python already holds the environment's packages.` };
    }
  }
  const version = condaPythonVersion ?? defaultPythonVersion;
  const pythonSource = condaPythonVersion ? `the conda file's Python ${version}` : `Python ${version} (the conda file names no version)`;
  const replaced = image
    ? `${image}, the image of ${environment.description}, is not a plain Python image (Azure ML would add Python to it with conda)`
    : `${environment.description} names no image`;
  return { image: `python:${version}-slim`, reason: `python:${version}-slim for ${pythonSource}: ${replaced}.` };
}
