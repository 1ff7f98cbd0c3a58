import type { EnvironmentVersion } from "@azure/arm-machinelearning";
import type { AzureSession } from "../../../common/src/azure/azureSession";
import { MachineLearningControlPlane, type WorkspaceScope } from "../../../common/src/azure/clients/machineLearningControlPlane";
import type { AzureMLReference } from "../../../common/src/azureml/references";
import { describing } from "../../../common/src/errors/azureError";
import { InputError } from "../../../common/src/errors/inputError";
import { quoted } from "../../../common/src/text/printable";
import type { EnvironmentDefinition, EnvironmentSource } from "./environmentSource";

/**
 * Environments on the Azure ML control plane (2022-10-01): the workspace's own versions and the
 * curated ones it lists beside them. That API has no registry operations, so a registry URI is
 * read for the `azureml` registry only, whose curated environments are published as images
 * `mcr.microsoft.com/azureml/curated/<name>:<version>` with their packages inside (no conda file).
 */
export class AzureEnvironmentSource implements EnvironmentSource {
  private readonly controlPlane: MachineLearningControlPlane;

  constructor(
    session: AzureSession,
    private readonly workspace: WorkspaceScope,
  ) {
    this.controlPlane = new MachineLearningControlPlane(session, workspace);
  }

  async read(reference: AzureMLReference): Promise<EnvironmentDefinition> {
    switch (reference.kind) {
      case "assetVersion":
        return this.version(reference.name, reference.version, reference.text);
      case "assetLabel":
        return this.labelled(reference.name, reference.label, reference.text);
      case "armId": {
        const { scope } = reference;
        const same =
          scope.subscription.toLowerCase() === this.workspace.subscriptionId.toLowerCase() &&
          scope.resourceGroup.toLowerCase() === this.workspace.resourceGroup.toLowerCase() &&
          scope.workspace.toLowerCase() === this.workspace.name.toLowerCase();
        if (!same) {
          throw new InputError(
            `Environment ${quoted(reference.text)} belongs to workspace '${scope.workspace}'; the task reads environments of workspace '${this.workspace.name}'.`,
          );
        }
        return reference.version ? this.version(reference.name, reference.version, reference.text) : this.labelled(reference.name, "latest", reference.text);
      }
      case "registryAsset":
        return curatedFromRegistry(reference.registry, reference.name, reference.version ?? reference.label ?? "latest", reference.text);
      default:
        throw new InputError(`${quoted(reference.text)} is not an environment reference the Docker context can read.`);
    }
  }

  private async version(name: string, version: string, text: string): Promise<EnvironmentDefinition> {
    const found = await describing(`Reading environment ${name}:${version}`, () => this.controlPlane.getEnvironmentVersion(name, version));
    if (!found) throw new InputError(`Environment ${quoted(text)} does not exist in workspace '${this.workspace.name}'.`);
    return definition(found, `azureml:${name}:${version}`);
  }

  private async labelled(name: string, label: string, text: string): Promise<EnvironmentDefinition> {
    if (label !== "latest") throw new InputError(`Environment ${quoted(text)} uses the label '${label}'; Azure ML documents only 'latest'.`);
    const newest = await describing(`Listing the versions of environment '${name}'`, () => this.controlPlane.newestEnvironmentVersion(name));
    if (!newest) throw new InputError(`Environment ${quoted(text)} has no version in workspace '${this.workspace.name}'.`);
    return definition(newest, `azureml:${name}:${newest.name ?? "latest"}`);
  }
}

function definition(found: EnvironmentVersion, description: string): EnvironmentDefinition {
  const properties = found.properties;
  return {
    description,
    ...(properties.image ? { image: properties.image } : {}),
    ...(properties.condaFile ? { condaFile: properties.condaFile } : {}),
    ...(properties.build ? { fromBuildContext: true } : {}),
    osType: properties.osType?.toLowerCase() === "windows" ? "windows" : "linux",
  };
}

function curatedFromRegistry(registry: string, name: string, versionOrLabel: string, text: string): EnvironmentDefinition {
  if (registry !== "azureml") {
    throw new InputError(
      `Environment ${quoted(text)} is in registry '${registry}', which the Azure ML API these tasks use (2022-10-01) cannot read; for the Docker context, write the environment inline in the deployment file (image and conda_file) or register it in the workspace.`,
    );
  }
  return { description: text, image: `mcr.microsoft.com/azureml/curated/${name}:${versionOrLabel}`, osType: "linux" };
}
