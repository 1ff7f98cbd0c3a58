import * as assert from "node:assert/strict";
import { nextVersion, sameContent } from "../../../tasks/AzureMLRegisterModel/src/registration/nextVersion";

const versions = (...names: string[]) => names.map((version) => ({ version, tags: {}, properties: {} }));

describe("nextVersion", () => {
  it("is 1 for a model's first version", () => {
    assert.equal(nextVersion([]), "1");
  });

  it("is one more than the highest numeric version, compared as numbers, archived ones included", () => {
    assert.equal(nextVersion(versions("1", "9", "10")), "11");
    assert.equal(nextVersion([{ version: "4", tags: {}, properties: {}, isArchived: true }, ...versions("2")]), "5");
  });

  it("leaves out versions that are not numbers", () => {
    assert.equal(nextVersion(versions("v2", "1.5", "3")), "4");
    assert.equal(nextVersion(versions("candidate")), "1");
  });

  it("does not lose precision past JavaScript's safe integers", () => {
    assert.equal(nextVersion(versions("9007199254740993")), "9007199254740994");
  });
});

describe("sameContent", () => {
  it("matches the same files of the same type, with or without a trailing slash", () => {
    assert.ok(sameContent({ modelUri: "azureml://jobs/j/outputs/model/", modelType: "custom_model" }, "azureml://jobs/j/outputs/model", "custom_model"));
    assert.ok(sameContent({ modelUri: "azureml://jobs/j/outputs/model" }, "azureml://jobs/j/outputs/model", "custom_model"), "no type is custom");
  });

  it("tells other files or another type apart", () => {
    assert.ok(!sameContent({ modelUri: "azureml://jobs/j/outputs/model", modelType: "custom_model" }, "azureml://jobs/k/outputs/model", "custom_model"));
    assert.ok(!sameContent({ modelUri: "azureml://jobs/j/outputs/model", modelType: "custom_model" }, "azureml://jobs/j/outputs/model", "mlflow_model"));
    assert.ok(!sameContent({}, "azureml://jobs/j/outputs/model", "custom_model"));
  });
});
