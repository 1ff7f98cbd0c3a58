import assert from "node:assert/strict";
import { LocalAzureConnection } from "../../local/azure/connection/connectionInfo";
import { discoveryUrl } from "../../local/azure/services/machinelearning/dataplane/discovery";
import { RunRecord } from "../../local/azure/services/machinelearning/dataplane/runStore";
import { LocalAzureFixture, startFixture, stopFixture } from "./support/localAzureFixture";
import { armToken, rawRequest, requestHead, RawResponse, RawTarget, rawTarget } from "./support/rawHttps";

async function tokenFor(target: RawTarget, connection: LocalAzureConnection, scope: string): Promise<string> {
  const principal = connection.servicePrincipals.find((candidate) => candidate.clientSecret !== undefined && candidate.scopeLevel === "Subscription");
  if (!principal?.clientSecret) throw new Error("connection.json has no subscription principal with a secret");
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: principal.clientId,
    client_secret: principal.clientSecret,
    scope,
  }).toString();
  const response = await rawRequest(
    target,
    requestHead("POST", `/${connection.tenantId}/oauth2/v2.0/token`, { "Content-Type": "application/x-www-form-urlencoded" }, Buffer.byteLength(form)),
    form,
  );
  const token = (response.json as { access_token?: string } | undefined)?.access_token;
  if (!token) throw new Error(`no token for ${scope}: ${response.status} ${response.text}`);
  return token;
}

function get(target: RawTarget, path: string, token?: string): Promise<RawResponse> {
  return rawRequest(target, requestHead("GET", path, token === undefined ? {} : { Authorization: `Bearer ${token}` }));
}

/** The data plane's {error:{code, message, innererror:{code}}}, or a failure naming what came instead. */
function dataPlaneError(response: RawResponse): { code: string; inner: string | undefined } {
  const error = (response.json as { error?: { code?: unknown; message?: unknown; innererror?: { code?: unknown } } } | undefined)?.error;
  if (typeof error?.code !== "string" || typeof error.message !== "string")
    throw new Error(`not the data plane's error shape: ${response.status} ${response.text.slice(0, 300)}`);
  return { code: error.code, inner: typeof error.innererror?.code === "string" ? error.innererror.code : undefined };
}

