import type { AccessToken, TokenCredential } from "@azure/core-auth";
import type { ServiceConnection } from "../../../tasks/common/src/auth/serviceConnection";
import { type AzureSession, createAzureSession } from "../../../tasks/common/src/azure/azureSession";
import type { AgentHttpSettings } from "../../../tasks/common/src/http/agentHttpSettings";
import { type TestHandler, TestServer } from "../../support/httpsTestServer";
import { TestCertificateAuthority } from "../../support/testCertificates";

export const SUBSCRIPTION = "aaaaaaaa-0000-4000-8000-000000000000";
export const RESOURCE_GROUP = "rg-ml";
export const WORKSPACE = "aml-1";
export const WORKSPACE_PATH = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RESOURCE_GROUP}/providers/Microsoft.MachineLearningServices/workspaces/${WORKSPACE}`;
/** Where the test server's discovery document points the `api` service: a path below the host, as the local Azure does. */
export const API_PATH = "/azureml/westeurope";

/** Blob endpoints under this suffix do not resolve: only a test proxy forwarding to the server reaches them. */
export const PROXIED_STORAGE_SUFFIX = "storage.test";

/** Hands out token-1, token-2… and counts the exchanges. */
export class CountingCredential implements TokenCredential {
  readonly scopes: string[] = [];
  async getToken(scopes: string | string[]): Promise<AccessToken> {
    await Promise.resolve();
    this.scopes.push(([] as string[]).concat(scopes).join(" "));
    return { token: `token-${this.scopes.length}`, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

/** A loopback HTTPS server standing in for ARM, the workspace's discovery document, run history and log storage. */
export class DataPlaneTestBed {
  readonly credential = new CountingCredential();

  private constructor(
    readonly ca: TestCertificateAuthority,
    readonly server: TestServer,
  ) {}

  static async start(): Promise<DataPlaneTestBed> {
    const ca = TestCertificateAuthority.create("Data plane tests CA");
    const server = await TestServer.start(
      ca.issueServerCertificate({ dnsNames: ["localhost", `*.blob.${PROXIED_STORAGE_SUFFIX}`], ipAddresses: ["127.0.0.1"] }),
    );
    const bed = new DataPlaneTestBed(ca, server);
    server.route("GET", /^\/discovery$/, () => ({ status: 200, body: { api: `${server.origin}${API_PATH}`, history: `${server.origin}${API_PATH}` } }));
    return bed;
  }

  get origin(): string {
    return this.server.origin;
  }

  get trustingHttp(): AgentHttpSettings {
    return { ca: this.ca.certificatePem };
  }

  session(http: AgentHttpSettings = this.trustingHttp): AzureSession {
    const connection: ServiceConnection = {
      id: "conn-data-plane",
      scheme: "ServicePrincipal",
      tenantId: "7d3a4b1c-0000-4000-8000-00000000aaaa",
      subscriptionId: SUBSCRIPTION,
      armUrl: this.origin,
      authorityUrl: "https://login.microsoftonline.com",
      tokenAudience: `${this.origin}/`,
      cloud: "AzureCloud",
      servicePrincipal: { clientId: "5e1a0c0f-0000-4000-8000-000000000001", secret: "unused" },
    };
    return createAzureSession(connection, SUBSCRIPTION, { http, credential: this.credential });
  }

  /** The path of a run's details under the `api` service. */
  runDetailsPath(runId: string): string {
    return `${API_PATH}/history/v1.0${WORKSPACE_PATH}/runs/${runId}/details`;
  }

  /** Answers GET of a run's details. */
  serveRunDetails(runId: string, handler: TestHandler): void {
    const path = this.runDetailsPath(runId);
    this.server.route("GET", new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`), handler);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
