import assert from "node:assert/strict";
import { isAmlToken, isEndpointKey, issueAmlToken, newEndpointSecrets } from "../../../local/azure/services/machinelearning/online/endpointCredentials";
import { StoredResource } from "../../../local/azure/state/resourceStore";

function endpoint(name: string, secrets = newEndpointSecrets(undefined)): StoredResource {
  const id = `/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws/onlineEndpoints/${name}`;
  return { id, type: "t", body: { id, name }, secrets, createdBy: "x", createdAt: "", lastModifiedBy: "x", lastModifiedAt: "" };
}

describe("local Azure: online endpoint keys and AML tokens", () => {
  it("makes two different 32-character keys, or keeps the ones given at creation", () => {
    const keys = newEndpointSecrets(undefined).keys as { primaryKey: string; secondaryKey: string };
    assert.match(keys.primaryKey, /^[A-Za-z0-9]{32}$/);
    assert.match(keys.secondaryKey, /^[A-Za-z0-9]{32}$/);
    assert.notEqual(keys.primaryKey, keys.secondaryKey);
    const given = newEndpointSecrets({ primaryKey: "p".repeat(32), secondaryKey: "s".repeat(32) }).keys;
    assert.deepEqual(given, { primaryKey: "p".repeat(32), secondaryKey: "s".repeat(32) });
  });

  it("accepts either key and nothing else", () => {
    const resource = endpoint("ep", newEndpointSecrets({ primaryKey: "primary-key", secondaryKey: "secondary-key" }));
    assert.equal(isEndpointKey(resource, "primary-key"), true);
    assert.equal(isEndpointKey(resource, "secondary-key"), true);
    assert.equal(isEndpointKey(resource, "primary-kez"), false);
    assert.equal(isEndpointKey(resource, ""), false);
  });

  it("issues tokens that only their endpoint accepts, until they expire", () => {
    const one = endpoint("one");
    const other = endpoint("other");
    const now = Date.UTC(2026, 0, 1);
    const token = issueAmlToken(one, now);
    assert.equal(token.tokenType, "Bearer");
    assert.equal(token.expiryTimeUtc, now / 1000 + 24 * 3600);
    assert.ok(token.refreshAfterTimeUtc < token.expiryTimeUtc);
    assert.equal(isAmlToken(one, token.accessToken, now + 1000), true);
    assert.equal(isAmlToken(other, token.accessToken, now + 1000), false, "another endpoint's secret");
    assert.equal(isAmlToken(one, token.accessToken, now + 25 * 3600 * 1000), false, "expired");
    const [head, payload, signature] = token.accessToken.split(".");
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), exp: 9999999999 })).toString("base64url");
    assert.equal(isAmlToken(one, `${head}.${forged}.${signature}`, now), false, "a changed payload");
  });
});
