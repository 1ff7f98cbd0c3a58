import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalAzure, LocalAzureConnection, startLocalAzure } from "../../local/azure";
import { AgentServiceConnection, agentServiceConnection, ConnectionFlavour, stepWithConnection } from "../../local/runner/serviceConnections";
import { runTaskStep, TaskStepResult } from "../../local/runner/taskProcess";
import type { RecordedRequest } from "../support/httpsTestServer";
import { TestServer } from "../support/httpsTestServer";
import { TestCertificateAuthority } from "../support/testCertificates";
import { ensureTaskBuilt } from "./builtTasks";
import { asTheAgentShowsIt, JWT_SHAPE, leaks, privateKeyLines, registeredBy, ShownLine, writeOutputTee } from "./secretScan";

// The built AzureMLWorkspace task, run as the agent runs it against the local Azure with each
// kind of service connection, and failing in the ways that tempt a task to print a credential:
// a wrong secret, and services that echo the request (its Authorization header, its body) in
// their error. Every line the task writes is read raw, shown as the agent would show it (masked
// with what the agent knows and what the task registered before that line), and searched for
// every secret of the run in every spelling, and for any JWT.
describe("secret probe: no credential in any line of the AzureMLWorkspace task's output", function () {
  this.timeout(300_000);
  let azure: LocalAzure;
  let connection: LocalAzureConnection;
  let echo: TestServer;
  let scratch: string;
  let workDir: string;
  let taskDirectory: string;
  let tee: string;
  let trustedCas: string;
  let runCount = 0;

  before(async () => {
    taskDirectory = ensureTaskBuilt("AzureMLWorkspace");
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-secret-probe-"));
    workDir = path.join(scratch, "sources");
    fs.mkdirSync(path.join(workDir, "agent-temp"), { recursive: true });
    tee = writeOutputTee(scratch);
    azure = await startLocalAzure({ stateDir: path.join(scratch, "state"), provisioningSeconds: 1, retryAfterSeconds: 1 });
    connection = azure.connection;
    // The misbehaving services get their certificate from a CA of the test; the task trusts both.
    const ca = TestCertificateAuthority.create("Secret probe CA");
    echo = await TestServer.start(ca.issueServerCertificate({ dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"] }));
    serveEchoes(echo);
    trustedCas = path.join(scratch, "trusted-cas.pem");
    fs.writeFileSync(trustedCas, `${fs.readFileSync(connection.caCertPath ?? "", "utf8")}\n${ca.certificatePem}`);
  });

  after(async () => {
    await echo?.stop();
    await azure?.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  afterEach(() => {
    assert.deepEqual(azure.violations(), []);
  });

  /** Everything secret in this run's world: what the agent holds, and what the services issued or received. */
  function knownSecrets(extra: readonly string[] = []): string[] {
    const keys = connection.servicePrincipals.flatMap((sp) => (sp.certificatePath ? privateKeyLines(fs.readFileSync(sp.certificatePath, "utf8")) : []));
    const echoed = echo.requests.flatMap(credentialsIn);
    return [...connection.servicePrincipals.map((sp) => sp.clientSecret ?? ""), ...keys, connection.oidc?.accessToken ?? "", ...echoed, ...extra].filter(
      (s) => s.length >= 8,
    );
  }

  interface ProbedRun {
    result: TaskStepResult;
    lines: ShownLine[];
    registered: string[];
    armCalls: number;
  }

  async function probe(
    service: AgentServiceConnection,
    variables: Record<string, string>,
    inputs: Record<string, string> = {},
    environment: Record<string, string> = {},
  ): Promise<ProbedRun> {
    azure.clearRequests();
    runCount += 1;
    const rawFile = path.join(scratch, `raw-output-${runCount}.txt`);
    const step = stepWithConnection(
      {
        taskDirectory,
        inputs,
        variables: {
          "System.Debug": "true",
          "System.DefaultWorkingDirectory": workDir,
          "Agent.TempDirectory": path.join(workDir, "agent-temp"),
          ENVIRONMENT: "DEV",
          LOCATION: connection.location,
          ...variables,
        },
        environment: {
          NODE_EXTRA_CA_CERTS: trustedCas,
          NODE_OPTIONS: `${connection.clientEnvironment.NODE_OPTIONS ?? ""} --require ${tee}`.trim(),
          PROBE_RAW_OUTPUT_FILE: rawFile,
          ...environment,
        },
        timeoutMs: 240_000,
      },
      connection,
      service,
    );
    const result = await runTaskStep(step);
    const raw = fs.existsSync(rawFile) ? fs.readFileSync(rawFile, "utf8") : "";
    assert.ok(raw.includes("##vso[task.complete"), `the raw output was not captured:\n${result.log}`);
    const agentSecrets = [...step.endpoints.flatMap((endpoint) => secretParameters(endpoint.parameters)), ...Object.values(step.secretVariables ?? {})];
    const armCalls = azure.requests().filter((entry) => entry.target === "arm").length;
    return { result, lines: asTheAgentShowsIt(raw, agentSecrets), registered: registeredBy(raw), armCalls };
  }

  function assertNoLeak(run: ProbedRun, extra: readonly string[] = []): void {
    // The task registers its secrets, but a line printed before that is already in the log.
    const found = leaks(run.lines, [...knownSecrets(extra), ...run.registered]);
    assert.deepEqual(found, [], `secrets in the output:\n${found.join("\n")}`);
  }

  function assertOneSentence(run: ProbedRun, expected: RegExp): void {
    assert.equal(run.result.result, "Failed", run.result.log);
    const message = run.result.message ?? "";
    assert.match(message, expected);
    assert.doesNotMatch(message, /\n|\bat .+:\d+:\d+\)?/, "the failure is one sentence, without a stack");
  }

  const flavours: Array<[ConnectionFlavour, string]> = [
    ["secret", "a service principal with a secret"],
    ["certificate", "a service principal with a certificate"],
    ["workloadIdentity", "workload identity federation"],
    ["managedIdentity", "a managed identity"],
  ];
  for (const [flavour, title] of flavours) {
    it(`${title}: a whole provisioning run prints no secret, and masks each access token it gets`, async () => {
      const namespace = `probe${flavour.slice(0, 4).toLowerCase()}`;
      const run = await probe(
        agentServiceConnection(connection, flavour),
        { NAMESPACE: namespace, RESOURCE_GROUP: `rg-probe-${flavour.toLowerCase()}` },
        {
          createResourceGroup: "true",
          computeClusters: "- name: cpu-cluster\n  size: Standard_DS3_v2\n  max_instances: 2",
          writeConfigJson: "true",
        },
      );
      assert.equal(run.result.result, "Succeeded", run.result.log);
      assert.ok(
        run.registered.some((value) => JWT_SHAPE.test(value)),
        "no access token was registered with the agent",
      );
      if (flavour === "workloadIdentity") assert.ok(run.registered.includes(connection.oidc?.accessToken ?? "-"), "the job token was not registered");
      assertNoLeak(run);
    });
  }

  it("with the Azure SDKs' verbose logging on (AZURE_LOG_LEVEL), a certificate sign-in and a run print no secret", async () => {
    const run = await probe(
      agentServiceConnection(connection, "certificate"),
      { NAMESPACE: "probeverbose", RESOURCE_GROUP: "rg-probe-verbose" },
      { createResourceGroup: "true" },
      { AZURE_LOG_LEVEL: "verbose" },
    );
    assert.equal(run.result.result, "Succeeded", run.result.log);
    assert.ok(
      run.lines.some((line) => /azure:identity/.test(line.shown)),
      "the SDK logged nothing: the setting had no effect",
    );
    assertNoLeak(run);
  });

  it("a wrong secret: Entra's refusal in one sentence, no ARM call, no secret", async () => {
    const service = agentServiceConnection(connection, "secret");
    const wrongSecret = "not-the-secret/+=&probe";
    service.endpoints[0].parameters.serviceprincipalkey = wrongSecret;
    const run = await probe(service, { NAMESPACE: "probewrong", RESOURCE_GROUP: "rg-probe-wrong" });
    assertOneSentence(run, /failed: authentication failed: .*AADSTS7000215/);
    assert.equal(run.armCalls, 0, "ARM was called without a token");
    assertNoLeak(run, [wrongSecret]);
  });

  it("an ARM gateway that echoes the Authorization header: the token was masked before it could be printed, and the failure hides it", async () => {
    const before = echo.requests.length;
    const service = agentServiceConnection({ ...connection, armUrl: echo.origin }, "secret");
    const run = await probe(service, { NAMESPACE: "probeecho", RESOURCE_GROUP: "rg-probe-echo" });
    const echoedTokens = echo.requests.slice(before).flatMap(credentialsIn);
    assert.ok(
      echoedTokens.some((token) => JWT_SHAPE.test(token)),
      "the gateway was sent a bearer token",
    );
    assertOneSentence(
      run,
      /failed \(BadGateway, HTTP 400\): The upstream refused the request\. Request was: \w+ \/subscriptions\/\S+ authorization: Bearer \*\*\*/,
    );
    assert.equal(run.armCalls, 0, "the local Azure's ARM was called");
    for (const token of echoedTokens) assert.ok(run.registered.includes(token), "the access token was not registered with the agent");
    assertNoLeak(run);
  });

  for (const flavour of ["certificate", "secret"] as const) {
    it(`an authority that echoes the token request (${flavour}): neither the client assertion nor the secret nor the key is printed`, async () => {
      const before = echo.requests.length;
      const service = agentServiceConnection({ ...connection, authorityUrl: echo.origin }, flavour);
      const run = await probe(service, { NAMESPACE: `probeauth${flavour.slice(0, 4)}`, RESOURCE_GROUP: "rg-probe-authority" });
      const sent = echo.requests
        .slice(before)
        .filter((request) => request.method === "POST")
        .flatMap(credentialsIn);
      assert.ok(sent.length > 0, "the authority was sent a credential");
      assertOneSentence(
        run,
        new RegExp(
          `failed: authentication failed: .*AADSTS7000215: Invalid client\\. Request was: POST .*${flavour === "secret" ? "client_secret" : "client_assertion"}=\\*\\*\\*`,
        ),
      );
      assert.equal(run.armCalls, 0, "ARM was called without a token");
      assertNoLeak(run);
    });
  }

  it("an Azure DevOps OIDC endpoint that echoes the job token: the failure names the endpoint, not the token", async () => {
    const service = agentServiceConnection(connection, "workloadIdentity");
    service.variables["System.OidcRequestUri"] = `${echo.origin}${ECHO_OIDC_PATH}`;
    const run = await probe(service, { NAMESPACE: "probeoidc", RESOURCE_GROUP: "rg-probe-oidc" });
    assertOneSentence(
      run,
      /Could not get an OIDC token for service connection '[^']+' from Azure DevOps \(https:\/\/127\.0\.0\.1:\d+\): HTTP 401: Unauthorized\. POST \S+ authorization: Bearer \*\*\*/,
    );
    assert.equal(run.armCalls, 0, "ARM was called without a token");
    assertNoLeak(run);
  });
});

const ECHO_OIDC_PATH = "/echo/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken";

function echoed(request: RecordedRequest): string {
  return `${request.method} ${request.url.pathname} authorization: ${request.headers.authorization ?? "(none)"} body: ${request.body}`;
}

/** Misbehaving services that answer every request with the request itself: an ARM gateway, an authority, an OIDC endpoint. */
function serveEchoes(server: TestServer): void {
  // 400, not 5xx: the SDKs retry 5xx answers for most of a minute.
  const armEcho = (request: RecordedRequest) => ({
    status: 400,
    body: { error: { code: "BadGateway", message: `The upstream refused the request. Request was: ${echoed(request)}` } },
  });
  for (const method of ["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE"]) server.route(method, /^\/subscriptions\//i, armEcho);
  server.route("GET", /^\/[^/]+\/v2\.0\/\.well-known\/openid-configuration$/, (request) => {
    const tenant = request.url.pathname.split("/")[1];
    const origin = `https://${request.headers.host}`;
    return {
      status: 200,
      body: {
        issuer: `${origin}/${tenant}/v2.0`,
        authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
        token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
        jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
        response_types_supported: ["code"],
      },
    };
  });
  server.route("POST", /^\/[^/]+\/oauth2\/v2\.0\/token$/, (request) => ({
    status: 401,
    body: { error: "invalid_client", error_description: `AADSTS7000215: Invalid client. Request was: ${echoed(request)}`, error_codes: [7000215] },
  }));
  server.route("POST", new RegExp(`^${ECHO_OIDC_PATH}$`), (request) => ({ status: 401, body: `Unauthorized. ${echoed(request)}` }));
}

/** The credentials a request carried: its bearer token, and the secret or assertion of a token request. */
function credentialsIn(request: RecordedRequest): string[] {
  const form = new URLSearchParams(request.body);
  const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? "")?.[1];
  return [bearer, form.get("client_secret"), form.get("client_assertion")].filter((value): value is string => !!value);
}

/** The authorization parameters of an endpoint that the agent treats as secret. */
function secretParameters(parameters: Record<string, string>): string[] {
  const secret = new Set(["serviceprincipalkey", "serviceprincipalcertificate", "accesstoken"]);
  return Object.entries(parameters)
    .filter(([key]) => secret.has(key.toLowerCase()))
    .map(([, value]) => value);
}
