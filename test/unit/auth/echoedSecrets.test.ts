import * as assert from "node:assert/strict";
import { createCredential } from "../../../tasks/common/src/auth/credential";
import { registeredSecrets } from "../../../tasks/common/src/auth/secretMasking";
import { readServiceConnection } from "../../../tasks/common/src/auth/serviceConnection";
import { resourceClient } from "../../../tasks/common/src/azure/clients/armClients";
import { describing } from "../../../tasks/common/src/errors/azureError";
import { failTask } from "../../../tasks/common/src/errors/failTask";
import { httpPipelineOptions } from "../../../tasks/common/src/http/clientOptions";
import type { RecordedRequest, TestResponse } from "../../support/httpsTestServer";
import { captureTaskLibOutput, loadTaskEnvironment, maskedValues, silenceTaskLib } from "../../support/taskLibEnvironment";
import { createClientCertificate } from "../../support/testCertificates";
import { AuthTestBed, CERTIFICATE_APP, FEDERATED_APP, localEndpoint, SECRET_APP, systemConnectionVariables, taskVariables } from "./authTestBed";

const ARM_SCOPE = "https://management.core.windows.net//.default";
const SUBSCRIPTION = "aaaaaaaa-0000-4000-8000-000000000000";
// A directory whose every endpoint is a misbehaving gateway: it answers with what it was sent.
const ECHO_TENANT = "7d3a4b1c-0000-4000-8000-0000000ecec0";
const ECHO_OIDC_PATH = "/echo/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken";
const JWT_SHAPE = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/;

function echoed(request: RecordedRequest): string {
  return `${request.method} ${request.url.pathname} authorization: ${request.headers.authorization ?? "(none)"} body: ${request.body}`;
}

/** The lines of task-lib output that are not the masking commands themselves. */
function printedLines(output: string): string[] {
  return output.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("##vso[task.setsecret]"));
}

/** The index of the first setsecret line for `secret`, and of the first other line that holds it. */
function firstLines(output: string, secret: string): { masked: number; printed: number } {
  const lines = output.split("\n");
  return {
    masked: lines.findIndex((line) => line.startsWith("##vso[task.setsecret]") && maskedValues(line).includes(secret)),
    printed: lines.findIndex((line) => line.includes(secret) && !line.startsWith("##vso[task.setsecret]")),
  };
}

function completionMessage(output: string): string {
  return /##vso\[task\.complete result=Failed;\](.*)/.exec(output)?.[1] ?? "";
}

