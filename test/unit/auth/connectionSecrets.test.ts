import * as assert from "node:assert/strict";
import { readServiceConnection } from "../../../tasks/common/src/auth/serviceConnection";
import { endpointEnvironment, type AgentEndpoint } from "../../../local/runner/agentEnvironment";
import { captureTaskLibOutput, loadTaskEnvironment, maskedValues } from "../../support/taskLibEnvironment";
import { createClientCertificate } from "../../support/testCertificates";

const INPUT = "azureSubscription";
let counter = 0;

function endpoint(parameters: Record<string, string>): AgentEndpoint {
  counter += 1;
  return {
    id: `5ec7e75e-0000-4000-8000-${String(counter).padStart(12, "0")}`,
    url: "https://management.azure.com/",
    scheme: "ServicePrincipal",
    parameters: { tenantid: "t-1", serviceprincipalid: "c-1", ...parameters },
    data: { subscriptionId: "s-1" },
  };
}

/** The agent's variables for the endpoint, without or with a broken ENDPOINT_AUTH_<id> JSON. */
function variables(agentEndpoint: AgentEndpoint, authorizationJson?: string): Record<string, string> {
  const environment = { [`INPUT_${INPUT.toUpperCase()}`]: agentEndpoint.id, ...endpointEnvironment(agentEndpoint) };
  if (authorizationJson === undefined) delete environment[`ENDPOINT_AUTH_${agentEndpoint.id}`];
  else environment[`ENDPOINT_AUTH_${agentEndpoint.id}`] = authorizationJson;
  return environment;
}

function printedLines(output: string): string[] {
  return output.split("\n").filter((line) => !line.startsWith("##vso[task.setsecret]"));
}

describe("reading a connection's secrets prints none of them", () => {
  let restore: (() => void) | undefined;
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  it("a certificate given only as ENDPOINT_AUTH_PARAMETER_*: read, its key masked line by line, no line of it printed", async () => {
    const certificate = createClientCertificate("no-json-cert");
    const pem = `${certificate.privateKeyPem}${certificate.certificatePem}`;
    restore = loadTaskEnvironment(variables(endpoint({ authenticationType: "spnCertificate", servicePrincipalCertificate: pem })));

    const { result, output } = await captureTaskLibOutput(() => readServiceConnection(INPUT));

    assert.equal(result.servicePrincipal?.certificatePem, pem.trim());
    const keyLines = certificate.privateKeyPem.split("\n").filter((line) => line.length >= 8 && !line.startsWith("-----"));
    assert.deepEqual(
      keyLines.filter((line) => !maskedValues(output).includes(line)),
      [],
      "a line of the key was not masked",
    );
    assert.deepEqual(
      printedLines(output).filter((line) => keyLines.some((key) => line.includes(key))),
      [],
      "a line of the key was printed",
    );
  });

  it("a secret given only as ENDPOINT_AUTH_PARAMETER_*: read and masked, never printed", async () => {
    restore = loadTaskEnvironment(variables(endpoint({ authenticationType: "spnKey", serviceprincipalkey: "no-json-secret-4e1d" })));

    const { result, output } = await captureTaskLibOutput(() => readServiceConnection(INPUT));

    assert.equal(result.servicePrincipal?.secret, "no-json-secret-4e1d");
    assert.ok(maskedValues(output).includes("no-json-secret-4e1d"));
    assert.deepEqual(
      printedLines(output).filter((line) => line.includes("no-json-secret-4e1d")),
      [],
    );
  });

  it("a broken ENDPOINT_AUTH_<id> JSON: one sentence naming the variable, without the secret task-lib would quote", () => {
    const agentEndpoint = endpoint({ authenticationType: "spnKey", serviceprincipalkey: "broken-json-secret-9b2a" });
    restore = loadTaskEnvironment(variables(agentEndpoint, `{"parameters":{"serviceprincipalkey":"broken-json-secret-9b2a"`));

    assert.throws(() => readServiceConnection(INPUT), {
      message: `The agent gave service connection '${agentEndpoint.id}' an authorization (ENDPOINT_AUTH_${agentEndpoint.id}) that is not valid JSON.`,
    });
  });
});