describe("local Azure: the Azure ML data plane", function () {
  this.timeout(120000);
  let fixture: LocalAzureFixture | undefined;
  let target: RawTarget;
  let mlToken: string;
  let workspacePath: string;
  let workspaceId: string;

  const runPath = (runId: string, query = "?api-version=v1.0") => `/history/v1.0${workspacePath}/runs/${runId}/details${query}`;

  before(async () => {
    fixture = await startFixture("dataplane");
    const connection = fixture.localAzure.connection;
    target = rawTarget(connection);
    mlToken = await tokenFor(target, connection, "https://ml.azure.com/.default");
    workspacePath = `/subscriptions/${connection.subscriptionId}/resourceGroups/rg-runs/providers/Microsoft.MachineLearningServices/workspaces/ws-runs`;
    workspaceId = workspacePath;
  });

  after(async () => {
    await stopFixture(fixture);
  });

  afterEach(() => {
    fixture?.localAzure.setFaults(undefined);
  });

  function putRun(runId: string, logFiles: Record<string, string> = {}): RunRecord {
    const run: RunRecord = {
      runId,
      workspaceId: workspaceId.toUpperCase(),
      status: "Failed",
      createdTimeUtc: "2026-01-01T10:00:00.000Z",
      startTimeUtc: "2026-01-01T10:00:05.000Z",
      endTimeUtc: "2026-01-01T10:01:00.000Z",
      error: { code: "UserError", message: "train.py exited with code 1" },
      target: "cpu-cluster",
      logFiles,
    };
    fixture!.localAzure.runs.putRun(run);
    return run;
  }

  it("serves a run put into the store, its log files behind signed URLs, and its answer satisfies run-history.json (with and without api-version)", async () => {
    const localAzure = fixture!.localAzure;
    localAzure.runs.putFile("runs/run-1/user_logs/std_log.txt", "Traceback: boom\n");
    putRun("run-1", { "user_logs/std_log.txt": "runs/run-1/user_logs/std_log.txt" });
    const before = localAzure.validationCounts();
    for (const query of ["?api-version=v1.0", ""]) {
      const response = await get(target, runPath("run-1", query), mlToken);
      assert.equal(response.status, 200, response.text);
      const details = response.json as {
        runId: string;
        status: string;
        endTimeUtc: string;
        error: { error: { message: string } };
        logFiles: Record<string, string>;
      };
      assert.equal(details.runId, "run-1");
      assert.equal(details.status, "Failed");
      assert.equal(details.endTimeUtc, "2026-01-01T10:01:00.000Z");
      assert.equal(details.error.error.message, "train.py exited with code 1");
      const logUrl = new URL(details.logFiles["user_logs/std_log.txt"]);
      assert.equal(logUrl.origin, new URL(localAzure.connection.armUrl).origin);
      const log = await get(target, logUrl.pathname + logUrl.search);
      assert.equal(log.status, 200, log.text);
      assert.equal(log.text, "Traceback: boom\n");
    }
    const after = localAzure.validationCounts();
    assert.equal(after.validated - before.validated, 2, JSON.stringify({ before, after }));
    assert.equal(after.refused, before.refused);
    assert.equal(after.unmatched, before.unmatched);
    assert.deepEqual(localAzure.violations(), []);
  });

  it("answers 404 in the data plane's error shape for an unknown run", async () => {
    const response = await get(target, runPath("no-such-run"), mlToken);
    assert.equal(response.status, 404, response.text);
    assert.deepEqual(dataPlaneError(response), { code: "UserError", inner: "NotFoundError" });
    assert.equal(response.headers["x-ms-error-code"], "NotFoundError");
    assert.deepEqual(fixture!.localAzure.violations(), []);
  });

  it("refuses an api-version run history does not have (strict), counted as unmatched", async () => {
    putRun("run-version");
    const before = fixture!.localAzure.validationCounts();
    const response = await get(target, runPath("run-version", "?api-version=2099-01-01"), mlToken);
    assert.equal(response.status, 400, response.text);
    assert.equal(dataPlaneError(response).code, "ValidationError");
    assert.equal(fixture!.localAzure.validationCounts().unmatched, before.unmatched + 1);
  });

  it("takes tokens for Azure ML (and ARM), and refuses a missing token or one for another audience", async () => {
    putRun("run-auth");
    const connection = fixture!.localAzure.connection;
    assert.equal((await get(target, runPath("run-auth"), await armToken(target, connection))).status, 200);
    const missing = await get(target, runPath("run-auth"));
    assert.equal(missing.status, 401, missing.text);
    assert.deepEqual(dataPlaneError(missing), { code: "UserError", inner: "AuthenticationFailed" });
    const storageToken = await tokenFor(target, connection, "https://storage.azure.com/.default");
    const wrongAudience = await get(target, runPath("run-auth"), storageToken);
    assert.equal(wrongAudience.status, 401, wrongAudience.text);
    assert.deepEqual(dataPlaneError(wrongAudience), { code: "UserError", inner: "AuthenticationFailed" });
    assert.match(wrongAudience.text, /storage\.azure\.com/);
  });

  describe("signed file URLs", () => {
    const filePath = "runs/run-files/user_logs/std_log.txt";
    const pathOf = (url: string) => {
      const parsed = new URL(url);
      return parsed.pathname + parsed.search;
    };

    before(() => {
      fixture!.localAzure.runs.putFile(filePath, "epoch 1: loss 0.5\n");
    });

    it("serves the file without a token when the signature holds", async () => {
      const response = await get(target, pathOf(fixture!.localAzure.fileUrls.url(filePath, new Date(Date.now() + 60_000))));
      assert.equal(response.status, 200, response.text);
      assert.equal(response.text, "epoch 1: loss 0.5\n");
    });

    it("refuses a tampered signature, a tampered path and an expired URL with 403", async () => {
      const url = new URL(fixture!.localAzure.fileUrls.url(filePath, new Date(Date.now() + 60_000)));
      const signature = url.searchParams.get("sig") ?? "";
      const tampered = new URL(url);
      tampered.searchParams.set("sig", (signature.startsWith("A") ? "B" : "A") + signature.slice(1));
      const otherPath = new URL(url);
      otherPath.pathname = otherPath.pathname.replace("std_log", "secret_log");
      const longer = new URL(url);
      longer.searchParams.set("se", new Date(Date.now() + 86_400_000).toISOString());
      const expired = fixture!.localAzure.fileUrls.url(filePath, new Date(Date.now() - 1000));
      for (const candidate of [tampered.toString(), otherPath.toString(), longer.toString(), expired]) {
        const response = await get(target, pathOf(candidate));
        assert.equal(response.status, 403, `${candidate}: ${response.text}`);
        assert.deepEqual(dataPlaneError(response), { code: "UserError", inner: "AuthorizationFailed" });
      }
      const unsigned = await get(target, `/azureml/files/${filePath}`);
      assert.equal(unsigned.status, 403, unsigned.text);
    });
  });

  it("serves the discovery document a workspace's discoveryUrl names, pointing at this server", async () => {
    const connection = fixture!.localAzure.connection;
    const base = new URL(connection.armUrl).origin;
    const url = new URL(discoveryUrl(base, connection.location));
    const response = await get(target, url.pathname);
    assert.equal(response.status, 200, response.text);
    const document = response.json as Record<string, string>;
    assert.equal(document.api, base);
    assert.equal(document.history, base);
  });

  describe("the request chain's order", () => {
    it("applies a data-plane fault before authentication, and the request log records it", async () => {
      const localAzure = fixture!.localAzure;
      localAzure.setFaults({ rules: [{ kind: "serviceUnavailable", target: "azureml", operationId: "Runs_GetDetails", times: 1, retryAfterSeconds: 2 }] });
      localAzure.clearRequests();
      const response = await get(target, runPath("run-1"));
      assert.equal(response.status, 503, response.text);
      assert.equal(response.headers["retry-after"], "2");
      assert.equal(dataPlaneError(response).code, "TransientError");
      const [entry] = localAzure.requests();
      assert.equal(entry.target, "azureml");
      assert.equal(entry.operationId, "Runs_GetDetails");
      assert.equal(entry.status, 503);
      assert.equal(entry.fault, "serviceUnavailable");
      assert.equal(entry.principal, undefined);
    });

    it("lets the data plane act before an afterProcessing fault replaces its answer", async () => {
      const localAzure = fixture!.localAzure;
      putRun("run-after");
      localAzure.setFaults({ rules: [{ kind: "internalError", target: "azureml", operationId: "Runs_GetDetails", times: 1, afterProcessing: true }] });
      localAzure.clearRequests();
      const response = await get(target, runPath("run-after"), mlToken);
      assert.equal(response.status, 500, response.text);
      const [entry] = localAzure.requests();
      assert.equal(entry.fault, "internalError after processing");
      assert.ok(entry.principal, "authentication ran before the fault replaced the answer");
    });

    it("applies an ARM fault before authentication, and the request log records it", async () => {
      const localAzure = fixture!.localAzure;
      const connection = localAzure.connection;
      localAzure.setFaults({ rules: [{ kind: "throttle", operationId: "ResourceGroups_List", times: 1 }] });
      localAzure.clearRequests();
      const response = await get(target, `/subscriptions/${connection.subscriptionId}/resourcegroups?api-version=2024-03-01`);
      assert.equal(response.status, 429, response.text);
      const [entry] = localAzure.requests();
      assert.equal(entry.target, "arm");
      assert.equal(entry.fault, "throttle");
      assert.equal(entry.status, 429);
      const unauthenticated = await get(target, `/subscriptions/${connection.subscriptionId}/resourcegroups?api-version=2024-03-01`);
      assert.equal(unauthenticated.status, 401, "without the fault, authentication refuses the same request");
    });
  });
});
