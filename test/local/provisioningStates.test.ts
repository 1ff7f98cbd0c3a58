import assert from "node:assert/strict";
import { LocalAzureFixture, startFixture, stopFixture } from "./support/localAzureFixture";
import { runClient } from "./support/runClient";
import type { ProvisioningStatesReport } from "./clients/provisioningStates";

describe("local Azure: provisioning states of resources mid-operation or Failed", function () {
  this.timeout(120_000);
  let fixture: LocalAzureFixture | undefined;

  before(async () => {
    // Operations long enough for a client to see them running, even on a busy machine.
    fixture = await startFixture("states", { provisioningSeconds: 4 });
  });

  after(async () => {
    const violations = fixture?.localAzure.violations() ?? [];
    await stopFixture(fixture);
    assert.deepEqual(violations, [], "the emulator's responses must all match the swagger");
  });

  it("shows the running operation, refuses a second change with 409 AnotherOperationInProgress, and repairs a Failed resource on the next PUT", async () => {
    const localAzure = fixture!.localAzure;
    localAzure.setFaults({ rules: [{ kind: "failOperation", operationId: "Workspaces_CreateOrUpdate", pathContains: "/workspaces/la-failed", times: 1 }] });
    const report = await runClient<ProvisioningStatesReport>(localAzure, "provisioningStates");
    const { logAnalytics, registry, failed } = report;

    assert.deepEqual([logAnalytics.firstPut.status, logAnalytics.firstPut.provisioningState], [201, "Creating"]);
    assert.equal(logAnalytics.getWhileCreating.provisioningState, "Creating");
    assert.equal(logAnalytics.putWhileCreating.status, 409);
    assert.equal(logAnalytics.putWhileCreating.code, "AnotherOperationInProgress");
    assert.match(
      logAnalytics.putWhileCreating.message ?? "",
      /^Another operation on this or dependent resource is in progress\. To retrieve status of the operation use uri: https:\/\/\S+\/providers\/Microsoft\.OperationalInsights\/locations\/westeurope\/operationStatuses\/[0-9a-f-]{36}\?api-version=2022-10-01$/,
    );
    assert.equal(logAnalytics.runningOperation.status_, "InProgress", "the URI in the message is the running operation's status");
    assert.equal(logAnalytics.settled, "Succeeded");
    assert.equal(logAnalytics.putAfterwards.status, 200, "once the operation ended, the same PUT is accepted");

    assert.deepEqual([registry.firstPut.status, registry.firstPut.provisioningState], [201, "Creating"]);
    assert.deepEqual([registry.putWhileCreating.status, registry.putWhileCreating.code], [409, "AnotherOperationInProgress"]);

    assert.equal(failed.firstPut.status, 201);
    assert.equal(failed.settled, "Failed", "a fault that fails the operation leaves the resource Failed");
    assert.equal(failed.repairPut.status, 200);
    assert.equal(failed.repairPut.provisioningState, "Updating");
    assert.equal(failed.repaired, "Succeeded", "a PUT on a Failed resource provisions it again");
  });
});
