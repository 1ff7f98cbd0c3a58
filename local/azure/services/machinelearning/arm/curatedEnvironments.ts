import { newStoredResourceBy } from "../../../arm/resourceHelpers";
import { ResourceStore, StoredResource } from "../../../state/resourceStore";

/*
 * Azure ML shows its curated environments among every workspace's environments (`az ml
 * environment list`, studio's "Curated environments"), so a job may name one by version or as
 * `azureml:<name>@latest`, which the clients resolve by listing the workspace's versions. The
 * local Azure holds one version of a few well-known ones; their image is recorded, not pulled:
 * jobs run on the local Python whatever their environment.
 */
const catalogue: readonly { name: string; image: string; description: string }[] = [
  {
    name: "AzureML-sklearn-1.0-ubuntu20.04-py38-cpu",
    image: "mcr.microsoft.com/azureml/curated/sklearn-1.0-ubuntu20.04-py38-cpu:latest",
    description: "An environment for tasks such as regression, clustering, and classification with Scikit-learn.",
  },
  {
    name: "AzureML-sklearn-0.24-ubuntu18.04-py37-cpu",
    image: "mcr.microsoft.com/azureml/curated/sklearn-0.24-ubuntu18.04-py37-cpu:latest",
    description: "An environment for tasks such as regression, clustering, and classification with Scikit-learn.",
  },
  {
    name: "AzureML-lightgbm-3.3-ubuntu20.04-py38-cpu",
    image: "mcr.microsoft.com/azureml/curated/lightgbm-3.3-ubuntu20.04-py38-cpu:latest",
    description: "An environment for machine learning with Scikit-learn, LightGBM, XGBoost, Dask.",
  },
];

const containerType = "Microsoft.MachineLearningServices/workspaces/environments";
const versionType = `${containerType}/versions`;
const curatedVersion = "1";

/** Puts the curated environments into a new workspace, as Azure ML's own (created by the service). */
/** The names of the curated environments every new workspace lists. */
export const curatedEnvironmentNames = (): string[] => catalogue.map((environment) => environment.name);

export function addCuratedEnvironments(store: ResourceStore, workspace: StoredResource): void {
  for (const environment of catalogue) {
    const containerId = `${workspace.id}/environments/${environment.name}`;
    const common = { description: environment.description, tags: {}, properties: {}, isArchived: false };
    store.put(newStoredResourceBy("AzureML", containerId, containerType, { id: containerId, name: environment.name, type: containerType, properties: common }));
    const versionId = `${containerId}/versions/${curatedVersion}`;
    store.put(
      newStoredResourceBy("AzureML", versionId, versionType, {
        id: versionId,
        name: curatedVersion,
        type: versionType,
        properties: { ...common, isAnonymous: false, image: environment.image, osType: "Linux", autoRebuild: "Disabled", environmentType: "Curated" },
      }),
    );
  }
}
