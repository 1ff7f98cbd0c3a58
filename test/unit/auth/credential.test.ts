import { ClientAssertionCredential, ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential } from "@azure/identity";
import * as assert from "node:assert/strict";
import { constants, createHash, verify, X509Certificate } from "node:crypto";
import { createCredential } from "../../../tasks/common/src/auth/credential";
import { readServiceConnection } from "../../../tasks/common/src/auth/serviceConnection";
import { azureClientOptions } from "../../../tasks/common/src/http/clientOptions";
import { DEVOPS_OIDC_PATH, IMDS_TOKEN_PATH } from "../../support/fakeEntraId";
import type { RecordedRequest } from "../../support/httpsTestServer";
import { captureTaskLibOutput, loadTaskEnvironment, maskedValues, silenceTaskLib } from "../../support/taskLibEnvironment";
import { createClientCertificate } from "../../support/testCertificates";
import {
  AuthTestBed,
  CERTIFICATE_APP,
  FEDERATED_APP,
  JOB_ACCESS_TOKEN,
  localEndpoint,
  SECRET_APP,
  systemConnectionVariables,
  taskVariables,
  TENANT_ID,
} from "./authTestBed";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const ARM_SCOPE = "https://management.core.windows.net//.default";
const TOKEN_PATH = new RegExp(`^/${TENANT_ID}/oauth2/v2\\.0/token$`);

function form(request: RecordedRequest | undefined): URLSearchParams {
  assert.ok(request, "a token request was made");
  return new URLSearchParams(request.body);
}

function base64Url(data: Buffer): string {
  return data.toString("base64url");
}

