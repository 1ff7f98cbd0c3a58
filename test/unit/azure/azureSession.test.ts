import type { AccessToken, TokenCredential } from "@azure/core-auth";
import * as assert from "node:assert/strict";
import { registeredSecrets } from "../../../tasks/common/src/auth/secretMasking";
import type { ServiceConnection } from "../../../tasks/common/src/auth/serviceConnection";
import { createAzureSession } from "../../../tasks/common/src/azure/azureSession";
import { machineLearningClient, resourceClient } from "../../../tasks/common/src/azure/clients/armClients";
import { captureTaskLibOutput, maskedValues, silenceTaskLib } from "../../support/taskLibEnvironment";
import { AuthTestBed, SECRET_APP, TENANT_ID } from "../auth/authTestBed";

const SUBSCRIPTION = "aaaaaaaa-0000-4000-8000-000000000000";

function connection(overrides: Partial<ServiceConnection> = {}): ServiceConnection {
  return {
    id: "conn-session",
    scheme: "ServicePrincipal",
    tenantId: TENANT_ID,
    subscriptionId: SUBSCRIPTION,
    armUrl: "https://management.azure.com",
    authorityUrl: "https://login.microsoftonline.com",
    tokenAudience: "https://management.core.windows.net/",
    cloud: "AzureCloud",
    servicePrincipal: { clientId: SECRET_APP.clientId, secret: SECRET_APP.secret },
    ...overrides,
  };
}

class CountingCredential implements TokenCredential {
  readonly scopes: string[] = [];
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    await Promise.resolve();
    this.scopes.push(([] as string[]).concat(scopes).join(" "));
    return { token: `token-${this.scopes.length}`, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

describe("createAzureSession", () => {
  let unsilence: () => void;
  before(() => (unsilence = silenceTaskLib()));
  after(() => unsilence());

  it("holds the cloud's endpoints and one scope per audience; the Azure ML data plane takes ARM's", () => {
    const session = createAzureSession(
      connection({ armUrl: "https://management.usgovcloudapi.net", tokenAudience: "https://management.core.usgovcloudapi.net/", cloud: "AzureUSGovernment" }),
      SUBSCRIPTION,
      { http: {} },
    );

    assert.deepEqual(session.endpoints, {
      cloud: "AzureUSGovernment",
      resourceManager: "https://management.usgovcloudapi.net",
      authority: "https://login.microsoftonline.com",
    });
    assert.deepEqual(session.scopes.resourceManager, ["https://management.core.usgovcloudapi.net//.default"]);
    assert.deepEqual(session.scopes.machineLearning, session.scopes.resourceManager);
    assert.deepEqual(session.scopes.storage, ["https://storage.azure.com//.default"]);
    assert.equal(session.arm.credential, session.credential, "the ARM clients use the session's credential");
    assert.equal(session.arm.armUrl, "https://management.usgovcloudapi.net");
  });

  it("gives every client the same transport when the agent has a proxy or a CA", () => {
    const http = { proxy: { url: "http://proxy:3128", bypass: [] } };
    const session = createAzureSession(connection(), SUBSCRIPTION, { http });
    assert.ok(session.pipeline.httpClient);
    assert.equal(session.arm.pipeline.httpClient, session.pipeline.httpClient);
  });

  describe("against a local ARM", function () {
    this.timeout(20_000);
    let bed: AuthTestBed;

    before(async () => {
      bed = await AuthTestBed.start();
      bed.https.route("GET", /\/resourcegroups\/rg-1$/i, () => ({
        status: 200,
        body: { id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-1`, name: "rg-1", location: "westeurope" },
      }));
      bed.https.route("GET", /\/workspaces\/ws-1$/i, () => ({ status: 200, body: { id: "ws", name: "ws-1", location: "westeurope", properties: {} } }));
    });
    after(() => bed.stop());

    it("makes one token exchange for all the ARM clients of a run", async () => {
      const counting = new CountingCredential();
      const session = createAzureSession(connection({ armUrl: bed.https.origin, tokenAudience: `${bed.https.origin}/` }), SUBSCRIPTION, {
        http: bed.trustingHttp,
        credential: counting,
      });

      await resourceClient(session.arm).resourceGroups.get("rg-1");
      await machineLearningClient(session.arm).workspaces.get("rg-1", "ws-1");
      await resourceClient(session.arm).resourceGroups.get("rg-1");

      assert.deepEqual(counting.scopes, [`${bed.https.origin}//.default`]);
      const authorizations = bed.https.requests
        .filter((request) => request.url.pathname.startsWith("/subscriptions/"))
        .map((request) => request.headers.authorization);
      assert.deepEqual(authorizations, ["Bearer token-1", "Bearer token-1", "Bearer token-1"]);
    });

    it("signs in with the connection's own credential and registers each token with the agent's masker", async () => {
      const session = createAzureSession(connection({ authorityUrl: bed.https.origin }), SUBSCRIPTION, { http: bed.trustingHttp });

      const { result, output } = await captureTaskLibOutput(() => session.credential.getToken(session.scopes.storage));
      assert.ok(result?.token);
      // Registered once per process: a test before this one may have seen the same token already.
      assert.ok(maskedValues(output).includes(result.token) || registeredSecrets().includes(result.token), "the token is registered with the agent's masker");
      const again = await session.credential.getToken(session.scopes.storage);
      assert.equal(again?.token, result.token, "the second caller of the audience gets the cached token");
    });
  });
});
