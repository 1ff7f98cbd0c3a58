import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repositoryRoot } from "../../local/azure/paths";
import { LocalAzureFixture, startFixture, stopFixture, temporaryStateDir } from "./support/localAzureFixture";
import { armError, armToken, rawRequest, requestHead, RawResponse, RawTarget, rawTarget } from "./support/rawHttps";

const specificationCopy = join(repositoryRoot(), "reference", "azure-rest-api-specs", "specification");
const keyVaultSwagger = "keyvault/resource-manager/Microsoft.KeyVault/stable/2023-07-01/keyvault.json";

interface Client {
  target: RawTarget;
  token: string;
  subscription: string;
  tenantId: string;
}

async function clientOf(fixture: LocalAzureFixture): Promise<Client> {
  const connection = fixture.localAzure.connection;
  const target = rawTarget(connection);
  return { target, token: await armToken(target, connection), subscription: `/subscriptions/${connection.subscriptionId}`, tenantId: connection.tenantId };
}

function send(client: Client, method: string, path: string, body?: unknown): Promise<RawResponse> {
  const text = body === undefined ? "" : JSON.stringify(body);
  const headers = { Authorization: `Bearer ${client.token}`, "Content-Type": "application/json" };
  return rawRequest(client.target, requestHead(method, path, headers, body === undefined ? undefined : Buffer.byteLength(text)), text);
}

async function stillServing(client: Client): Promise<void> {
  const response = await send(client, "GET", `${client.subscription}/resourcegroups?api-version=2024-03-01`);
  assert.equal(response.status, 200, response.text);
}

async function refused(client: Client, response: RawResponse, code: string, detail?: { code: string; target: RegExp }): Promise<void> {
  assert.equal(response.status, 400, response.text.slice(0, 400));
  assert.equal(armError(response).code, code, response.text.slice(0, 400));
  if (detail) {
    const details = (response.json as { error: { details?: { code: string; target?: string }[] } }).error.details ?? [];
    assert.ok(
      details.some((entry) => entry.code === detail.code && detail.target.test(entry.target ?? "")),
      JSON.stringify(details),
    );
  }
  await stillServing(client);
}

/** A copy of the repository's swaggers, changed by `edit`, for LOCAL_AZURE_SPECIFICATION_DIR. */
function editedSpecification(edit: (folder: string) => void): string {
  const folder = mkdtempSync(join(tmpdir(), "local-azure-spec-"));
  cpSync(specificationCopy, folder, { recursive: true });
  edit(folder);
  return folder;
}

async function withSpecificationDir<T>(folder: string, work: () => Promise<T>): Promise<T> {
  const previous = process.env.LOCAL_AZURE_SPECIFICATION_DIR;
  process.env.LOCAL_AZURE_SPECIFICATION_DIR = folder;
  try {
    return await work();
  } finally {
    if (previous === undefined) delete process.env.LOCAL_AZURE_SPECIFICATION_DIR;
    else process.env.LOCAL_AZURE_SPECIFICATION_DIR = previous;
  }
}

function manyTags(count: number, nameLength = 8, valueLength = 8): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, index) => [`t${index}`.padEnd(nameLength, "n"), "v".repeat(valueLength)]));
}

