import type { AgentHttpSettings } from "../../../tasks/common/src/http/agentHttpSettings";
import { endpointEnvironment, type AgentEndpoint } from "../../../local/runner/agentEnvironment";
import { serveDevOpsOidc, serveEntraId, serveImds, type FakeOidcIssuer } from "../../support/fakeEntraId";
import { TestServer } from "../../support/httpsTestServer";
import { TestCertificateAuthority } from "../../support/testCertificates";

export const TENANT_ID = "7d3a4b1c-0000-4000-8000-00000000aaaa";
export const SECRET_APP = { clientId: "5e1a0c0f-0000-4000-8000-000000000001", secret: "right-secret" };
export const CERTIFICATE_APP = { clientId: "5e1a0c0f-0000-4000-8000-000000000002" };
export const FEDERATED_APP = { clientId: "5e1a0c0f-0000-4000-8000-000000000003" };
export const JOB_ACCESS_TOKEN = "job-access-token-xyz";
/** Host names under this domain do not resolve: only the test proxy reaches them. The server's certificate covers them. */
export const PROXIED_DOMAIN = "proxied.test";

/**
 * Loopback stand-ins for the services a credential talks to: Entra ID and Azure DevOps' OIDC
 * endpoint over HTTPS with a certificate from a CA made for the run, and IMDS over HTTP.
 */
export class AuthTestBed {
  private constructor(
    readonly ca: TestCertificateAuthority,
    readonly https: TestServer,
    readonly imds: TestServer,
    readonly oidc: FakeOidcIssuer,
  ) {}

  static async start(): Promise<AuthTestBed> {
    const ca = TestCertificateAuthority.create("Auth tests CA");
    const https = await TestServer.start(ca.issueServerCertificate({ dnsNames: ["localhost", `*.${PROXIED_DOMAIN}`], ipAddresses: ["127.0.0.1"] }));
    // Tokens live 2 minutes: under MSAL's 5-minute refresh margin, so each getToken fetches a new one.
    serveEntraId(https, { tenantId: TENANT_ID, apps: [SECRET_APP, CERTIFICATE_APP, FEDERATED_APP], tokenLifetimeSeconds: 120 });
    const oidc = serveDevOpsOidc(https, JOB_ACCESS_TOKEN);
    const imds = await TestServer.start();
    serveImds(imds);
    return new AuthTestBed(ca, https, imds, oidc);
  }

  /** Agent HTTP settings that trust the run's CA. */
  get trustingHttp(): AgentHttpSettings {
    return { ca: this.ca.certificatePem };
  }

  async stop(): Promise<void> {
    await Promise.all([this.https.stop(), this.imds.stop()]);
  }
}

let endpointCounter = 0;

/** An AzureRM endpoint whose authority is the test bed's Entra ID, with a fresh id. */
export function localEndpoint(authorityOrigin: string, scheme: string, parameters: Record<string, string>, data: Record<string, string> = {}): AgentEndpoint {
  endpointCounter += 1;
  return {
    id: `c0ffee00-0000-4000-8000-${String(endpointCounter).padStart(12, "0")}`,
    url: "https://management.azure.com/",
    scheme,
    parameters: { tenantid: TENANT_ID, ...parameters },
    data: { environment: "AzureCloud", subscriptionId: "aaaaaaaa-0000-4000-8000-000000000000", environmentAuthorityUrl: `${authorityOrigin}/`, ...data },
  };
}

/** The variables the agent gives a task using `endpoint` as its azureSubscription input. */
export function taskVariables(endpoint: AgentEndpoint, extra: Record<string, string> = {}): Record<string, string> {
  return { INPUT_AZURESUBSCRIPTION: endpoint.id, ...endpointEnvironment(endpoint), ...extra };
}

/** How the agent hands a task its job token: the SystemVssConnection endpoint. */
export function systemConnectionVariables(accessToken: string): Record<string, string> {
  return {
    ENDPOINT_URL_SYSTEMVSSCONNECTION: "https://dev.azure.com/org/",
    ENDPOINT_AUTH_SYSTEMVSSCONNECTION: JSON.stringify({ parameters: { AccessToken: accessToken }, scheme: "OAuth" }),
    ENDPOINT_AUTH_SCHEME_SYSTEMVSSCONNECTION: "OAuth",
    ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN: accessToken,
  };
}