describe("createCredential", function () {
  this.timeout(20_000);
  let bed: AuthTestBed;
  let restoreEnvironment: (() => void) | undefined;
  let unsilence: () => void;

  before(async () => {
    unsilence = silenceTaskLib();
    bed = await AuthTestBed.start();
  });
  after(async () => {
    await bed.stop();
    unsilence();
  });
  afterEach(() => {
    restoreEnvironment?.();
    restoreEnvironment = undefined;
  });

  function connectionFor(scheme: string, parameters: Record<string, string>, data: Record<string, string> = {}, extra: Record<string, string> = {}) {
    const endpoint = localEndpoint(bed.https.origin, scheme, parameters, data);
    restoreEnvironment = loadTaskEnvironment(taskVariables(endpoint, extra));
    return readServiceConnection("azureSubscription");
  }

  function newTokenRequests(since: number): RecordedRequest[] {
    return bed.https.requests.slice(since).filter((request) => TOKEN_PATH.test(request.url.pathname));
  }

  it("signs a service principal in with its secret, at the connection's authority, for the ARM scope", async () => {
    const connection = connectionFor("ServicePrincipal", {
      serviceprincipalid: SECRET_APP.clientId,
      authenticationType: "spnKey",
      serviceprincipalkey: SECRET_APP.secret,
    });
    const before = bed.https.requests.length;

    const credential = createCredential(connection, bed.trustingHttp);
    const token = await credential.getToken(azureClientOptions(connection, bed.trustingHttp).credentialScopes);

    assert.ok(credential.inner instanceof ClientSecretCredential);
    assert.match(token?.token ?? "", /^access-token-\d+$/);
    const requests = bed.https.requests.slice(before);
    assert.ok(requests.some((request) => request.method === "GET" && request.url.pathname === `/${TENANT_ID}/v2.0/.well-known/openid-configuration`));
    const body = form(newTokenRequests(before)[0]);
    assert.equal(body.get("client_id"), SECRET_APP.clientId);
    assert.equal(body.get("client_secret"), SECRET_APP.secret);
    assert.equal(body.get("grant_type"), "client_credentials");
    assert.equal(body.get("scope"), ARM_SCOPE);
  });

  it("surfaces Entra's refusal of a wrong secret (invalid_client, AADSTS7000215)", async () => {
    const connection = connectionFor("ServicePrincipal", { serviceprincipalid: SECRET_APP.clientId, serviceprincipalkey: "wrong-secret" });

    const credential = createCredential(connection, bed.trustingHttp);

    await assert.rejects(credential.getToken(ARM_SCOPE), (error: Error) => {
      assert.match(error.message, /invalid_client/);
      assert.match(error.message, /AADSTS7000215: Invalid client secret provided/);
      return true;
    });
  });

  it("signs a service principal in with its certificate: a JWT assertion signed by the certificate's key", async () => {
    const certificate = createClientCertificate("azureml-tasks-sp");
    const connection = connectionFor("ServicePrincipal", {
      serviceprincipalid: CERTIFICATE_APP.clientId,
      authenticationType: "spnCertificate",
      servicePrincipalCertificate: `${certificate.privateKeyPem}${certificate.certificatePem}`,
    });
    const before = bed.https.requests.length;

    const credential = createCredential(connection, bed.trustingHttp);
    await credential.getToken(ARM_SCOPE);

    assert.ok(credential.inner instanceof ClientCertificateCredential);
    const body = form(newTokenRequests(before)[0]);
    assert.equal(body.get("client_id"), CERTIFICATE_APP.clientId);
    assert.equal(body.get("client_assertion_type"), JWT_BEARER);
    assert.equal(body.get("client_secret"), null);
    const [headerPart, payloadPart, signaturePart] = (body.get("client_assertion") ?? "").split(".");
    assert.ok(headerPart && payloadPart && signaturePart, "the assertion is a JWT");
    const header = JSON.parse(Buffer.from(headerPart, "base64url").toString("utf8")) as Record<string, string>;
    const payload = JSON.parse(Buffer.from(payloadPart, "base64url").toString("utf8")) as Record<string, string | number>;

    const x509 = new X509Certificate(certificate.certificatePem);
    if (header["x5t#S256"] !== undefined) {
      assert.equal(header["x5t#S256"], base64Url(createHash("sha256").update(x509.raw).digest()));
    } else {
      assert.equal(header["x5t"], base64Url(createHash("sha1").update(x509.raw).digest()));
    }
    const signed = Buffer.from(`${headerPart}.${payloadPart}`);
    const signature = Buffer.from(signaturePart, "base64url");
    const key = header["alg"] === "PS256" ? { key: x509.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : x509.publicKey;
    assert.ok(["PS256", "RS256"].includes(header["alg"] ?? ""), `unexpected algorithm ${header["alg"]}`);
    assert.ok(verify("sha256", signed, key, signature), "the assertion is signed by the certificate's private key");
    assert.equal(payload["iss"], CERTIFICATE_APP.clientId);
    assert.equal(payload["sub"], CERTIFICATE_APP.clientId);
    assert.equal(payload["aud"], `${bed.https.origin}/${TENANT_ID}/oauth2/v2.0/token`);
  });

  function federatedConnection(jobAccessToken = JOB_ACCESS_TOKEN) {
    return connectionFor(
      "WorkloadIdentityFederation",
      { serviceprincipalid: FEDERATED_APP.clientId },
      {},
      {
        SYSTEM_OIDCREQUESTURI: bed.oidc.requestUri,
        ...systemConnectionVariables(jobAccessToken),
      },
    );
  }

  it("federates a workload identity: an OIDC token from Azure DevOps, asked with the job token, is the client assertion", async () => {
    bed.oidc.lifetimeSeconds = 600;
    const connection = federatedConnection();
    const before = bed.https.requests.length;
    const issuedBefore = bed.oidc.issued.length;

    const { result: credential, output } = await captureTaskLibOutput(async () => {
      const created = createCredential(connection, bed.trustingHttp);
      await created.getToken(ARM_SCOPE);
      await created.getToken(ARM_SCOPE);
      return created;
    });

    assert.ok(credential.inner instanceof ClientAssertionCredential);
    const oidcRequests = bed.https.requests.slice(before).filter((request) => request.url.pathname === DEVOPS_OIDC_PATH);
    assert.equal(oidcRequests.length, 1, "an OIDC token with time left is reused");
    const [oidcRequest] = oidcRequests;
    assert.equal(oidcRequest?.method, "POST");
    assert.equal(oidcRequest?.headers.authorization, `Bearer ${JOB_ACCESS_TOKEN}`);
    assert.equal(oidcRequest?.url.searchParams.get("api-version"), "7.1");
    assert.equal(oidcRequest?.url.searchParams.get("serviceConnectionId"), connection.id);
    const [oidcToken] = bed.oidc.issued.slice(issuedBefore);
    const tokenRequests = newTokenRequests(before).map(form);
    assert.equal(tokenRequests.length, 2);
    for (const body of tokenRequests) {
      assert.equal(body.get("client_id"), FEDERATED_APP.clientId);
      assert.equal(body.get("client_assertion"), oidcToken);
      assert.equal(body.get("client_assertion_type"), JWT_BEARER);
      assert.equal(body.get("grant_type"), "client_credentials");
      assert.equal(body.get("scope"), ARM_SCOPE);
    }
    const masked = maskedValues(output);
    assert.ok(oidcToken && masked.includes(oidcToken), "the OIDC token is masked");
    assert.ok(masked.includes(JOB_ACCESS_TOKEN), "the job token is masked");
  });

  it("asks Azure DevOps for a new OIDC token when the previous one is about to expire", async () => {
    // Under the one-minute margin: each token request needs a new assertion.
    bed.oidc.lifetimeSeconds = 30;
    const connection = federatedConnection();
    const before = bed.https.requests.length;
    const issuedBefore = bed.oidc.issued.length;

    const credential = createCredential(connection, bed.trustingHttp);
    await credential.getToken(ARM_SCOPE);
    await credential.getToken(ARM_SCOPE);

    const issued = bed.oidc.issued.slice(issuedBefore);
    const [first, second] = newTokenRequests(before).map((request) => form(request).get("client_assertion"));
    assert.ok(first && issued.includes(first), "the first assertion is an issued OIDC token");
    assert.ok(second && issued.includes(second), "the second assertion is an issued OIDC token");
    assert.ok(issued.indexOf(second) > issued.indexOf(first), "the second token request used a newer OIDC token");
  });

  it("says which variable is missing when the agent gives no System.OidcRequestUri", () => {
    const connection = connectionFor(
      "WorkloadIdentityFederation",
      { serviceprincipalid: FEDERATED_APP.clientId },
      {},
      systemConnectionVariables(JOB_ACCESS_TOKEN),
    );

    assert.throws(() => createCredential(connection, bed.trustingHttp), {
      message: `Service connection '${connection.id}' uses workload identity federation, but the agent gave no System.OidcRequestUri variable, which Azure DevOps Services sets for each job.`,
    });
  });

  it("takes the job token from System.AccessToken when the agent gives no SystemVssConnection, and says so when neither exists", async () => {
    const withVariable = connectionFor(
      "WorkloadIdentityFederation",
      { serviceprincipalid: FEDERATED_APP.clientId },
      {},
      {
        SYSTEM_OIDCREQUESTURI: bed.oidc.requestUri,
        SECRET_SYSTEM_ACCESSTOKEN: JOB_ACCESS_TOKEN,
      },
    );
    const before = bed.https.requests.length;
    await createCredential(withVariable, bed.trustingHttp).getToken(ARM_SCOPE);
    const oidcRequest = bed.https.requests.slice(before).find((request) => request.url.pathname === DEVOPS_OIDC_PATH);
    assert.equal(oidcRequest?.headers.authorization, `Bearer ${JOB_ACCESS_TOKEN}`);
    restoreEnvironment?.();

    const withoutToken = connectionFor(
      "WorkloadIdentityFederation",
      { serviceprincipalid: FEDERATED_APP.clientId },
      {},
      { SYSTEM_OIDCREQUESTURI: bed.oidc.requestUri },
    );
    assert.throws(() => createCredential(withoutToken, bed.trustingHttp), {
      message: `Service connection '${withoutToken.id}' uses workload identity federation, but the job's access token (System.AccessToken) is not available to the task.`,
    });
  });

  it("reports the OIDC endpoint's status and message when Azure DevOps refuses the job token", async () => {
    const connection = federatedConnection("expired-job-token");

    const credential = createCredential(connection, bed.trustingHttp);

    await assert.rejects(credential.getToken(ARM_SCOPE), (error: Error) => {
      assert.match(
        error.message,
        new RegExp(`Could not get an OIDC token for service connection '${connection.id}' from Azure DevOps \\(${bed.https.origin}\\): HTTP 401: TF400813`),
      );
      return true;
    });
  });

  it("asks the managed identity endpoint for the ARM resource, with the connection's client id", async () => {
    // MSAL picks the managed identity source once per process; AZURE_POD_IDENTITY_AUTHORITY_HOST is its IMDS address override.
    const connection = connectionFor("ManagedServiceIdentity", {}, { msiclientId: "mi-client-id-1" }, { AZURE_POD_IDENTITY_AUTHORITY_HOST: bed.imds.origin });
    const before = bed.imds.requests.length;

    const credential = createCredential(connection, bed.trustingHttp);
    const token = await credential.getToken(ARM_SCOPE);

    assert.ok(credential.inner instanceof ManagedIdentityCredential);
    assert.match(token?.token ?? "", /^mi-access-token-\d+$/);
    const [request] = bed.imds.requests.slice(before);
    assert.ok(request, "IMDS was asked for a token");
    assert.equal(request.method, "GET");
    assert.match(request.url.pathname, new RegExp(`^${IMDS_TOKEN_PATH}/?$`));
    assert.equal(request.headers["metadata"], "true");
    assert.equal(request.url.searchParams.get("api-version"), "2018-02-01");
    assert.equal(request.url.searchParams.get("resource"), "https://management.core.windows.net/");
    assert.equal(request.url.searchParams.get("client_id"), "mi-client-id-1");
  });

  it("cannot reach a local authority without the agent's CA, which proves the CA setting is what trusts it", async () => {
    const connection = connectionFor("ServicePrincipal", { serviceprincipalid: SECRET_APP.clientId, serviceprincipalkey: SECRET_APP.secret });

    const before = bed.https.requests.length;

    const credential = createCredential(connection, {});

    await assert.rejects(credential.getToken(ARM_SCOPE));
    assert.equal(bed.https.requests.length, before, "no request got past the TLS handshake");
  });
});