describe("local Azure: strict validation", function () {
  this.timeout(180000);
  let fixture: LocalAzureFixture | undefined;
  let client: Client;
  const group = "rg-strict";
  const groupUrl = (name = group) => `${client.subscription}/resourcegroups/${name}?api-version=2024-03-01`;
  const providerUrl = (path: string, apiVersion: string) => `${client.subscription}/resourceGroups/${group}/providers/${path}?api-version=${apiVersion}`;
  const vault = (properties: Record<string, unknown>) => ({
    location: "westeurope",
    properties: { tenantId: client.tenantId, sku: { family: "A", name: "standard" }, ...properties },
  });

  before(async () => {
    fixture = await startFixture("strict");
    client = await clientOf(fixture);
    assert.equal((await send(client, "PUT", groupUrl(), { location: "westeurope" })).status, 201);
  });

  after(async () => {
    await stopFixture(fixture);
  });

  describe("integer formats the swaggers declare, in every provider", () => {
    const outOfInt32 = [1e20, 2147483648, -2147483649, 1.5];

    for (const value of outOfInt32) {
      it(`refuses ${value} for an int32 of Key Vault (softDeleteRetentionInDays)`, async () => {
        const response = await send(
          client,
          "PUT",
          providerUrl("Microsoft.KeyVault/vaults/kv-strict-int", "2023-07-01"),
          vault({ softDeleteRetentionInDays: value }),
        );
        await refused(client, response, "InvalidRequestContent", { code: "INVALID_FORMAT", target: /softDeleteRetentionInDays/ });
      });
    }

    it("refuses 2147483648 for an int32 of Log Analytics (retentionInDays)", async () => {
      const response = await send(client, "PUT", providerUrl("Microsoft.OperationalInsights/workspaces/la-strict", "2022-10-01"), {
        location: "westeurope",
        properties: { retentionInDays: 2147483648 },
      });
      await refused(client, response, "InvalidRequestContent", { code: "INVALID_FORMAT", target: /retentionInDays/ });
    });

    it("refuses 1e20 for an int32 of Azure ML (a compute's maxNodeCount)", async () => {
      const response = await send(client, "PUT", providerUrl("Microsoft.MachineLearningServices/workspaces/ws-strict/computes/cpu", "2022-10-01"), {
        location: "westeurope",
        properties: { computeType: "AmlCompute", properties: { vmSize: "STANDARD_DS3_V2", scaleSettings: { maxNodeCount: 1e20 } } },
      });
      await refused(client, response, "InvalidRequestContent", { code: "INVALID_FORMAT", target: /maxNodeCount/ });
    });

    it("refuses 2147483648 for an int32 query parameter ($top of the resource group list)", async () => {
      const response = await send(client, "GET", `${client.subscription}/resourcegroups?api-version=2024-03-01&%24top=2147483648`);
      await refused(client, response, "InvalidParameter", { code: "INVALID_FORMAT", target: /top/ });
    });

    it("accepts an int32 in range", async () => {
      const response = await send(client, "PUT", providerUrl("Microsoft.KeyVault/vaults/kv-strict-ok", "2023-07-01"), vault({ softDeleteRetentionInDays: 90 }));
      assert.equal(response.status, 201, response.text);
    });
  });

  describe("ARM's rules on location and tags", () => {
    it("refuses a location that is an object, for a group and for a provider's resource", async () => {
      await refused(client, await send(client, "PUT", groupUrl("rg-location"), { location: { name: "westeurope" } }), "InvalidRequestContent");
      await refused(
        client,
        await send(client, "PUT", providerUrl("Microsoft.Storage/storageAccounts/sastrictloc", "2023-05-01"), {
          location: ["westeurope"],
          kind: "StorageV2",
          sku: { name: "Standard_LRS" },
        }),
        "InvalidRequestContent",
      );
    });

    it("refuses tags whose value is an object or a number", async () => {
      await refused(client, await send(client, "PUT", groupUrl(), { location: "westeurope", tags: { owner: { name: "x" } } }), "InvalidRequestContent");
      await refused(client, await send(client, "PATCH", groupUrl(), { tags: { owner: 5 } }), "InvalidRequestContent");
    });

    it("refuses more than 50 tags, a name over 512 characters, a value over 256 and reserved characters", async () => {
      await refused(client, await send(client, "PUT", groupUrl(), { location: "westeurope", tags: manyTags(51) }), "InvalidTagCount");
      await refused(client, await send(client, "PUT", groupUrl(), { location: "westeurope", tags: manyTags(1, 513) }), "InvalidTagNameLength");
      await refused(client, await send(client, "PUT", groupUrl(), { location: "westeurope", tags: manyTags(1, 8, 257) }), "InvalidTagValueLength");
      await refused(
        client,
        await send(client, "PUT", providerUrl("Microsoft.KeyVault/vaults/kv-strict-tags", "2023-07-01"), { ...vault({}), tags: { "cost/centre": "1" } }),
        "InvalidTagNameCharacters",
      );
    });

    it("accepts 50 tags with names of 512 and values of 256 characters", async () => {
      const response = await send(client, "PUT", groupUrl(), { location: "westeurope", tags: manyTags(50, 512, 256) });
      assert.equal(response.status, 200, response.text.slice(0, 300));
    });

    it("holds ARM's rules when strict mode is off too", async () => {
      const loose = await startFixture("loose", { strict: false });
      try {
        const looseClient = await clientOf(loose);
        const url = `${looseClient.subscription}/resourcegroups/rg-loose?api-version=2024-03-01`;
        await refused(looseClient, await send(looseClient, "PUT", url, { location: "westeurope", tags: manyTags(51) }), "InvalidTagCount");
        await refused(looseClient, await send(looseClient, "PUT", url, { location: { name: "westeurope" } }), "InvalidRequestContent");
        assert.deepEqual(loose.localAzure.validationCounts(), { validated: 0, refused: 0, unmatched: 0 });
      } finally {
        await stopFixture(loose);
      }
    });
  });

  describe("what strict mode counts", () => {
    it("counts each request it validated and each it refused", async () => {
      const before = fixture!.localAzure.validationCounts();
      assert.equal((await send(client, "GET", groupUrl())).status, 200);
      await send(client, "PUT", groupUrl(), { location: { name: "westeurope" } });
      const after = fixture!.localAzure.validationCounts();
      // Both were checked; the second was refused (by ARM's location rule).
      assert.equal(after.validated, before.validated + 2);
      assert.equal(after.refused, before.refused + 1);
      assert.equal(after.unmatched, before.unmatched);
    });
  });

  describe("the pinned swaggers", () => {
    it("refuses to start strict when a pinned swagger is missing, naming it", async () => {
      const folder = editedSpecification((copy) => rmSync(join(copy, keyVaultSwagger)));
      const stateDir = temporaryStateDir("nospec");
      try {
        await withSpecificationDir(folder, async () => {
          await assert.rejects(
            startFixture("nospec", { stateDir }),
            /Strict mode needs the pinned swaggers, .*keyvault\/resource-manager\/Microsoft\.KeyVault\/stable\/2023-07-01\/keyvault\.json/,
          );
        });
      } finally {
        rmSync(folder, { recursive: true, force: true });
        rmSync(stateDir, { recursive: true, force: true });
      }
    });

    it("refuses, as ARM refuses an unknown type, a request no loaded swagger operation matches, and counts it", async () => {
      // The same swaggers, but Key Vault's describes no operation: its requests match nothing.
      const folder = editedSpecification((copy) => {
        const swagger = JSON.parse(readFileSync(join(copy, keyVaultSwagger), "utf8")) as { paths: unknown };
        swagger.paths = {};
        writeFileSync(join(copy, keyVaultSwagger), JSON.stringify(swagger));
      });
      try {
        const unmatched = await withSpecificationDir(folder, () => startFixture("unmatched"));
        try {
          const unmatchedClient = await clientOf(unmatched);
          const subscription = unmatchedClient.subscription;
          assert.equal(
            (await send(unmatchedClient, "PUT", `${subscription}/resourcegroups/${group}?api-version=2024-03-01`, { location: "westeurope" })).status,
            201,
          );
          const response = await send(
            unmatchedClient,
            "PUT",
            `${subscription}/resourceGroups/${group}/providers/Microsoft.KeyVault/vaults/kv-unmatched?api-version=2023-07-01`,
            {
              location: "westeurope",
              properties: { tenantId: unmatchedClient.tenantId, sku: { family: "A", name: "standard" } },
            },
          );
          await refused(unmatchedClient, response, "InvalidResourceType");
          assert.match(
            armError(response).message,
            /resource type 'vaults' could not be found in the namespace 'Microsoft\.KeyVault' for api version '2023-07-01'/,
          );
          const counts = unmatched.localAzure.validationCounts();
          assert.equal(counts.unmatched, 1);
          assert.ok(counts.validated >= 2, JSON.stringify(counts));
        } finally {
          await stopFixture(unmatched);
        }
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });
});
