import type { AzureMLReference } from "../../../common/src/azureml/references";

/** What the Docker context needs of an Azure ML environment: its image and its conda file. */
export interface EnvironmentDefinition {
  /** How logs and the Dockerfile name it, e.g. `azureml:my-env:3`. */
  description: string;
  /** The Docker image Azure ML would build on (absent for one built from a Docker context). */
  image?: string;
  /** The conda file's content (YAML text), when the environment has one. */
  condaFile?: string;
  /** Built by Azure ML from a Docker build context (`build:`) rather than from an image. */
  fromBuildContext?: boolean;
  osType?: "linux" | "windows";
}

/**
 * Reads a registered environment: `azureml:<name>:<version>`, `azureml:<name>@latest`, an ARM id,
 * a curated environment (the workspace lists them like its own), or a registry URI
 * (`azureml://registries/<registry>/environments/<name>/versions/<v>` or `/labels/latest`).
 * An environment written inline in the deployment file needs no source: it is read from there.
 */
export interface EnvironmentSource {
  read(reference: AzureMLReference): Promise<EnvironmentDefinition>;
}