describe("secrets a service echoes back never reach the log", function () {
  this.timeout(20_000);
  let bed: AuthTestBed;
  let restoreEnvironment: (() => void) | undefined;
  let unsilence: () => void;

  before(async () => {
    unsilence = silenceTaskLib();
    bed = await AuthTestBed.start();
    const echo =
      (status: number) =>
      (request: RecordedRequest): TestResponse => ({
        status,
        body: { error: { code: "BadGateway", message: `The upstream refused the request. Request was: ${echoed(request)}` } },
      });
    bed.https.route("GET", /^\/subscriptions\/[^/]+\/resourcegroups\/rg-echo$/i, echo(400));
    bed.https.route("GET", new RegExp(`^/${ECHO_TENANT}/v2\\.0/\\.well-known/openid-configuration$`), () => ({
      status: 200,
      body: {
        issuer: `${bed.https.origin}/${ECHO_TENANT}/v2.0`,
        authorization_endpoint: `${bed.https.origin}/${ECHO_TENANT}/oauth2/v2.0/authorize`,
        token_endpoint: `${bed.https.origin}/${ECHO_TENANT}/oauth2/v2.0/token`,
        jwks_uri: `${bed.https.origin}/${ECHO_TENANT}/discovery/v2.0/keys`,
        response_types_supported: ["code"],
      },
    }));
    bed.https.route("POST", new RegExp(`^/${ECHO_TENANT}/oauth2/v2\\.0/token$`), (request) => ({
      status: 401,
      body: { error: "invalid_client", error_description: `AADSTS7000215: Invalid client. Request was: ${echoed(request)}`, error_codes: [7000215] },
    }));
    bed.https.route("POST", new RegExp(`^${ECHO_OIDC_PATH}$`), (request) => ({ status: 401, body: `Unauthorized. ${echoed(request)}` }));
  });
  after(async () => {
    await bed.stop();
    unsilence();
  });
  afterEach(() => {
    restoreEnvironment?.();
    restoreEnvironment = undefined;
  });

  function connection(tenantid: string, scheme: string, parameters: Record<string, string>, extra: Record<string, string> = {}) {
    const endpoint = localEndpoint(bed.https.origin, scheme, { ...parameters, tenantid }, {});
    restoreEnvironment = loadTaskEnvironment(taskVariables(endpoint, extra));
    return readServiceConnection("azureSubscription");
  }

  /** What the task prints when `action` fails: the masking commands, the debug stack, the error and the result. */
  async function failingRun(action: string, call: () => Promise<unknown>): Promise<string> {
    const { output } = await captureTaskLibOutput(async () => {
      try {
        await describing(action, call);
        assert.fail("the call should have failed");
      } catch (error) {
        failTask(error);
      }
    });
    return output;
  }

  it("an ARM gateway that echoes the Authorization header: the bearer token was masked before the call, and is not in the failure", async () => {
    const sp = connection("7d3a4b1c-0000-4000-8000-00000000aaaa", "ServicePrincipal", {
      serviceprincipalid: SECRET_APP.clientId,
      serviceprincipalkey: SECRET_APP.secret,
    });
    const before = bed.https.requests.length;
    const client = resourceClient({
      credential: createCredential(sp, bed.trustingHttp),
      subscriptionId: SUBSCRIPTION,
      armUrl: bed.https.origin,
      scopes: [ARM_SCOPE],
      pipeline: httpPipelineOptions(bed.trustingHttp),
    });

    const output = await failingRun("Reading resource group 'rg-echo'", () => client.resourceGroups.get("rg-echo"));

    const armCall = bed.https.requests.slice(before).find((request) => /resourcegroups\/rg-echo$/i.test(request.url.pathname));
    const token = armCall?.headers.authorization?.replace(/^Bearer /, "");
    assert.ok(token, "ARM was called with a bearer token");
    const { masked, printed } = firstLines(output, token);
    // Each test bed counts its tokens from 1: one of another test in this process may be registered already.
    assert.ok(masked >= 0 || registeredSecrets().includes(token), "the token was registered with the agent");
    assert.equal(printed, -1, `the token was printed:\n${output}`);
    assert.match(
      completionMessage(output),
      /^Reading resource group 'rg-echo' failed \(BadGateway, HTTP 400\): The upstream refused the request\. Request was: GET \/subscriptions\/[^ ]+ authorization: Bearer \*\*\* body:$/,
    );
  });

  it("an authority that echoes the token request of a certificate sign-in: neither the signed assertion nor the key is printed", async () => {
    const certificate = createClientCertificate("echo-cert");
    const sp = connection(ECHO_TENANT, "ServicePrincipal", {
      serviceprincipalid: CERTIFICATE_APP.clientId,
      authenticationType: "spnCertificate",
      servicePrincipalCertificate: `${certificate.privateKeyPem}${certificate.certificatePem}`,
    });
    const before = bed.https.requests.length;
    const credential = createCredential(sp, bed.trustingHttp);

    const output = await failingRun("Reading workspace 'w'", () => credential.getToken(ARM_SCOPE));

    const tokenRequest = bed.https.requests.slice(before).find((request) => request.method === "POST");
    const assertion = new URLSearchParams(tokenRequest?.body).get("client_assertion");
    assert.ok(assertion && JWT_SHAPE.test(assertion), "the authority received a signed assertion, and echoed it");
    for (const line of printedLines(output)) {
      assert.doesNotMatch(line, JWT_SHAPE, "a JWT was printed");
      assert.ok(!line.includes(assertion), "the assertion was printed");
    }
    const keyLines = certificate.privateKeyPem.split("\n").filter((line) => line.length >= 8 && !line.startsWith("-----"));
    assert.deepEqual(
      keyLines.filter((line) => printedLines(output).some((printed) => printed.includes(line))),
      [],
      "a line of the private key was printed",
    );
    assert.match(
      completionMessage(output),
      /^Reading workspace 'w' failed: authentication failed: .*AADSTS7000215: Invalid client\. Request was: POST .*client_assertion=\*\*\*/,
    );
  });

  it("an authority that echoes the token request of a secret sign-in: the secret is printed in no spelling", async () => {
    const secret = "echo secret/+=&7";
    const reading = await captureTaskLibOutput(() =>
      connection(ECHO_TENANT, "ServicePrincipal", { serviceprincipalid: SECRET_APP.clientId, serviceprincipalkey: secret }),
    );
    const credential = createCredential(reading.result, bed.trustingHttp);

    const output = reading.output + (await failingRun("Reading workspace 'w'", () => credential.getToken(ARM_SCOPE)));

    const spellings = [secret, encodeURIComponent(secret), new URLSearchParams({ v: secret }).toString().slice(2)];
    for (const spelling of spellings) {
      const { masked, printed } = firstLines(output, spelling);
      assert.ok(masked >= 0, `'${spelling}' was not registered with the agent`);
      assert.equal(printed, -1, `'${spelling}' was printed:\n${output}`);
    }
    assert.match(
      completionMessage(output),
      /^Reading workspace 'w' failed: authentication failed: .*AADSTS7000215: Invalid client\. Request was: POST .*client_secret=\*\*\*/,
    );
  });

  it("an OIDC endpoint that echoes the job token: the failure names the endpoint and status, not the token", async () => {
    const jobToken = "echo-job-token-5a1c";
    const federated = connection(
      "7d3a4b1c-0000-4000-8000-00000000aaaa",
      "WorkloadIdentityFederation",
      { serviceprincipalid: FEDERATED_APP.clientId },
      {
        SYSTEM_OIDCREQUESTURI: `${bed.https.origin}${ECHO_OIDC_PATH}`,
        ...systemConnectionVariables(jobToken),
      },
    );

    const output = await failingRun("Reading workspace 'w'", async () => createCredential(federated, bed.trustingHttp).getToken(ARM_SCOPE));

    assert.deepEqual(
      printedLines(output).filter((line) => line.includes(jobToken)),
      [],
      "the job token was printed",
    );
    assert.match(
      completionMessage(output),
      /Could not get an OIDC token for service connection '[^']+' from Azure DevOps \(https:\/\/127\.0\.0\.1:\d+\): HTTP 401: Unauthorized\. POST \/echo\/[^ ]+ authorization: Bearer \*\*\*/,
    );
  });
});
