import * as assert from "node:assert/strict";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { jobArtifactsPath, joinDatastorePath, parseDatastoreUri } from "../../../tasks/common/src/jobs/datastorePaths";

describe("datastore paths of job outputs", () => {
  it("reads the short, the long and the paths-less forms", () => {
    assert.deepEqual(parseDatastoreUri("azureml://datastores/workspaceblobstore/paths/azureml/job-1/model/"), {
      datastore: "workspaceblobstore",
      path: "azureml/job-1/model",
    });
    assert.deepEqual(parseDatastoreUri("azureml://subscriptions/s/resourcegroups/rg/workspaces/w/datastores/ds/paths/a/b.json"), {
      datastore: "ds",
      path: "a/b.json",
    });
    assert.deepEqual(parseDatastoreUri("azureml://datastores/workspaceartifactstore/ExperimentRun/dcid.job-1"), jobArtifactsPath("job-1"));
  });

  it("refuses what is not a datastore URI, and paths that climb", () => {
    for (const uri of ["https://x/y", "azureml://jobs/j/outputs/o", "azureml://datastores//paths/x", "azureml://datastores/ds/paths/a/../../b"]) {
      assert.throws(() => parseDatastoreUri(uri), InputError, uri);
    }
    assert.throws(() => joinDatastorePath(jobArtifactsPath("j"), "outputs/../../other"), InputError);
  });

  it("joins a relative path under a folder", () => {
    assert.deepEqual(joinDatastorePath(jobArtifactsPath("j"), "./outputs//metrics.json"), {
      datastore: "workspaceartifactstore",
      path: "ExperimentRun/dcid.j/outputs/metrics.json",
    });
  });
});
