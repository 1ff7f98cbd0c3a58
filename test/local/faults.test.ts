import assert from "node:assert/strict";
import { LocalAzureFixture, startFixture, stopFixture } from "./support/localAzureFixture";
import { runClient } from "./support/runClient";
import type { ProvisionReport } from "./clients/provisionWorkspace";
import type { LongRunningFaultsReport } from "./clients/longRunningFaults";
import type { IdentityFlavoursReport } from "./clients/identityFlavours";

describe("local Azure: fault injection", function () {
  this.timeout(240000);
  let fixture: LocalAzureFixture | undefined;

  before(async () => {
    fixture = await startFixture("faults");
  });

  afterEach(() => fixture?.localAzure.setFaults(undefined));

  after(async () => {
    const violations = fixture?.localAzure.violations() ?? [];
    await stopFixture(fixture);
    assert.deepEqual(violations, [], "the emulator's responses must all match the swagger");
  });

  it("with 20% of ARM calls throttled, failing or dropped, the SDKs' retries still provision everything", async () => {
    const localAzure = fixture!.localAzure;
    localAzure.clearRequests();
    localAzure.setFaults({
      seed: 20261125,
      rules: [
        { kind: "throttle", rate: 0.08, retryAfterSeconds: 1 },
        { kind: "internalError", rate: 0.05 },
        { kind: "serviceUnavailable", rate: 0.04, retryAfterSeconds: 1 },
        { kind: "dropConnection", rate: 0.03 },
      ],
    });
    const report = await runClient<ProvisionReport>(localAzure, "provisionWorkspace", ["flaky"]);
    for (const [resource, state] of Object.entries(report.states)) assert.equal(state, "Succeeded", resource);
    assert.deepEqual(report.defaultDatastore.blobs, ["LocalUpload/flaky/train.py"]);
    const faulted = localAzure.requests().filter((entry) => entry.target === "arm" && entry.fault);
    const kinds = new Set(faulted.map((entry) => entry.fault));
    assert.ok(faulted.length >= 5, `expected several injected faults, saw ${faulted.length}`);
    assert.ok(kinds.has("throttle") && kinds.has("internalError"), `kinds injected: ${[...kinds].join(", ")}`);
    const throttled = faulted.find((entry) => entry.fault === "throttle");
    assert.equal(throttled?.status, 429);
  });

  it("with Entra and Azure DevOps failing a third of their token requests, credentials still sign in", async () => {
    const localAzure = fixture!.localAzure;
    localAzure.clearRequests();
    localAzure.setFaults({
      seed: 7,
      rules: [
        { kind: "serviceUnavailable", target: "identity", operationId: "Entra_GetToken", rate: 0.3, retryAfterSeconds: 1 },
        { kind: "internalError", target: "identity", operationId: "DevOps_GetOidcToken", rate: 0.3 },
      ],
    });
    const report = await runClient<IdentityFlavoursReport>(localAzure, "identityFlavours");
    for (const flavour of ["clientSecret", "clientCertificate", "workloadIdentityFederation"]) {
      assert.ok(report.flavours[flavour].ok, `${flavour}: ${JSON.stringify(report.flavours[flavour])}`);
    }
    const faulted = localAzure.requests().filter((entry) => entry.target === "identity" && entry.fault);
    assert.ok(faulted.length > 0, "some token requests were refused");
  });

  it("fails a long-running operation on request, slows another, and loses an answer after acting", async () => {
    const localAzure = fixture!.localAzure;
    localAzure.setFaults({
      rules: [
        { kind: "dropConnection", operationId: "ResourceGroups_CreateOrUpdate", afterProcessing: true, times: 1 },
        { kind: "failOperation", operationId: "Registries_Create", times: 1 },
        { kind: "slowOperation", operationId: "StorageAccounts_Create", extraSeconds: 3, times: 1 },
      ],
    });
    const report = await runClient<LongRunningFaultsReport>(localAzure, "longRunningFaults");
    assert.deepEqual(report.groupAfterLostAnswer, { ok: true, value: "Succeeded" }, "the retried PUT finds the group it made");
    assert.equal(report.failedCreate.ok, false);
    if (!report.failedCreate.ok) assert.match(report.failedCreate.message, /internal execution error/i);
    assert.equal(report.stateAfterFailure, "Failed");
    assert.deepEqual(report.retriedCreate, { ok: true, value: "Succeeded" }, "a PUT again repairs a failed resource");
    assert.deepEqual(report.slowCreate, { ok: true, value: "Succeeded" });
    assert.ok(report.slowCreateSeconds >= 3.5, `the slowed create took ${report.slowCreateSeconds}s`);
  });
});
