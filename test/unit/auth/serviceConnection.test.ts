import * as assert from "node:assert/strict";
import { readServiceConnection } from "../../../tasks/common/src/auth/serviceConnection";
import { endpointEnvironment, type AgentEndpoint } from "../../../local/runner/agentEnvironment";
import { captureTaskLibOutput, loadTaskEnvironment, maskedValues, silenceTaskLib } from "../../support/taskLibEnvironment";
import { createClientCertificate } from "../../support/testCertificates";

const INPUT = "azureSubscription";
let endpointCounter = 0;

// Each test gets its own endpoint id, so nothing one test leaves in task-lib's vault can leak into another.
function endpoint(overrides: Partial<AgentEndpoint> = {}): AgentEndpoint {
  endpointCounter += 1;
  return {
    id: `0b7c5a2e-0000-4000-8000-${String(endpointCounter).padStart(12, "0")}`,
    url: "https://management.azure.com/",
    scheme: "ServicePrincipal",
    parameters: {
      tenantid: "72f988bf-86f1-41af-91ab-2d7cd011db47",
      serviceprincipalid: "11111111-2222-3333-4444-555555555555",
      authenticationType: "spnKey",
      serviceprincipalkey: "sp-secret-value-1",
    },
    data: {
      environment: "AzureCloud",
      scopeLevel: "Subscription",
      subscriptionId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
      subscriptionName: "ML Dev",
      environmentAuthorityUrl: "https://login.windows.net/",
      activeDirectoryServiceEndpointResourceId: "https://management.core.windows.net/",
    },
    ...overrides,
  };
}

