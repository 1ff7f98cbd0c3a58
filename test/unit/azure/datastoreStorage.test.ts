import type { AzureBlobDatastore, Datastore } from "@azure/arm-machinelearning";
import { AnonymousCredential, StorageSharedKeyCredential } from "@azure/storage-blob";
import * as assert from "node:assert/strict";
import { blobAccountUrl, blobDatastoreLocation, datastoreContainerClient } from "../../../tasks/common/src/azure/clients/datastoreStorage";
import { captureTaskLibOutput, maskedValues, silenceTaskLib } from "../../support/taskLibEnvironment";
import { ConnectProxy } from "../../support/connectProxy";
import { DataPlaneTestBed, PROXIED_STORAGE_SUFFIX } from "./dataPlaneTestBed";

function blobDatastore(properties: Partial<AzureBlobDatastore>): Datastore {
  const blob: AzureBlobDatastore = {
    datastoreType: "AzureBlob",
    credentials: { credentialsType: "AccountKey" },
    accountName: "saml01",
    containerName: "azureml-blobstore-1",
    ...properties,
  };
  return { name: "workspaceblobstore", properties: blob };
}

describe("datastore storage", function () {
  this.timeout(20_000);
  let bed: DataPlaneTestBed;
  let unsilence: () => void;
  before(async () => {
    unsilence = silenceTaskLib();
    bed = await DataPlaneTestBed.start();
  });
  after(async () => {
    await bed.stop();
    unsilence();
  });

  it("finds the container from the datastore's account, endpoint suffix and protocol", () => {
    assert.equal(
      blobAccountUrl(blobDatastoreLocation(blobDatastore({ endpoint: "core.chinacloudapi.cn", protocol: "https" }))),
      "https://saml01.blob.core.chinacloudapi.cn",
    );
    assert.equal(blobAccountUrl(blobDatastoreLocation(blobDatastore({ endpoint: "localhost:10000", protocol: "http" }))), "http://saml01.blob.localhost:10000");
    assert.equal(
      blobAccountUrl(blobDatastoreLocation(blobDatastore({}))),
      "https://saml01.blob.core.windows.net",
      "public cloud and https unless the datastore says",
    );
  });

  it("refuses a datastore that is not a blob container, in one sentence", () => {
    const lake = { name: "lake", properties: { datastoreType: "AzureDataLakeGen1", storeName: "x", credentials: { credentialsType: "None" } } } as Datastore;
    assert.throws(() => blobDatastoreLocation(lake), {
      name: "InputError",
      message: "Datastore 'lake' is of type AzureDataLakeGen1; these tasks upload to Azure Blob datastores only.",
    });
    assert.throws(() => blobDatastoreLocation(blobDatastore({ accountName: "" })), {
      name: "InputError",
      message: "Datastore 'workspaceblobstore' names no storage account or container.",
    });
  });

  it("signs with the account key from listSecrets, masked before use", async () => {
    const key = Buffer.from("account-key-for-the-test-0123456789").toString("base64");
    const location = blobDatastoreLocation(blobDatastore({ endpoint: "core.windows.net", protocol: "https" }));
    const { result: container, output } = await captureTaskLibOutput(() =>
      datastoreContainerClient(bed.session(), location, { secretsType: "AccountKey", key }),
    );

    assert.ok(maskedValues(output).includes(key));
    assert.equal(container.url, "https://saml01.blob.core.windows.net/azureml-blobstore-1");
    assert.ok(container.credential instanceof StorageSharedKeyCredential);
    assert.equal(container.accountName, "saml01");
  });

  it("signs with a SAS token, masked, and sends no credential of its own", async () => {
    const sasToken = "?sv=2021-08-06&sp=racwl&se=2030-01-01&sig=c2FzLXNpZ25hdHVyZQ%3D%3D";
    const location = blobDatastoreLocation(blobDatastore({}));
    const { result: container, output } = await captureTaskLibOutput(() => datastoreContainerClient(bed.session(), location, { secretsType: "Sas", sasToken }));

    assert.ok(maskedValues(output).includes(sasToken.slice(1)));
    assert.ok(maskedValues(output).includes("c2FzLXNpZ25hdHVyZQ=="), "the signature alone, decoded, is masked too");
    assert.ok(container.credential instanceof AnonymousCredential);
    assert.equal(new URL(container.url).searchParams.get("sig"), "c2FzLXNpZ25hdHVyZQ==");
  });

  it("uses the session's storage token for a datastore without secrets, through the agent's proxy and CA", async () => {
    const proxy = await ConnectProxy.start({ forwardToPort: bed.server.port });
    try {
      bed.server.route("GET", /^\/azureml-blobstore-1$/, () => ({ status: 200, headers: { "x-ms-version": "2025-01-05", etag: '"0x1"' } }));
      const location = {
        name: "identity-store",
        accountName: "saml01",
        containerName: "azureml-blobstore-1",
        endpoint: PROXIED_STORAGE_SUFFIX,
        protocol: "https",
      };
      const session = bed.session({ ca: bed.ca.certificatePem, proxy: { url: proxy.url, bypass: [] } });
      const container = datastoreContainerClient(session, location);

      await container.getProperties();

      const request = bed.server.requestsTo(/^\/azureml-blobstore-1$/).at(-1);
      assert.match(request?.headers.authorization ?? "", /^Bearer token-\d+$/);
      assert.equal(request?.headers.host, `saml01.blob.${PROXIED_STORAGE_SUFFIX}`);
      assert.equal(proxy.tunnels.at(-1)?.target, `saml01.blob.${PROXIED_STORAGE_SUFFIX}:443`);
      assert.ok(bed.credential.scopes.includes("https://storage.azure.com//.default"), bed.credential.scopes.join(", "));
    } finally {
      await proxy.stop();
    }
  });
});
