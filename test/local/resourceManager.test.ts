import assert from "node:assert/strict";
import { LocalAzureFixture, startFixture, stopFixture } from "./support/localAzureFixture";
import { runClient } from "./support/runClient";
import type { ProvisionReport } from "./clients/provisionWorkspace";
import type { RefusalsReport } from "./clients/armRefusals";
import type { Outcome } from "./support/clientOutcome";

function refused(result: Outcome<unknown>, statusCode: number, code: string, message?: RegExp): void {
  assert.equal(result.ok, false, `expected ${statusCode} ${code}, got success`);
  if (result.ok) return;
  assert.equal(result.statusCode, statusCode, result.message);
  assert.equal(result.code, code, result.message);
  if (message) assert.match(result.message, message);
}

describe("local Azure: Resource Manager and Azure ML control plane", function () {
  this.timeout(180000);
  let fixture: LocalAzureFixture | undefined;
  let refusals: Promise<RefusalsReport> | undefined;
  /** One run of the refusals client serves the tests that look at different parts of it. */
  const refusalsReport = () => (refusals ??= runClient<RefusalsReport>(fixture!.localAzure, "armRefusals"));

  before(async () => {
    fixture = await startFixture("arm");
  });

  after(async () => {
    const violations = fixture?.localAzure.violations() ?? [];
    await stopFixture(fixture);
    assert.deepEqual(violations, [], "the emulator's responses must all match the swagger");
  });

  it("provisions what AzureMLWorkspace needs with the real SDK clients, and a second run changes nothing", async () => {
    const first = await runClient<ProvisionReport>(fixture!.localAzure, "provisionWorkspace", ["dev"]);
    assert.deepEqual(first.nameChecks, { storage: true, vault: true, registry: true });
    for (const [resource, state] of Object.entries(first.states)) assert.equal(state, "Succeeded", resource);
    assert.equal(first.resourceGroup.provisioningState, "Succeeded");
    assert.equal(first.workspace.storageAccount, first.ids.storage);
    assert.match(first.workspace.discoveryUrl ?? "", /^https:\/\/localhost:\d+\/azureml\/westeurope\/discovery$/);
    assert.deepEqual(first.datastores, ["workspaceartifactstore", "workspaceblobstore"]);
    assert.deepEqual(first.existence, { resourceGroup: true, logsById: true, missingById: false });
    assert.match(first.defaultDatastore.url, /^https:\/\/samlopsdev\.blob\.localhost:\d+$/);
    assert.match(first.defaultDatastore.container, /^azureml-blobstore-[0-9a-f-]{36}$/);
    assert.deepEqual(first.defaultDatastore.blobs, ["LocalUpload/dev/train.py"]);
    assert.ok(first.workspaceKeys.includes("userStorageKey"));
    assert.deepEqual(first.compute, { allocationState: "Steady", maxNodeCount: 2 });

    const requestsBefore = fixture!.localAzure.requests().length;
    const second = await runClient<ProvisionReport>(fixture!.localAzure, "provisionWorkspace", ["dev"]);
    assert.deepEqual(second.ids, first.ids, "the same resources, not new ones");
    assert.deepEqual(second.nameChecks, { storage: false, vault: false, registry: false }, "the names are now taken (by us)");
    for (const [resource, state] of Object.entries(second.states)) assert.equal(state, "Succeeded", resource);
    assert.ok(fixture!.localAzure.requests().length > requestsBefore);
  });

  it("answers ARM's errors: 400, 403, 404 and 409 with ARM's codes and messages", async () => {
    const report = await refusalsReport();
    const { sdk, raw, scopedPrincipal, nameChecksAfterCreate } = report;

    refused(sdk.missingResourceGroup, 404, "ResourceGroupNotFound", /^Resource group 'rg-missing' could not be found\.$/);
    refused(
      sdk.missingResource,
      404,
      "ResourceNotFound",
      /^The Resource 'Microsoft\.Storage\/storageAccounts\/sanothere' under resource group '.+' was not found\./,
    );
    refused(sdk.missingCompute, 404, "ResourceNotFound");
    refused(sdk.storageNameTaken, 409, "StorageAccountAlreadyTaken", /^The storage account named sascoped is already taken\.$/);
    refused(sdk.vaultNameTaken, 409, "VaultAlreadyExists");
    refused(sdk.registryNameTaken, 409, "AlreadyInUse");
    refused(sdk.unknownLocation, 400, "LocationNotAvailableForResourceGroup");
    refused(sdk.workspaceWithMissingStorage, 400, "BadRequest", /storageAccount/);
    refused(sdk.unsupportedVmSize, 400, "BadArgument", /STANDARD_NOPE/);

    assert.deepEqual(nameChecksAfterCreate.storage, {
      nameAvailable: false,
      reason: "AlreadyExists",
      message: "The storage account named sascoped is already taken.",
    });
    assert.equal(nameChecksAfterCreate.storageInvalid.reason, "AccountNameInvalid");
    assert.equal(nameChecksAfterCreate.vault.nameAvailable, false);
    assert.equal(nameChecksAfterCreate.registry.nameAvailable, false);

    assert.equal(raw.unsupportedProviderApiVersion.status, 400);
    assert.equal(raw.unsupportedProviderApiVersion.code, "NoRegisteredProviderFound");
    assert.match(
      raw.unsupportedProviderApiVersion.message ?? "",
      /API version '2099-01-01' for type 'storageAccounts'\. The supported api-versions are '2023-05-01'/,
    );
    assert.equal(raw.unsupportedResourceGroupApiVersion.code, "InvalidApiVersionParameter");
    assert.equal(raw.missingApiVersion.code, "MissingApiVersionParameter");
    assert.equal(raw.unknownResourceType.code, "InvalidResourceType");
    assert.equal(raw.unknownNamespace.code, "InvalidResourceNamespace");
    assert.equal(raw.otherSubscription.status, 404);
    assert.equal(raw.otherSubscription.code, "SubscriptionNotFound");
    for (const answer of Object.values(raw)) {
      assert.match(answer.requestId ?? "", /^[0-9a-f-]{36}$/);
      assert.match(answer.correlationId ?? "", /^[0-9a-f-]{36}$/);
    }

    const scopedClientId = fixture!.localAzure.connection.servicePrincipals.find((sp) => sp.name === "workspace-scoped")?.clientId ?? "";
    refused(
      scopedPrincipal.createResourceGroup,
      403,
      "AuthorizationFailed",
      new RegExp(
        `^The client '${scopedClientId}' with object id '[0-9a-f-]{36}' does not have authorization to perform action 'Microsoft\\.Resources/subscriptions/resourceGroups/write' over scope '/subscriptions/[0-9a-f-]{36}/resourcegroups/rg-new' or the scope is invalid\\. If access was recently granted, please refresh your credentials\\.$`,
        "i",
      ),
    );
    refused(scopedPrincipal.readOwnResourceGroup, 403, "AuthorizationFailed");
    refused(scopedPrincipal.readOtherStorage, 403, "AuthorizationFailed");
    assert.deepEqual(scopedPrincipal.readOwnWorkspace, { ok: true, value: "Succeeded" });
    assert.deepEqual(scopedPrincipal.createComputeInOwnWorkspace, { ok: true, value: "Succeeded" });
    assert.deepEqual(scopedPrincipal.listDatastoreSecretsInOwnWorkspace, { ok: true, value: ["secretsType", "key"] });
    assert.deepEqual(scopedPrincipal.listResourceGroups, { ok: true, value: [] }, "ARM lists only what the caller may read");
  });

  it("refuses, in strict mode, a request the swagger refuses, naming the property", async () => {
    const report = await refusalsReport();
    const noSku = report.raw.bodyWithoutSku;
    assert.equal(noSku.status, 400);
    assert.equal(noSku.code, "InvalidRequestContent");
    assert.match(noSku.message ?? "", /StorageAccounts_Create.*Missing required property: sku/);
    assert.deepEqual(
      noSku.details?.map((detail) => [detail.code, detail.target]),
      [["OBJECT_MISSING_REQUIRED_PROPERTY", "/sku"]],
    );
    const noMaximum = report.raw.computeWithoutScaleMaximum;
    assert.equal(noMaximum.status, 400);
    assert.match(noMaximum.message ?? "", /Compute_CreateOrUpdate.*maxNodeCount/);
  });
});
