import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AzureModelRegistry } from "../../../tasks/AzureMLRegisterModel/src/registry/azureModelRegistry";
import { snapshotPath } from "../../../tasks/common/src/upload/folderSnapshot";
import { ConnectProxy } from "../../support/connectProxy";
import { silenceTaskLib } from "../../support/taskLibEnvironment";
import { DataPlaneTestBed, PROXIED_STORAGE_SUFFIX, RESOURCE_GROUP, SUBSCRIPTION, WORKSPACE, WORKSPACE_PATH } from "../azure/dataPlaneTestBed";

/*
 * Where the registry reads a job's metrics file and puts a local model: blob paths in the
 * workspace's datastores, as Azure ML lays them out (the artifact store's ExperimentRun/dcid.<job>,
 * the default datastore's LocalUpload/<hash>/<name>). Storage is reached through a proxy that
 * sends every host to the test server.
 */

const identityDatastore = (name: string, container: string, isDefault: boolean) => ({
  id: `${WORKSPACE_PATH}/datastores/${name}`,
  name,
  properties: {
    datastoreType: "AzureBlob",
    isDefault,
    credentials: { credentialsType: "None" },
    accountName: "saml01",
    containerName: container,
    endpoint: PROXIED_STORAGE_SUFFIX,
    protocol: "https",
  },
});

const blobHeaders = { "x-ms-version": "2025-01-05", etag: '"0x1"', "last-modified": "Thu, 01 Jan 2026 00:00:00 GMT" };

describe("AzureModelRegistry (job artifacts and local uploads on the workspace's datastores)", function () {
  this.timeout(20_000);
  let bed: DataPlaneTestBed;
  let proxy: ConnectProxy;
  let unsilence: () => void;
  let folder: string;
  const workspace = { subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP, name: WORKSPACE };
  const metrics = JSON.stringify({ rmse: 3.5 });

  before(async () => {
    unsilence = silenceTaskLib();
    bed = await DataPlaneTestBed.start();
    proxy = await ConnectProxy.start({ forwardToPort: bed.server.port });
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "register-files-"));
    bed.server.route("GET", new RegExp(`^${WORKSPACE_PATH}/datastores/workspaceartifactstore$`), () => ({
      status: 200,
      body: identityDatastore("workspaceartifactstore", "azureml", false),
    }));
    bed.server.route("GET", new RegExp(`^${WORKSPACE_PATH}/datastores$`), () => ({
      status: 200,
      body: { value: [identityDatastore("workspaceblobstore", "azureml-blobstore-1", true)] },
    }));
    const metricsBlob = /^\/azureml\/ExperimentRun\/dcid\.job-1\/outputs\/metrics\.json$/;
    bed.server.route("HEAD", metricsBlob, () => ({ status: 200, headers: { ...blobHeaders, "content-length": String(metrics.length) } }));
    bed.server.route("GET", metricsBlob, () => ({ status: 200, headers: { ...blobHeaders, "content-length": String(metrics.length) }, body: metrics }));
    bed.server.route("HEAD", /^\/azureml\//, () => ({ status: 404, headers: { "x-ms-error-code": "BlobNotFound" } }));
    bed.server.route("HEAD", /^\/azureml-blobstore-1\//, () => ({ status: 404, headers: { "x-ms-error-code": "BlobNotFound" } }));
    // Set Blob Metadata answers 200, Put Blob 201.
    bed.server.route("PUT", /^\/azureml-blobstore-1\//, (request) => ({
      status: request.url.searchParams.get("comp") === "metadata" ? 200 : 201,
      headers: blobHeaders,
    }));
  });
  after(async () => {
    await proxy.stop();
    await bed.stop();
    fs.rmSync(folder, { recursive: true, force: true });
    unsilence();
  });

  function registry(): AzureModelRegistry {
    return new AzureModelRegistry(bed.session({ ca: bed.ca.certificatePem, proxy: { url: proxy.url, bypass: [] } }), workspace);
  }

  it("reads the metrics file from the job's artifact store, ExperimentRun/dcid.<job>", async () => {
    const content = await registry().readJobArtifact("job-1", "outputs/metrics.json", 1024);
    assert.equal(Buffer.from(content ?? []).toString("utf8"), metrics);
  });

  it("reads a metrics file the job did not write as absent", async () => {
    assert.equal(await registry().readJobArtifact("job-2", "outputs/metrics.json", 1024), undefined);
  });

  it("uploads a local model to LocalUpload/<hash>/<name> in the default datastore and gives its azureml://datastores URI", async () => {
    const file = path.join(folder, "model.pkl");
    fs.writeFileSync(file, "weights");
    const { hash } = await snapshotPath(file);

    const uploaded = await registry().uploadLocal(file, "churn");

    assert.equal(uploaded.uri, `azureml://datastores/workspaceblobstore/paths/LocalUpload/${hash}/model.pkl`);
    assert.match(uploaded.line, /^Model files uploaded: 1 file\(s\), .* to LocalUpload\/[0-9a-f]{32}\/model\.pkl in datastore 'workspaceblobstore'\.$/);
    const put = bed.server.requestsTo(new RegExp(`^/azureml-blobstore-1/LocalUpload/${hash}/model\\.pkl$`)).find((request) => request.method === "PUT");
    assert.equal(put?.body, "weights");
    const mark = bed.server.requestsTo(/^\/azureml-blobstore-1\/LocalUpload\//).find((request) => request.url.searchParams.get("comp") === "metadata");
    assert.equal(mark?.headers["x-ms-meta-upload_status"], "completed", "the upload is marked complete, so a rerun reuses it");
    assert.equal(mark?.headers["x-ms-meta-name"], "churn");
  });
});
