import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import type { ProvisionReport } from "./clients/provisionWorkspace";
import type { ServingStepReport } from "./clients/onlineServing";
import { groupMembers, pythonWithSklearn } from "./jobRunner/jobTestSupport";
import { LocalAzureFixture, startFixture, stopFixture } from "./support/localAzureFixture";
import { runClient } from "./support/runClient";
import { processGroupsWorkingUnder, scoringRequest, ScoringResponse } from "./support/scoringRequest";

const projectRoot = path.join(__dirname, "..", "..", "..");
const modelOne = path.join(projectRoot, "test", "unit", "azureml", "fixtures", "azureml-examples", "cli", "endpoints", "online", "model-1");
const sampleRequest = JSON.stringify({
  data: [
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    [10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
  ],
});
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What the sample's pickled model predicts for the sample request, computed here without the endpoint. */
function expectedPredictions(python: string): number[] {
  const script = [
    "import json, sys, warnings, joblib",
    "warnings.simplefilter('ignore')",
    "model = joblib.load(sys.argv[1])",
    "print(json.dumps(model.predict(json.loads(sys.argv[2])['data']).tolist()))",
  ].join("\n");
  const result = spawnSync(python, ["-c", script, path.join(modelOne, "model", "sklearn_regression_model.pkl"), sampleRequest], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as number[];
}

async function waitUntil<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 60000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Online deployments that really serve, on a strict local Azure: Microsoft's model-1 sample
 * registered and deployed with the SDK, scored over HTTPS with the endpoint's key, blue/green by
 * traffic and by header, the endpoint's limits, failing scripts, token and Kubernetes endpoints,
 * and a restart.
 */
describe("local Azure: online deployments that serve", function () {
  this.timeout(600000);
  let fixture: LocalAzureFixture | undefined;
  let python: string;
  let deployed: ServingStepReport;
  const step = (name: string) => runClient<ServingStepReport>(fixture!.localAzure, "onlineServing", ["serving", name], 300000);
  const caPath = () => fixture!.localAzure.connection.caCertPath ?? "";
  const score = (uri: string, options: Parameters<typeof scoringRequest>[2] = {}) => scoringRequest(uri, caPath(), options);
  const key = () => deployed.keys?.primaryKey ?? "";

  before(async () => {
    python = pythonWithSklearn().executable;
    fixture = await startFixture("online-serving");
    await runClient<ProvisionReport>(fixture.localAzure, "provisionWorkspace", ["serving"]);
    deployed = await step("deploy");
  });

  after(async () => {
    await stopFixture(fixture);
  });

  it("deploys model-1 from its registered model and code, downloading them as Azure lays them out", () => {
    assert.deepEqual(deployed.states, { blue: "Succeeded", green: "Succeeded" });
    assert.deepEqual(deployed.traffic, { blue: 100 });
    assert.match(deployed.scoringUri ?? "", /^https:\/\/localhost:\d+\/inference\/westeurope\/ep-serve\/score$/);
    const storage = deployed.logs.blueStorage ?? "";
    assert.match(storage, /Downloading code .*\/codes\/model-1-code\/versions\/1/);
    assert.match(
      storage,
      /Downloading model sklearn-regression:1 from azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]+\/model to .*azureml-models\/sklearn-regression\/1\/model/,
    );
    assert.match(storage, /Downloaded 1 model files/);
    assert.match(deployed.logs.blueServer ?? "", /Scoring app listening on http:\/\/127\.0\.0\.1:\d+/);
    assert.equal((deployed.logs.greenLastLine ?? "").split("\n").filter(Boolean).length, 1, "tail returns the last line");
  });

  it("answers a real prediction over HTTPS with the key, naming the deployment and the request id", async () => {
    const requestId = "0b7c4a4e-3f51-4c1e-9a0e-2f7d7f7a1c11";
    const response = await score(deployed.scoringUri ?? "", { body: sampleRequest, credential: key(), headers: { "x-request-id": requestId } });
    assert.equal(response.status, 200, response.text);
    const predictions = response.json as number[];
    const expected = expectedPredictions(python);
    assert.equal(predictions.length, 2);
    predictions.forEach((value, index) => assert.ok(Math.abs(value - expected[index]) < 1e-9, `${value} vs ${expected[index]}`));
    assert.equal(response.headers["azureml-model-deployment"], "blue");
    assert.equal(response.headers["x-request-id"], requestId);
    const secondary = await score(deployed.scoringUri ?? "", {
      body: sampleRequest,
      credential: deployed.keys?.secondaryKey,
      headers: { "x-ms-client-request-id": "run 42/attempt#1_a-b" },
    });
    assert.equal(secondary.status, 200, "the secondary key works too");
    assert.match(secondary.headers["x-request-id"] ?? "", guid, "a request id is made when none is sent");
    assert.equal(secondary.headers["x-ms-client-request-id"], "run42attempt1_a-b", "letters, digits, - and _ only");
  });

  it("refuses a wrong or missing key with 401", async () => {
    const wrong = await score(deployed.scoringUri ?? "", { body: sampleRequest, credential: "not-the-key" });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.text, "key_auth_access_denied");
    const missing = await score(deployed.scoringUri ?? "", { body: sampleRequest });
    assert.equal(missing.status, 401);
    assert.equal(missing.text, "key_auth_bad_header_forbidden");
  });

  it("routes by traffic, and to a deployment at 0 % only when the header names it", async () => {
    for (let index = 0; index < 10; index++) {
      const response = await score(deployed.scoringUri ?? "", { body: sampleRequest, credential: key() });
      assert.equal(response.headers["azureml-model-deployment"], "blue");
    }
    const green = await score(deployed.scoringUri ?? "", {
      body: JSON.stringify({ hello: "green" }),
      credential: key(),
      headers: { "azureml-model-deployment": "green" },
    });
    assert.equal(green.status, 200, green.text);
    assert.deepEqual(green.json, { label: "green", echo: { hello: "green" }, model_files: null });
    assert.equal(green.headers["azureml-model-deployment"], "green");
    const byGet = await score(`${deployed.scoringUri ?? ""}?city=Lyon&n=3`, {
      method: "GET",
      credential: key(),
      headers: { "azureml-model-deployment": "green" },
    });
    assert.equal(byGet.status, 200, byGet.text);
    assert.deepEqual((byGet.json as { echo: unknown }).echo, { city: "Lyon", n: "3" }, "a GET passes the query string as a JSON object");
    const unknown = await score(deployed.scoringUri ?? "", { body: "{}", credential: key(), headers: { "azureml-model-deployment": "red" } });
    assert.equal(unknown.status, 404);
  });

  it("answers 424 with the model's status when run() raises", async () => {
    const response = await score(deployed.scoringUri ?? "", {
      body: JSON.stringify({ fail: "on purpose" }),
      credential: key(),
      headers: { "azureml-model-deployment": "green" },
    });
    assert.equal(response.status, 424, response.text);
    assert.equal(response.headers["ms-azureml-model-error-statuscode"], "500");
    assert.equal(response.headers["ms-azureml-model-error-reason"], "model_error");
    assert.match((response.json as { message?: string }).message ?? "", /scoring script/);
  });

  it("answers 408 past the request timeout and 429 past 2 × maxConcurrentRequestsPerInstance × instances in flight", async () => {
    const slow = (seconds: number) =>
      score(deployed.scoringUri ?? "", { body: JSON.stringify({ sleep: seconds }), credential: key(), headers: { "azureml-model-deployment": "green" } });
    // The app runs one run() at a time, so the two admitted requests queue (within the timeout).
    const burst: ScoringResponse[] = await Promise.all([slow(0.2), slow(0.2), slow(0.2)]);
    const statuses = burst.map((response) => response.status).sort();
    assert.deepEqual(statuses, [200, 200, 429]);
    assert.equal(burst.find((response) => response.status === 429)?.headers["ms-azureml-model-error-reason"], "too_many_pending_request");
    // Last: the model goes on with this request after the endpoint gave up on it.
    const timedOut = await slow(2.5);
    assert.equal(timedOut.status, 408);
  });

  it("fails a deployment whose init() raises, with the traceback in its logs, and leaves traffic where it was", async () => {
    const report = await step("broken");
    // The SDK's poller reports an operation's failure as "…has failed. <code>. <message>".
    assert.match(
      report.refusals.create?.message ?? "",
      /has failed\. ResourceNotReady\. User container has crashed or terminated: The inference server ended with exit code 3/,
    );
    assert.equal(report.states.broken, "Failed");
    assert.match(report.logs.server ?? "", /Traceback/);
    assert.match(report.logs.server ?? "", /RuntimeError: the model file is corrupt/);
    assert.match(report.logs.server ?? "", /loading the model/);
    assert.match(report.logs.storage ?? "", /Downloaded 1 code files/);
    assert.equal(report.refusals.again?.statusCode, 400);
    assert.equal(report.refusals.again?.code, "BadRequest");
    assert.deepEqual(report.traffic, { blue: 100 });
    const stillBlue = await score(deployed.scoringUri ?? "", { body: sampleRequest, credential: key() });
    assert.equal(stillBlue.headers["azureml-model-deployment"], "blue");
  });

  it("fails a deployment whose init() outlasts its readiness probe, and ends its process", async () => {
    const report = await step("slowInit");
    assert.match(
      report.refusals.create?.message ?? "",
      /ResourceNotReady\. .*did not become ready within 3 seconds \(readinessProbe initialDelay PT1S \+ period PT1S × failureThreshold 2\)/,
    );
    assert.equal(report.states.slow, "Failed");
    assert.equal(processGroupsWorkingUnder(path.join(fixture!.stateDir, "online")).length, 2, "blue's and green's: slow's is gone");
  });

  it("scales a deployment with PATCH: its sku's capacity, and twice as many requests in flight", async () => {
    const report = await step("scale");
    assert.equal(report.states.green, "Succeeded");
    assert.equal(report.capacity, 2);
    assert.deepEqual(report.tags, { scaled: "yes" });
    assert.deepEqual(report.deployments, ["Default:Manual"], "ListSkus");
    const slow = () =>
      score(deployed.scoringUri ?? "", { body: JSON.stringify({ sleep: 0.2 }), credential: key(), headers: { "azureml-model-deployment": "green" } });
    const statuses = (await Promise.all([slow(), slow(), slow(), slow(), slow()])).map((response) => response.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 200, 429]);
  });

  it("serves an AMLToken endpoint with its token, then an AADToken endpoint with an Entra token, not with another credential", async () => {
    const report = await step("token");
    assert.equal(report.states.echo, "Succeeded");
    const uri = report.scoringUri ?? "";
    const withToken = await score(uri, { body: JSON.stringify({ n: 1 }), credential: report.token });
    assert.equal(withToken.status, 200, withToken.text);
    assert.equal((withToken.json as { label: string }).label, "token");
    const withKey = await score(uri, { body: "{}", credential: key() });
    assert.equal(withKey.status, 401);
    assert.equal(withKey.text, "aml_token_auth_access_denied");

    const aad = await step("aad");
    assert.equal(aad.states.endpoint, "Succeeded");
    const withEntra = await score(uri, { body: JSON.stringify({ n: 2 }), credential: aad.token });
    assert.equal(withEntra.status, 200, withEntra.text);
    const withOldToken = await score(uri, { body: "{}", credential: report.token });
    assert.equal(withOldToken.status, 401);
  });

  it("keeps the serving process of a deployment whose update fails", async () => {
    const report = await step("badUpdate");
    assert.match(report.refusals.update?.message ?? "", /ResourceNotReady/);
    assert.equal(report.states.echo, "Failed");
    const uri = deployed.scoringUri?.replace("/ep-serve/", "/ep-token/") ?? "";
    const entra = await step("aadToken");
    const response = await score(uri, { body: JSON.stringify({ still: "serving" }), credential: entra.token });
    assert.equal(response.status, 200, response.text);
    assert.equal((response.json as { label: string }).label, "token");
  });

  it("serves a Kubernetes endpoint, which answers 502 when run() raises", async () => {
    const report = await step("kubernetes");
    assert.equal(report.states.echo, "Succeeded");
    const uri = report.scoringUri ?? "";
    const ok = await score(uri, { body: JSON.stringify({ n: 2 }), credential: report.keys?.primaryKey });
    assert.equal(ok.status, 200, ok.text);
    assert.equal((ok.json as { label: string }).label, "k8s");
    const failed = await score(uri, { body: JSON.stringify({ fail: "k8s" }), credential: report.keys?.primaryKey });
    assert.equal(failed.status, 502);
  });

  it("refuses traffic that does not sum to 100 or names no deployment, and deleting a deployment with live traffic", async () => {
    const report = await step("traffic");
    assert.equal(report.refusals.sum90?.statusCode, 400);
    assert.equal(report.refusals.unknown?.statusCode, 400);
    assert.equal(report.refusals.deleteLive?.statusCode, 400);
    assert.match(report.refusals.deleteLive?.message ?? "", /Deployment 'blue' receives 100% .* set its traffic to 0 first/);
    assert.deepEqual(report.deployments, ["broken", "green"]);
    assert.deepEqual(report.traffic, { green: 100 });
    const response = await score(deployed.scoringUri ?? "", { body: JSON.stringify({ after: "blue" }), credential: key() });
    assert.equal(response.headers["azureml-model-deployment"], "green");
  });

  it("deletes an endpoint with its deployments, ending their processes", async () => {
    const onlineDir = path.join(fixture!.stateDir, "online");
    assert.equal(processGroupsWorkingUnder(onlineDir).length, 3, "green's, the token endpoint's and the Kubernetes endpoint's");
    const report = await step("deleteEndpoint");
    assert.equal(report.refusals.gone?.statusCode, 404);
    assert.equal(processGroupsWorkingUnder(onlineDir).length, 2);
  });

  it("leaves no violation and no request strict mode could not match (scoring is not counted)", () => {
    assert.deepEqual(fixture!.localAzure.violations(), []);
    assert.equal(fixture!.localAzure.validationCounts().unmatched, 0);
    assert.ok(fixture!.localAzure.requests().some((entry) => entry.target === "inference" && entry.status === 200));
  });

  it("ends every deployment's process with the local Azure, and serves again after a restart", async () => {
    const onlineDir = path.join(fixture!.stateDir, "online");
    const groups = processGroupsWorkingUnder(onlineDir);
    assert.equal(groups.length, 2, `green's and the token endpoint's: ${JSON.stringify(groups)}`);
    await stopFixture(fixture, false);
    for (const group of groups) assert.deepEqual(groupMembers(group), [], `process group ${group} is gone`);
    assert.deepEqual(processGroupsWorkingUnder(onlineDir), []);

    fixture = await startFixture("online-serving", { stateDir: fixture!.stateDir });
    const report = await step("state");
    assert.deepEqual(report.states, { broken: "Failed", green: "Succeeded" });
    const response = await waitUntil("green serves again", async () => {
      const answer = await score(report.scoringUri ?? "", { body: JSON.stringify({ again: true }), credential: report.keys?.primaryKey });
      return answer.status === 200 ? answer : undefined;
    });
    assert.equal((response.json as { label: string }).label, "green");
    assert.deepEqual(fixture.localAzure.violations(), []);
  });
});
