import { ResourceManagementClient } from "@azure/arm-resources";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { AnonymousCredential, ContainerClient } from "@azure/storage-blob";
import * as assert from "node:assert/strict";
import { createCredential } from "../../../tasks/common/src/auth/credential";
import type { ServiceConnection } from "../../../tasks/common/src/auth/serviceConnection";
import type { AgentHttpSettings } from "../../../tasks/common/src/http/agentHttpSettings";
import { azureClientOptions, httpPipelineOptions, storageClientOptions } from "../../../tasks/common/src/http/clientOptions";
import { ConnectProxy } from "../../support/connectProxy";
import { silenceTaskLib } from "../../support/taskLibEnvironment";
import { AuthTestBed, PROXIED_DOMAIN, SECRET_APP, TENANT_ID } from "./authTestBed";

const SUBSCRIPTION = "aaaaaaaa-0000-4000-8000-000000000000";
const PROXY_USER = "build-agent";
const PROXY_PASSWORD = "proxy-pass";
const PROXY_AUTHORIZATION = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString("base64")}`;

function connection(overrides: Partial<ServiceConnection> = {}): ServiceConnection {
  return {
    id: "conn-1",
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

const staticCredential: TokenCredential = {
  getToken: (): Promise<AccessToken> => Promise.resolve({ token: "arm-token", expiresOnTimestamp: Date.now() + 3600_000 }),
};

describe("azureClientOptions", () => {
  it("gives ARM clients the connection's endpoint and the .default scope of its audience", () => {
    const options = azureClientOptions(connection({ armUrl: "https://arm.local.test:8443", tokenAudience: "https://arm.local.test:8443/" }), {});

    assert.equal(options.endpoint, "https://arm.local.test:8443");
    assert.deepEqual(options.credentialScopes, ["https://arm.local.test:8443//.default"]);
    assert.equal(options.httpClient, undefined, "without agent settings, the SDK's own transport is kept");
  });

  it("keeps an audience given without a trailing slash as it is", () => {
    assert.deepEqual(azureClientOptions(connection({ tokenAudience: "https://management.azure.com" }), {}).credentialScopes, [
      "https://management.azure.com/.default",
    ]);
  });

  it("gives every client of one task the same transport when the agent has a proxy or a CA", () => {
    const http: AgentHttpSettings = { proxy: { url: "http://proxy:3128", bypass: [] } };

    const arm = azureClientOptions(connection(), http);
    const identity = httpPipelineOptions(http);

    assert.ok(arm.httpClient, "ARM clients get the routing transport");
    assert.equal(identity.httpClient, arm.httpClient);
  });
});

describe("the agent's proxy and CA, end to end", function () {
  this.timeout(20_000);
  let bed: AuthTestBed;
  let proxy: ConnectProxy;
  let unsilence: () => void;
  let http: AgentHttpSettings;

  before(async () => {
    unsilence = silenceTaskLib();
    bed = await AuthTestBed.start();
    proxy = await ConnectProxy.start({ forwardToPort: bed.https.port, requiredAuthorization: PROXY_AUTHORIZATION });
    http = { ca: bed.ca.certificatePem, proxy: { url: proxy.url, username: PROXY_USER, password: PROXY_PASSWORD, bypass: [] } };
    bed.https.route("GET", new RegExp(`^/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-1$`), () => ({
      status: 200,
      body: { id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-1`, name: "rg-1", location: "westeurope", properties: { provisioningState: "Succeeded" } },
    }));
    for (const method of ["GET", "HEAD"]) {
      bed.https.route(method, /^\/container-1$/, () => ({ status: 200, headers: { "x-ms-version": "2025-01-05", etag: '"0x1"' } }));
    }
  });
  after(async () => {
    await proxy.stop();
    await bed.stop();
    unsilence();
  });

  it("signs in through the proxy, with its credentials, trusting the agent's CA", async () => {
    const authority = `https://login.${PROXIED_DOMAIN}`;
    const tunnelsBefore = proxy.tunnels.length;
    const requestsBefore = bed.https.requests.length;

    const token = await createCredential(connection({ authorityUrl: authority }), http).getToken("https://management.core.windows.net//.default");

    assert.match(token?.token ?? "", /^access-token-\d+$/);
    const tunnels = proxy.tunnels.slice(tunnelsBefore);
    assert.ok(tunnels.length > 0, "the credential went through the proxy");
    for (const tunnel of tunnels) {
      assert.equal(tunnel.target, `login.${PROXIED_DOMAIN}:443`);
      assert.equal(tunnel.proxyAuthorization, PROXY_AUTHORIZATION);
    }
    const requests = bed.https.requests.slice(requestsBefore);
    assert.ok(requests.some((request) => request.url.pathname === `/${TENANT_ID}/oauth2/v2.0/token`));
    assert.ok(requests.every((request) => request.headers.host === `login.${PROXIED_DOMAIN}`));
  });

  it("sends ARM client calls through the proxy with the options it gives ARM clients", async () => {
    const armUrl = `https://management.${PROXIED_DOMAIN}`;
    const tunnelsBefore = proxy.tunnels.length;

    const client = new ResourceManagementClient(staticCredential, SUBSCRIPTION, azureClientOptions(connection({ armUrl }), http));
    const group = await client.resourceGroups.get("rg-1");

    assert.equal(group.name, "rg-1");
    assert.deepEqual(
      proxy.tunnels.slice(tunnelsBefore).map((tunnel) => tunnel.target),
      [`management.${PROXIED_DOMAIN}:443`],
    );
    const request = bed.https.requestsTo(/\/resourcegroups\/rg-1$/).at(-1);
    assert.equal(request?.headers.authorization, "Bearer arm-token");
    assert.equal(request?.headers.host, `management.${PROXIED_DOMAIN}`);
  });

  it("goes direct to loopback addresses, which a proxy could not reach", async () => {
    const tunnelsBefore = proxy.tunnels.length;

    await createCredential(connection({ authorityUrl: bed.https.origin }), http).getToken("https://management.core.windows.net//.default");

    assert.equal(proxy.tunnels.length, tunnelsBefore);
  });

  it("fails with the proxy's refusal when its credentials are wrong", async () => {
    const wrongCredentials: AgentHttpSettings = { ...http, proxy: { url: proxy.url, username: PROXY_USER, password: "wrong", bypass: [] } };
    const client = new ResourceManagementClient(staticCredential, SUBSCRIPTION, {
      ...azureClientOptions(connection({ armUrl: `https://management.${PROXIED_DOMAIN}` }), wrongCredentials),
      retryOptions: { maxRetries: 0 },
    });

    await assert.rejects(client.resourceGroups.get("rg-1"), {
      message: `The proxy ${proxy.url} refused to open a tunnel to management.${PROXIED_DOMAIN}:443: HTTP 407 Proxy Authentication Required`,
    });
  });

  it("gives @azure/storage-blob clients the same proxy and CA", async () => {
    const accountUrl = `https://blob.${PROXIED_DOMAIN}`;
    const tunnelsBefore = proxy.tunnels.length;

    const container = new ContainerClient(`${accountUrl}/container-1`, new AnonymousCredential(), storageClientOptions(accountUrl, http));

    assert.equal(await container.exists(), true);
    assert.deepEqual([...new Set(proxy.tunnels.slice(tunnelsBefore).map((tunnel) => tunnel.target))], [`blob.${PROXIED_DOMAIN}:443`]);
  });
});
