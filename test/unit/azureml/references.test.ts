import * as assert from "node:assert/strict";
import * as path from "node:path";
import { parseReference, ReferenceSyntaxError } from "../../../tasks/common/src/azureml/references";

const folder = path.resolve("/work/jobs/train");
const armPrefix = "/subscriptions/0000/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/ws";

describe("parseReference: every form of NOTES §1", () => {
  const cases: { text: string; expected: Record<string, unknown> }[] = [
    { text: "azureml:sklearn-env:3", expected: { kind: "assetVersion", name: "sklearn-env", version: "3" } },
    { text: "azureml:AzureML-lightgbm-3.3@latest", expected: { kind: "assetLabel", name: "AzureML-lightgbm-3.3", label: "latest" } },
    { text: "azureml:cpu-cluster", expected: { kind: "resource", name: "cpu-cluster" } },
    {
      text: `azureml:${armPrefix}/environments/my-env/versions/2`,
      expected: {
        kind: "armId",
        collection: "environments",
        name: "my-env",
        version: "2",
        scope: { subscription: "0000", resourceGroup: "rg-ml", workspace: "ws" },
      },
    },
    { text: `azureml:${armPrefix}/computes/gpu`, expected: { kind: "armId", collection: "computes", name: "gpu", version: undefined } },
    {
      text: "azureml://datastores/workspaceblobstore/paths/example-data/iris.csv",
      expected: { kind: "datastorePath", datastore: "workspaceblobstore", path: "example-data/iris.csv", scope: undefined },
    },
    { text: "azureml://datastores/workspaceblobstore/paths/example-data/", expected: { kind: "datastorePath", path: "example-data/" } },
    {
      text: "azureml://subscriptions/0000/resourcegroups/rg-ml/workspaces/ws/datastores/store/paths/a/b",
      expected: { kind: "datastorePath", datastore: "store", path: "a/b", scope: { subscription: "0000", resourceGroup: "rg-ml", workspace: "ws" } },
    },
    { text: "azureml://jobs/job-1/outputs/model_dir/paths/model/", expected: { kind: "jobOutput", job: "job-1", output: "model_dir", path: "model/" } },
    { text: "azureml://jobs/job-1/outputs/artifacts/paths/outputs/model.pkl", expected: { kind: "jobOutput", output: "artifacts", path: "outputs/model.pkl" } },
    {
      text: "azureml://registries/azureml/environments/sklearn-1.5/labels/latest",
      expected: { kind: "registryAsset", registry: "azureml", collection: "environments", name: "sklearn-1.5", label: "latest", version: undefined },
    },
    {
      text: "azureml://registries/shared/models/diabetes/versions/4",
      expected: { kind: "registryAsset", registry: "shared", collection: "models", name: "diabetes", version: "4" },
    },
    { text: "runs:/0f1e2d3c/model", expected: { kind: "mlflowRun", runId: "0f1e2d3c", path: "model" } },
    { text: "https://azuremlexamples.blob.core.windows.net/datasets/iris.csv", expected: { kind: "storageUrl", scheme: "https" } },
    { text: "http://example.org/data.csv", expected: { kind: "storageUrl", scheme: "http" } },
    { text: "wasbs://datasets@azuremlexamples.blob.core.windows.net/iris.csv", expected: { kind: "storageUrl", scheme: "wasbs" } },
    { text: "abfss://fs@account.dfs.core.windows.net/folder/", expected: { kind: "storageUrl", scheme: "abfss" } },
    { text: "adl://store.azuredatalakestore.net/data", expected: { kind: "storageUrl", scheme: "adl" } },
    { text: "src", expected: { kind: "localPath", path: path.join(folder, "src") } },
    { text: "./data/iris.csv", expected: { kind: "localPath", path: path.join(folder, "data", "iris.csv") } },
    { text: "../common/code", expected: { kind: "localPath", path: path.resolve(folder, "..", "common", "code") } },
    { text: "/abs/model", expected: { kind: "localPath", path: path.resolve("/abs/model") } },
    { text: "file:./model", expected: { kind: "localPath", path: path.join(folder, "model") } },
    { text: "weird:name.csv", expected: { kind: "localPath", path: path.join(folder, "weird:name.csv") } },
  ];
  for (const { text, expected } of cases) {
    it(`reads ${text}`, () => {
      const reference = parseReference(text, folder) as unknown as Record<string, unknown>;
      assert.equal(reference.text, text);
      for (const [key, value] of Object.entries(expected)) assert.deepEqual(reference[key], value, key);
    });
  }

  it("resolves a local path against the YAML file's folder, not the working directory", () => {
    const reference = parseReference("src", "/elsewhere/jobs");
    assert.equal(reference.kind === "localPath" && reference.path, path.resolve("/elsewhere/jobs/src"));
  });
});

describe("parseReference: malformed references are refused with the reason", () => {
  const malformed: { text: string; reason: RegExp }[] = [
    { text: "", reason: /is empty/ },
    { text: " azureml:x:1", reason: /spaces/ },
    { text: "azureml:", reason: /has no name/ },
    { text: "azureml:env:", reason: /no version after the name/ },
    { text: "azureml:env:1:2", reason: /more than one ':'/ },
    { text: "azureml:env@", reason: /no label after '@'/ },
    { text: "azureml:@latest", reason: /no name before '@'/ },
    { text: "azureml:bad name:1", reason: /invalid name/ },
    { text: "azureml:/subscriptions/x/oops", reason: /not a workspace resource id/ },
    { text: "azureml://datastores/store", reason: /no '\/paths\/<path>'/ },
    { text: "azureml://datastores/store/paths/", reason: /no '\/paths\/<path>'/ },
    { text: "azureml://datastores//paths/x", reason: /no datastore name/ },
    { text: "azureml://jobs/j/model/paths/x", reason: /no '\/outputs\/<output>'/ },
    { text: "azureml://jobs/j/outputs/o", reason: /no '\/paths\/<path>'/ },
    { text: "azureml://registries/azureml/widgets/x/versions/1", reason: /names no asset kind/ },
    { text: "azureml://registries/azureml/environments/x", reason: /does not end in \/versions/ },
    { text: "azureml://registries/azureml/environments/x/tags/latest", reason: /does not end in \/versions/ },
    { text: "azureml://computes/cpu", reason: /not an azureml:\/\/ form/ },
    { text: "runs:/only-run-id", reason: /runs:\/<run-id>\/<path>/ },
    { text: "https://", reason: /not a valid https URL/ },
    { text: "s3://bucket/key", reason: /scheme 's3'/ },
  ];
  for (const { text, reason } of malformed) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      assert.throws(
        () => parseReference(text, folder),
        (error: unknown) => error instanceof ReferenceSyntaxError && reason.test(error.message),
      );
    });
  }
});
