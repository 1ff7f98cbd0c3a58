import type { DataSourceBinding } from "../../unit/packaging/project";

/*
 * Every pick list our tasks offer, once: the binding (all but its target) and what it must list
 * for the workspace the pickers test provisions (./pickerWorld.ts). A task.json binding must be
 * one of these, exactly (pickers.test.ts checks it), so the syntax is written and tested once.
 *
 * EXTENSION POINT: a new list gets its binding here, something to list in PickerWorld (made in
 * ./pickerWorld.ts) and `expected`; then its task.json binding is this entry's `binding` with a
 * `target`. Every entry is called and checked: there is no pending entry.
 */

/** What the pickers test provisioned, which the lists must show. */
export interface PickerWorld {
  resourceGroups: string[];
  /** The resource group of the workspace the lists below are about, and its workspace. */
  resourceGroup: string;
  workspaceName: string;
  /** Another resource group, with a workspace of its own, which the workspace list of the first must not show. */
  otherResourceGroup: string;
  otherWorkspaceName: string;
  computeClusters: string[];
  /** The workspace's environments: the curated ones it lists from the start, and the test's. */
  environments: string[];
  /** Model name → its versions. */
  models: Record<string, string[]>;
  /** The workspace's online endpoints → their deployments; the first has two, the second none. */
  onlineEndpoints: Record<string, string[]>;
  /** The online endpoint of the other workspace, which the endpoint list of the first must not show. */
  otherOnlineEndpointName: string;
}

export interface CatalogueEntry {
  /** What the list shows, in words. */
  name: string;
  binding: Omit<DataSourceBinding, "target">;
  /** The inputs the editor would hold when the list is opened (what the binding depends on). */
  inputs: (world: PickerWorld) => Record<string, string>;
  /** The Values the list must show, in any order. */
  expected: (world: PickerWorld) => string[];
}

const ARM = "{{{endpoint.url}}}subscriptions/{{{endpoint.subscriptionId}}}";
const WORKSPACE = `${ARM}/resourceGroups/$(resourceGroup)/providers/Microsoft.MachineLearningServices/workspaces/$(workspaceName)`;
const ML_API = "api-version=2022-10-01";
const BY_NAME = '{ "Value" : "{{{name}}}", "DisplayValue" : "{{{name}}}" }';

/** Paging as in-box tasks write it: the next page's token taken from the response's nextLink. */
const paging = (parameter: "skiptoken" | "skip") => ({
  initialContextTemplate: `{"${parameter}": ""}`,
  callbackContextTemplate: `{"${parameter}": "{{#getTokenValue response.nextLink}}{{extractUrlQueryParameter %24${parameter}}}{{/getTokenValue}}"}`,
  callbackRequiredTemplate: "{{isTokenPresent response.nextLink}}",
});

/** An Azure ML list (api-version 2022-10-01, continuation in `$skip`) of items shown by name. */
const mlList = (path: string, resultSelector = "jsonpath:$.value[*]", resultTemplate = BY_NAME): Omit<DataSourceBinding, "target"> => ({
  endpointId: "$(azureSubscription)",
  endpointUrl: `${path}?$skip={{{skip}}}&${ML_API}`,
  resultSelector,
  resultTemplate,
  ...paging("skip"),
});

const inWorkspace = (world: PickerWorld) => ({ resourceGroup: world.resourceGroup, workspaceName: world.workspaceName });

export const catalogue: Record<string, CatalogueEntry> = {
  resourceGroups: {
    name: "resource groups of the connection's subscription",
    binding: {
      endpointId: "$(azureSubscription)",
      endpointUrl: `${ARM}/resourcegroups?$skiptoken={{{skiptoken}}}&api-version=2024-03-01`,
      resultSelector: "jsonpath:$.value[*]",
      resultTemplate: BY_NAME,
      ...paging("skiptoken"),
    },
    inputs: () => ({}),
    expected: (world) => world.resourceGroups,
  },
  workspaces: {
    name: "Azure ML workspaces of the resource group",
    binding: mlList(`${ARM}/resourceGroups/$(resourceGroup)/providers/Microsoft.MachineLearningServices/workspaces`),
    inputs: (world) => ({ resourceGroup: world.resourceGroup }),
    expected: (world) => [world.workspaceName],
  },
  computeClusters: {
    name: "compute clusters (AmlCompute) of the workspace",
    binding: mlList(`${WORKSPACE}/computes`, "jsonpath:$.value[?(@.properties.computeType == 'AmlCompute')]"),
    inputs: inWorkspace,
    expected: (world) => world.computeClusters,
  },
  environments: {
    name: "environments of the workspace, as references to their latest version",
    binding: mlList(`${WORKSPACE}/environments`, "jsonpath:$.value[*]", '{ "Value" : "azureml:{{{name}}}@latest", "DisplayValue" : "{{{name}}}" }'),
    inputs: inWorkspace,
    expected: (world) => world.environments.map((name) => `azureml:${name}@latest`),
  },
  models: {
    name: "models of the workspace",
    binding: mlList(`${WORKSPACE}/models`),
    inputs: inWorkspace,
    expected: (world) => Object.keys(world.models),
  },
  latestModels: {
    name: "models of the workspace, as references to their latest version",
    binding: mlList(`${WORKSPACE}/models`, "jsonpath:$.value[*]", '{ "Value" : "{{{name}}}@latest", "DisplayValue" : "{{{name}}}" }'),
    inputs: inWorkspace,
    expected: (world) => Object.keys(world.models).map((name) => `${name}@latest`),
  },
  modelVersions: {
    name: "versions of the model named by input modelName",
    binding: mlList(`${WORKSPACE}/models/$(modelName)/versions`),
    inputs: (world) => ({ ...inWorkspace(world), modelName: Object.keys(world.models)[0] }),
    expected: (world) => Object.values(world.models)[0],
  },
  onlineEndpoints: {
    name: "online endpoints of the workspace",
    binding: mlList(`${WORKSPACE}/onlineEndpoints`),
    inputs: inWorkspace,
    expected: (world) => Object.keys(world.onlineEndpoints),
  },
  onlineDeployments: {
    name: "deployments of the online endpoint named by input endpointName",
    binding: mlList(`${WORKSPACE}/onlineEndpoints/$(endpointName)/deployments`),
    inputs: (world) => ({ ...inWorkspace(world), endpointName: Object.keys(world.onlineEndpoints)[0] }),
    expected: (world) => Object.values(world.onlineEndpoints)[0],
  },
};

/** The catalogue entry a task.json binding is (all its fields but the target equal), or undefined. */
export function entryOf(binding: DataSourceBinding): [string, CatalogueEntry] | undefined {
  const rest = Object.fromEntries(Object.entries(binding).filter(([field]) => field !== "target"));
  const same = (a: object, b: object) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  return Object.entries(catalogue).find(([, entry]) => same(entry.binding, rest));
}
