import * as assert from "node:assert/strict";
import { MachineLearningDataPlane } from "../../../tasks/common/src/azure/clients/machineLearningDataPlane";
import { describing } from "../../../tasks/common/src/errors/azureError";
import { silenceTaskLib } from "../../support/taskLibEnvironment";
import { DataPlaneTestBed, RESOURCE_GROUP, SUBSCRIPTION, WORKSPACE } from "./dataPlaneTestBed";

const SIGNATURE = "c2lnbmF0dXJlLW9mLXRoZS1zYXM";

describe("MachineLearningDataPlane", function () {
  this.timeout(20_000);
  let bed: DataPlaneTestBed;
  let unsilence: () => void;

  before(async () => {
    unsilence = silenceTaskLib();
    bed = await DataPlaneTestBed.start();
    bed.serveRunDetails("job-1", () => ({
      status: 200,
      body: {
        runId: "job-1",
        status: "Failed",
        logFiles: { "user_logs/std_log.txt": `${bed.origin}/logs/job-1/std_log.txt?sv=2021-08-06&se=2030-01-01&sp=r&sig=${SIGNATURE}` },
        warnings: [{ message: "The compute was preempted once." }],
        error: { error: { code: "UserError", message: "Execution failed. User process 'python' exited with status code 1." }, correlation: {} },
      },
    }));
    bed.server.route("GET", /^\/logs\/job-1\/std_log\.txt$/, () => ({ status: 200, headers: { "content-type": "text/plain" }, body: "epoch 1\nepoch 2\n" }));
    bed.server.route("GET", /^\/logs\/gone\.txt$/, () => ({
      status: 403,
      body: { error: { code: "AuthenticationFailed", message: "Signature not valid in the specified time frame" } },
    }));
    bed.serveRunDetails("missing", () => ({ status: 404, body: { error: { code: "NotFound", message: "Run missing was not found." } } }));
  });
  after(async () => {
    await bed.stop();
    unsilence();
  });

  function client(discoveryUrl = `${bed.origin}/discovery`): MachineLearningDataPlane {
    return new MachineLearningDataPlane(bed.session(), { subscriptionId: SUBSCRIPTION, resourceGroup: RESOURCE_GROUP, name: WORKSPACE, discoveryUrl });
  }

  it("finds run history through the discovery document once, and reads a run's details with an ARM-audience token", async () => {
    const before = bed.server.requests.length;
    const dataPlane = client();

    const details = await dataPlane.runDetails("job-1");
    await dataPlane.runDetails("job-1");

    assert.equal(details.status, "Failed");
    assert.deepEqual(Object.keys(details.logFiles), ["user_logs/std_log.txt"]);
    assert.deepEqual(details.warnings, ["The compute was preempted once."]);
    assert.deepEqual(details.error, { code: "UserError", message: "Execution failed. User process 'python' exited with status code 1." });

    const requests = bed.server.requests.slice(before);
    assert.deepEqual(
      requests.map((request) => request.url.pathname),
      ["/discovery", bed.runDetailsPath("job-1"), bed.runDetailsPath("job-1")],
    );
    assert.equal(requests[0].headers.authorization, undefined, "the discovery document is public: no token is sent to it");
    assert.equal(requests[1].headers.authorization, "Bearer token-1");
    assert.equal(requests[2].headers.authorization, "Bearer token-1");
    assert.deepEqual([...new Set(bed.credential.scopes)], [`${bed.origin}//.default`], "run history takes the ARM audience");
  });

  it("reads a log file from its SAS URL without a token of its own", async () => {
    const dataPlane = client();
    const details = await dataPlane.runDetails("job-1");
    const text = await dataPlane.downloadText(details.logFiles["user_logs/std_log.txt"]);

    assert.equal(text, "epoch 1\nepoch 2\n");
    const logRequest = bed.server.requestsTo(/^\/logs\/job-1\//).at(-1);
    assert.equal(logRequest?.headers.authorization, undefined, "a SAS URL carries its own authorization");
    assert.equal(logRequest?.url.searchParams.get("sig"), SIGNATURE);
  });

  it("fails a refused log read in one sentence that does not quote the SAS URL", async () => {
    const error = await describing("Reading the job's log", () => client().downloadText(`${bed.origin}/logs/gone.txt?sv=1&sig=${SIGNATURE}`)).catch(
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof Error);
    assert.equal(error.message, "Reading the job's log failed (AuthenticationFailed, HTTP 403): Signature not valid in the specified time frame");
    assert.ok(!error.message.includes(SIGNATURE));
  });

  it("reports run history's 404 with its status, for callers to tell 'not there yet' from a failure", async () => {
    await assert.rejects(client().runDetails("missing"), { statusCode: 404, code: "NotFound", message: "Run missing was not found." });
  });

  it("refuses a discovery document without an 'api' URL, naming the document", async () => {
    bed.server.route("GET", /^\/discovery-empty$/, () => ({ status: 200, body: { history: "x" } }));
    await assert.rejects(client(`${bed.origin}/discovery-empty?tenant=1`).runDetails("job-1"), {
      message: `The workspace's discovery document (${bed.origin}/discovery-empty) names no 'api' service URL.`,
    });
  });

  it("trusts only what the agent trusts: without the agent's CA, the server's certificate is refused", async () => {
    const untrusting = new MachineLearningDataPlane(bed.session({}), {
      subscriptionId: SUBSCRIPTION,
      resourceGroup: RESOURCE_GROUP,
      name: WORKSPACE,
      discoveryUrl: `${bed.origin}/discovery`,
    });
    await assert.rejects(untrusting.api(), /certificate/i);
  });
});
