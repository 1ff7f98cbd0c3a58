import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readConnectionFile } from "../../local/azure";
import { temporaryStateDir } from "./support/localAzureFixture";

describe("local Azure: a connection.json written by hand", () => {
  const folder = temporaryStateDir("connection");
  const file = join(folder, "connection.json");
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("describes a real subscription with the public cloud's defaults", () => {
    writeFileSync(
      file,
      JSON.stringify({
        armUrl: "https://management.azure.com",
        authorityUrl: "https://login.microsoftonline.com",
        tenantId: "72f988bf-0000-0000-0000-000000000000",
        subscriptionId: "11111111-0000-0000-0000-000000000000",
        servicePrincipals: [
          {
            name: "ci",
            role: "Contributor",
            scope: "/subscriptions/11111111-0000-0000-0000-000000000000",
            scopeLevel: "Subscription",
            clientId: "a",
            clientSecret: "b",
          },
        ],
      }),
    );
    const connection = readConnectionFile(file);
    assert.equal(connection.kind, "azure");
    assert.equal(connection.armAudience, "https://management.core.windows.net/");
    assert.equal(connection.armScope, "https://management.core.windows.net//.default");
    assert.deepEqual(connection.clientEnvironment, {});
    assert.equal(connection.caCertPath, undefined);
  });

  it("names the field that is missing", () => {
    writeFileSync(
      file,
      JSON.stringify({
        armUrl: "https://management.azure.com",
        authorityUrl: "https://login.microsoftonline.com",
        tenantId: "t",
        subscriptionId: "s",
        servicePrincipals: [{ clientId: "a" }],
      }),
    );
    assert.throws(() => readConnectionFile(file), /servicePrincipals\[0\] needs "clientId" and either "clientSecret" or "certificatePath"/);
    writeFileSync(file, JSON.stringify({ armUrl: "https://management.azure.com" }));
    assert.throws(() => readConnectionFile(file), /"authorityUrl" is required/);
  });
});