describe("readServiceConnection", () => {
  let restore: (() => void) | undefined;
  let unsilence: () => void;
  before(() => (unsilence = silenceTaskLib()));
  after(() => unsilence());
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  function given(agentEndpoint: AgentEndpoint, variables: Record<string, string> = {}): void {
    restore = loadTaskEnvironment({ [`INPUT_${INPUT.toUpperCase()}`]: agentEndpoint.id, ...endpointEnvironment(agentEndpoint), ...variables });
  }

  it("reads a service principal connection with a secret, as the agent hands it over", async () => {
    const agentEndpoint = endpoint({
      data: {
        environment: "AzureCloud",
        scopeLevel: "AzureMLWorkspace",
        subscriptionId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        subscriptionName: "ML Dev",
        resourceGroupName: "rg-mlops-dev",
        mlWorkspaceName: "amlmlopsdev",
        mlWorkspaceLocation: "westeurope",
        environmentAuthorityUrl: "https://login.windows.net/",
        activeDirectoryServiceEndpointResourceId: "https://management.core.windows.net/",
      },
    });
    given(agentEndpoint);

    const { result: connection, output } = await captureTaskLibOutput(() => readServiceConnection(INPUT));

    assert.deepEqual(connection, {
      id: agentEndpoint.id,
      scheme: "ServicePrincipal",
      tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
      subscriptionId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
      subscriptionName: "ML Dev",
      armUrl: "https://management.azure.com",
      authorityUrl: "https://login.windows.net",
      tokenAudience: "https://management.core.windows.net/",
      cloud: "AzureCloud",
      scopeLevel: "AzureMLWorkspace",
      mlWorkspaceName: "amlmlopsdev",
      resourceGroupName: "rg-mlops-dev",
      mlWorkspaceLocation: "westeurope",
      servicePrincipal: { clientId: "11111111-2222-3333-4444-555555555555", secret: "sp-secret-value-1" },
    });
    assert.deepEqual(maskedValues(output), ["sp-secret-value-1"]);
    const unmaskedLines = output.split("\n").filter((line) => !line.includes("task.setsecret"));
    assert.ok(!unmaskedLines.some((line) => line.includes("sp-secret-value-1")), "the secret must not be written anywhere else, debug log included");
  });

  it("falls back to the public cloud's authority, audience and name when the connection does not give them", () => {
    given(endpoint({ data: {} }));

    const connection = readServiceConnection(INPUT);

    assert.equal(connection.authorityUrl, "https://login.microsoftonline.com");
    assert.equal(connection.tokenAudience, "https://management.core.windows.net/");
    assert.equal(connection.cloud, "AzureCloud");
    assert.equal(connection.subscriptionId, "");
    assert.equal(connection.scopeLevel, undefined);
  });

  it("takes activeDirectoryAuthority when environmentAuthorityUrl is absent, and an unknown ARM URL as its own audience", () => {
    given(endpoint({ url: "https://arm.local.test:8443/", data: { activeDirectoryAuthority: "https://login.local.test:8443/" } }));

    const connection = readServiceConnection(INPUT);

    assert.equal(connection.armUrl, "https://arm.local.test:8443");
    assert.equal(connection.authorityUrl, "https://login.local.test:8443");
    assert.equal(connection.tokenAudience, "https://arm.local.test:8443/");
  });

  it("reads a certificate connection and masks every line of its private key", async () => {
    const certificate = createClientCertificate("sp-cert");
    const pem = `${certificate.privateKeyPem}${certificate.certificatePem}`;
    given(endpoint({ parameters: { tenantid: "t-1", serviceprincipalid: "c-1", authenticationType: "spnCertificate", servicePrincipalCertificate: pem } }));

    const { result: connection, output } = await captureTaskLibOutput(() => readServiceConnection(INPUT));

    assert.deepEqual(connection.servicePrincipal, { clientId: "c-1", certificatePem: pem.trim() });
    const keyLines = certificate.privateKeyPem.split("\n").filter((line) => line.length >= 8 && !line.startsWith("-----"));
    const masked = maskedValues(output);
    assert.deepEqual(
      keyLines.filter((line) => !masked.includes(line)),
      [],
      "every line of the private key is masked",
    );
    const spellings = keyLines.flatMap((line) => [line, encodeURIComponent(line), new URLSearchParams({ v: line }).toString().slice(2)]);
    assert.deepEqual(
      masked.filter((value) => !spellings.includes(value)),
      [],
      "only the key is masked: the certificate is public",
    );
  });

  it("reads workload identity federation and managed identity connections, which carry no secret", () => {
    given(endpoint({ scheme: "WorkloadIdentityFederation", parameters: { tenantid: "t-2", serviceprincipalid: "c-2" } }));
    const federated = readServiceConnection(INPUT);
    restore?.();

    given(endpoint({ scheme: "ManagedServiceIdentity", parameters: { tenantid: "t-3" }, data: { msiclientId: "mi-client-3" } }));
    const managed = readServiceConnection(INPUT);

    assert.equal(federated.scheme, "WorkloadIdentityFederation");
    assert.deepEqual(federated.workloadIdentity, { clientId: "c-2" });
    assert.equal(federated.servicePrincipal, undefined);
    assert.equal(managed.scheme, "ManagedServiceIdentity");
    assert.deepEqual(managed.managedIdentity, { clientId: "mi-client-3" });
    assert.equal(managed.tenantId, "t-3");
  });

  it("accepts the scheme in any case, and takes a connection without one as a service principal", () => {
    given(endpoint({ scheme: "serviceprincipal" }));
    assert.equal(readServiceConnection(INPUT).scheme, "ServicePrincipal");
    restore?.();

    const withoutScheme = endpoint();
    const variables = endpointEnvironment(withoutScheme);
    delete variables[`ENDPOINT_AUTH_SCHEME_${withoutScheme.id}`];
    restore = loadTaskEnvironment({ INPUT_AZURESUBSCRIPTION: withoutScheme.id, ...variables });
    assert.equal(readServiceConnection(INPUT).scheme, "ServicePrincipal");
  });

  describe("fails with one sentence naming the input and what is wrong", () => {
    it("when the input is missing", () => {
      restore = loadTaskEnvironment({});
      assert.throws(() => readServiceConnection(INPUT), {
        message: "Input 'azureSubscription' is required: set it to an Azure Resource Manager service connection.",
      });
    });

    it("when the scheme is not supported", () => {
      const agentEndpoint = endpoint({ scheme: "PublishProfile" });
      given(agentEndpoint);
      assert.throws(() => readServiceConnection(INPUT), {
        message: `Service connection '${agentEndpoint.id}' (input 'azureSubscription') uses the authentication scheme 'PublishProfile', which these tasks do not support; supported schemes: ServicePrincipal, WorkloadIdentityFederation, ManagedServiceIdentity.`,
      });
    });

    it("when the service principal key is missing", () => {
      const agentEndpoint = endpoint({ parameters: { tenantid: "t", serviceprincipalid: "c", authenticationType: "spnKey" } });
      given(agentEndpoint);
      assert.throws(() => readServiceConnection(INPUT), {
        message: `Service connection '${agentEndpoint.id}' (input 'azureSubscription') has no service principal key.`,
      });
    });

    it("when the tenant or the client id is missing", () => {
      const noTenant = endpoint({ parameters: { serviceprincipalid: "c", serviceprincipalkey: "k" } });
      given(noTenant);
      assert.throws(() => readServiceConnection(INPUT), { message: `Service connection '${noTenant.id}' (input 'azureSubscription') has no tenant id.` });
      restore?.();

      const noClient = endpoint({ scheme: "WorkloadIdentityFederation", parameters: { tenantid: "t" } });
      given(noClient);
      assert.throws(() => readServiceConnection(INPUT), {
        message: `Service connection '${noClient.id}' (input 'azureSubscription') has no service principal (application) id.`,
      });
    });

    it("when the certificate holds no private key, or the authentication type is unknown", () => {
      const certificate = createClientCertificate("no-key");
      const noKey = endpoint({
        parameters: { tenantid: "t", serviceprincipalid: "c", authenticationType: "spnCertificate", servicePrincipalCertificate: certificate.certificatePem },
      });
      given(noKey);
      assert.throws(
        () => readServiceConnection(INPUT),
        /has a service principal certificate that is not a PEM holding both the certificate and its private key\.$/,
      );
      restore?.();

      given(endpoint({ parameters: { tenantid: "t", serviceprincipalid: "c", authenticationType: "spnPassword" } }));
      assert.throws(
        () => readServiceConnection(INPUT),
        /has the service principal authentication type 'spnPassword'; supported types: spnKey \(secret\), spnCertificate \(certificate\)\.$/,
      );
    });

    it("when the agent gave no URL for the connection", () => {
      const agentEndpoint = endpoint();
      const variables = endpointEnvironment(agentEndpoint);
      delete variables[`ENDPOINT_URL_${agentEndpoint.id}`];
      restore = loadTaskEnvironment({ INPUT_AZURESUBSCRIPTION: agentEndpoint.id, ...variables });
      assert.throws(() => readServiceConnection(INPUT), {
        message: `Service connection '${agentEndpoint.id}' (input 'azureSubscription') was not found: the agent gave no URL for it. Check the connection exists and this pipeline may use it.`,
      });
    });
  });
});
