import assert from "node:assert/strict";
import type { ProvisionReport } from "./clients/provisionWorkspace";
import type { OnlineEndpointsReport } from "./clients/onlineEndpoints";
import { LocalAzureFixture, startFixture, stopFixture } from "./support/localAzureFixture";
import { runClient } from "./support/runClient";

/**
 * Online endpoints' control plane on a strict local Azure, driven by `@azure/arm-machinelearning`
 * in a client process: what Azure ML accepts, fills in and refuses, before anything serves.
 */
describe("local Azure: online endpoints (control plane)", function () {
  this.timeout(300000);
  let fixture: LocalAzureFixture | undefined;
  let report: OnlineEndpointsReport;

  before(async () => {
    fixture = await startFixture("online-arm");
    await runClient<ProvisionReport>(fixture.localAzure, "provisionWorkspace", ["online"]);
    await runClient<ProvisionReport>(fixture.localAzure, "provisionWorkspace", ["online2"]);
    report = await runClient<OnlineEndpointsReport>(fixture.localAzure, "onlineEndpoints", ["online", "online2"], 240000);
  });

  after(async () => {
    await stopFixture(fixture);
  });

  it("creates a key endpoint: Succeeded, system-assigned identity, scoring and swagger URIs on the local Azure, no keys in its body", () => {
    const base = `${fixture!.localAzure.connection.armUrl}/inference/westeurope/ep-key`;
    assert.equal(report.created.provisioningState, "Succeeded");
    assert.equal(report.created.scoringUri, `${base}/score`);
    assert.equal(report.created.swaggerUri, `${base}/swagger.json`);
    assert.equal(report.created.identityType, "SystemAssigned");
    assert.equal(report.created.keysInBody, false);
    assert.deepEqual(report.fetched.traffic, {});
    assert.equal(report.fetched.keysInBody, false);
    assert.equal(report.fetched.authMode, "Key");
  });

  it("lists two keys, regenerates one at a time, and takes a given value", () => {
    assert.match(report.keys.primaryKey ?? "", /^[A-Za-z0-9]{32}$/);
    assert.match(report.keys.secondaryKey ?? "", /^[A-Za-z0-9]{32}$/);
    assert.notEqual(report.afterPrimaryRegenerated.primaryKey, report.keys.primaryKey);
    assert.equal(report.afterPrimaryRegenerated.secondaryKey, report.keys.secondaryKey);
    assert.equal(report.afterSecondarySet.primaryKey, report.afterPrimaryRegenerated.primaryKey);
    assert.equal(report.afterSecondarySet.secondaryKey, "given-secondary-key");
  });

  it("issues tokens for AMLToken endpoints only, and keys for key endpoints only", () => {
    assert.equal(report.token.tokenType, "Bearer");
    assert.equal(report.token.hasToken, true);
    assert.ok((report.token.expiryTimeUtc ?? 0) > (report.token.refreshAfterTimeUtc ?? 0));
    assert.equal(report.refusals.tokenOfKeyEndpoint?.statusCode, 400);
    assert.equal(report.refusals.keysOfTokenEndpoint?.statusCode, 400);
  });

  it("refuses traffic at creation, a bad name, traffic to a deployment that does not exist", () => {
    assert.equal(report.refusals.trafficAtCreation?.statusCode, 400);
    assert.match(report.refusals.trafficAtCreation?.message ?? "", /Traffic cannot be set when an endpoint is created/);
    assert.equal(report.refusals.invalidName?.statusCode, 400);
    assert.match(report.refusals.invalidName?.message ?? "", /must begin with a letter/);
    assert.equal(report.refusals.trafficUnknownDeployment?.statusCode, 400);
    assert.match(report.refusals.trafficUnknownDeployment?.message ?? "", /'blue', which does not exist in endpoint 'ep-key'/);
  });

  it("refuses an endpoint name already used in the region, in another resource group, as Azure words it", () => {
    const taken = report.refusals.nameTakenInRegion;
    assert.equal(taken?.statusCode, 400);
    assert.equal(taken?.code, "BadRequest");
    assert.match(taken?.message ?? "", /The request is invalid/);
  });

  it("answers 404 UserError for a missing endpoint or deployment", () => {
    assert.equal(report.refusals.missingEndpoint?.statusCode, 404);
    assert.equal(report.refusals.missingEndpoint?.code, "UserError");
    assert.equal(report.refusals.missingDeployment?.statusCode, 404);
    assert.match(report.refusals.missingDeployment?.message ?? "", /^Deployment blue not found in endpoint ep-key, workspace aml-mlops-online$/);
  });

  it("refuses deployments whose model, code or environment does not exist, or that do not fit the endpoint", () => {
    assert.match(report.refusals.missingModel?.message ?? "", /Model version 'none:1' \(model\) was not found in workspace 'aml-mlops-online'/);
    assert.match(report.refusals.missingCode?.message ?? "", /Code version 'none:1' \(codeId\) was not found/);
    assert.match(report.refusals.missingEnvironment?.message ?? "", /Environment version 'none:1' \(environmentId\) was not found/);
    assert.match(
      report.refusals.kubernetesOnManaged?.message ?? "",
      /A Kubernetes deployment cannot be added to endpoint 'ep-key', which is a Managed endpoint/,
    );
    assert.match(report.refusals.managedWithoutInstanceType?.message ?? "", /instanceType is required/);
    for (const name of ["missingModel", "missingCode", "missingEnvironment", "kubernetesOnManaged", "managedWithoutInstanceType"]) {
      assert.equal(report.refusals[name]?.statusCode, 400, name);
    }
  });

  it("updates tags with PATCH", () => {
    assert.deepEqual(report.patched.tags, { stage: "test" });
    assert.equal(report.patched.provisioningState, "Succeeded");
    assert.equal(report.patched.authMode, "AMLToken");
  });

  it("attaches a Kubernetes compute, keeps its connection strings secret, and puts an endpoint on it", () => {
    const { compute, endpoint } = report.kubernetes;
    assert.deepEqual(compute, {
      computeType: "Kubernetes",
      provisioningState: "Succeeded",
      isAttachedCompute: true,
      namespace: "azureml",
      secretReturned: false,
    });
    assert.match(endpoint.compute ?? "", /\/workspaces\/aml-mlops-online\/computes\/k8s$/);
    assert.equal(endpoint.provisioningState, "Succeeded");
    assert.equal(report.refusals.malformedClusterId?.statusCode, 400);
    assert.match(report.refusals.computeNotKubernetes?.message ?? "", /is not an attached Kubernetes compute of workspace 'aml-mlops-online'/);
    assert.match(
      report.refusals.managedOnKubernetes?.message ?? "",
      /A Managed deployment cannot be added to endpoint 'ep-k8s', which is a Kubernetes endpoint/,
    );
  });

  it("lists the workspace's endpoints and deletes one", () => {
    assert.deepEqual(report.listed, ["ep-k8s", "ep-key", "ep-token"]);
    assert.equal(report.afterDelete?.statusCode, 404);
  });

  it("leaves no violation and no request strict mode could not match", () => {
    assert.deepEqual(fixture!.localAzure.violations(), []);
    const counts = fixture!.localAzure.validationCounts();
    assert.equal(counts.unmatched, 0);
    assert.ok(counts.validated > 50, JSON.stringify(counts));
  });
});
