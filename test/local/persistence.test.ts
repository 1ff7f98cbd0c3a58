import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { LocalAzureFixture, startFixture, stopFixture, temporaryStateDir } from "./support/localAzureFixture";
import { runClient } from "./support/runClient";
import type { PersistenceReport } from "./clients/persistence";

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("local Azure: state across restarts", function () {
  this.timeout(120000);
  const stateDir = temporaryStateDir("persistence");
  let fixture: LocalAzureFixture | undefined;

  after(async () => {
    await stopFixture(fixture, false);
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("keeps identities, resources, blobs and running operations in --state-dir", async () => {
    fixture = await startFixture("persistence", { stateDir, provisioningSeconds: 3 });
    const before = fixture.localAzure.connection;
    const written = await runClient<PersistenceReport>(fixture.localAzure, "persistence", ["write"]);
    assert.equal(written.pendingAccountState, "Creating");
    assert.deepEqual(fixture.localAzure.violations(), []);
    await stopFixture(fixture, false);
    fixture = undefined;

    fixture = await startFixture("persistence", { stateDir, provisioningSeconds: 3 });
    const after = fixture.localAzure.connection;
    assert.equal(after.tenantId, before.tenantId);
    assert.equal(after.subscriptionId, before.subscriptionId);
    assert.deepEqual(after.servicePrincipals, before.servicePrincipals);
    assert.equal(after.caCertPath, before.caCertPath);

    const localAzure = fixture.localAzure;
    await waitFor(async () => (await runClient<PersistenceReport>(localAzure, "persistence", ["read"])).pendingAccountState === "Succeeded", 30000);
    const read = await runClient<PersistenceReport>(localAzure, "persistence", ["read"]);
    assert.deepEqual(read.groupTags, { purpose: "persistence" });
    assert.equal(read.storageState, "Succeeded");
    assert.equal(read.firstKey, written.firstKey);
    assert.equal(read.blobEndpoint, written.blobEndpoint);
    assert.equal(read.blobText, "kept across restarts");
    assert.deepEqual(localAzure.violations(), []);
  });
});
