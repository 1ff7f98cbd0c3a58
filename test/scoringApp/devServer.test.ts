import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  Answer,
  AppProcess,
  appEnvironment,
  appFolder,
  exitWithoutListening,
  freePort,
  model1Prediction,
  model1Request,
  model1Sample,
  scoringFixtures,
  scoringPython,
  send,
  startDevServer,
  startProcess,
} from "./scoringAppSupport";

// The scoring app's contract (SCORING-APP-CONTRACT.md) as `python app.py` serves it.

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function assertJsonMessage(answer: Answer, status: number, message?: string): void {
  assert.equal(answer.status, status, answer.body);
  assert.match(String(answer.headers["content-type"]), /^application\/json/);
  const body = JSON.parse(answer.body) as { message?: unknown };
  assert.equal(typeof body.message, "string", answer.body);
  if (message !== undefined) assert.equal(body.message, message);
}

describe("scoring app under `python app.py`", function () {
  this.timeout(120_000);
  const folders: string[] = [];
  after(() => {
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  });

  describe("serving the azureml-examples model-1 sample laid out as the Docker context lays it", () => {
    let app: AppProcess;
    let url: string;
    before(async () => {
      const folder = appFolder({
        code: path.join(model1Sample, "onlinescoring"),
        model: { name: "model-1", version: "3", from: path.join(model1Sample, "model") },
      });
      folders.push(folder);
      ({ app, url } = await startDevServer(folder));
    });
    after(() => app?.stop());

    it("answers a real prediction from score.py's run(), AZUREML_MODEL_DIR found from the folder's layout", async () => {
      const answer = await send(url, { method: "POST", path: "/score", headers: { "content-type": "application/json" }, body: model1Request });
      assert.equal(answer.status, 200, answer.body);
      assert.match(String(answer.headers["content-type"]), /^application\/json/);
      const predictions = JSON.parse(answer.body) as number[];
      assert.equal(predictions.length, 2);
      predictions.forEach((value, index) => assert.ok(Math.abs(value - model1Prediction[index]) < 1e-6, answer.body));
    });

    it("is healthy on GET / and prints exactly one line on stdout", async () => {
      const answer = await send(url, { path: "/" });
      assert.equal(answer.status, 200);
      assert.equal(answer.body, "Healthy");
      assert.deepEqual(app.stdout.trim().split("\n"), [`Scoring app listening on ${url}`]);
    });
  });

  describe("the contract, on a scoring script for each case", () => {
    let app: AppProcess;
    let url: string;
    let folder: string;
    before(async () => {
      folder = appFolder({ code: scoringFixtures });
      folders.push(folder);
      ({ app, url } = await startDevServer(folder, { AZUREML_ENTRY_SCRIPT: "contract_score.py", AZUREML_MODEL_DIR: "/models/given" }));
    });
    after(() => app?.stop());

    const score = (body: string | Buffer, headers: Record<string, string> = {}) => send(url, { method: "POST", path: "/score", body, headers });

    it("passes the body to run() as text and sends its dict back as JSON, init() having run once, with the given AZUREML_MODEL_DIR and the code folder", async () => {
      const answer = await score('{"a": [1, 2]}');
      assert.equal(answer.status, 200);
      assert.match(String(answer.headers["content-type"]), /^application\/json/);
      const body = JSON.parse(answer.body) as Record<string, unknown>;
      assert.equal(body.received, '{"a": [1, 2]}');
      assert.equal(body.inits, 1);
      assert.equal(body.model_dir, "/models/given");
      assert.equal(body.app_root, path.join(fs.realpathSync(folder), "code"));
      assert.equal(answer.headers["x-ms-run-function-failed"], "False");
      assert.match(String(answer.headers["x-ms-server-version"]), /^azmlinfsrv-compatible\/\d+\.\d+\.\d+$/);
      assert.match(String(answer.headers["x-ms-run-fn-exec-ms"]), /^\d+\.\d+$/);
    });

    it("sends a str back quoted as a JSON string and None as {}", async () => {
      const text = await score("text");
      assert.equal(text.status, 200);
      assert.equal(text.body, '"plain text"');
      const none = await score("none");
      assert.equal(none.status, 200);
      assert.equal(none.body, "{}");
    });

    it("answers 500 with the internal-error message when run() returns what JSON cannot hold", async () => {
      const answer = await score("bytes");
      assertJsonMessage(answer, 500, "An unexpected internal error occurred. Check the logs for more info.");
      assert.equal(answer.headers["x-ms-run-function-failed"], "False");
    });

    it("answers 500 with x-ms-run-function-failed: True when run() raises, its traceback in the log", async () => {
      const answer = await score("raise");
      assertJsonMessage(answer, 500, "An unexpected error occurred in scoring script. Check the logs for more info.");
      assert.equal(answer.headers["x-ms-run-function-failed"], "True");
      assert.match(app.stderr, /ValueError: the scoring script failed on purpose/);
    });

    it("answers 400 to a body that is not UTF-8, without calling run()", async () => {
      const answer = await score(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
      assertJsonMessage(answer, 400);
    });

    it("passes a GET's query string to run() as a JSON object", async () => {
      const answer = await send(url, { path: "/score?alpha=0.5&name=blue%20green" });
      assert.equal(answer.status, 200);
      const body = JSON.parse(answer.body) as { received: string };
      assert.deepEqual(JSON.parse(body.received), { alpha: "0.5", name: "blue green" });
    });

    it("gives run() the request headers when it has a request_headers parameter", async () => {
      const answer = await score("header", { "X-Probe": "seen" });
      assert.deepEqual(JSON.parse(answer.body), { probe: "seen" });
    });

    it("answers OPTIONS /score with 200", async () => {
      const answer = await send(url, { method: "OPTIONS", path: "/score" });
      assert.equal(answer.status, 200);
    });

    it("answers an unknown path with 404 JSON, and /swagger.json too (no schema support)", async () => {
      assertJsonMessage(await send(url, { path: "/nowhere" }), 404);
      assertJsonMessage(await send(url, { path: "/swagger.json?version=3" }), 404);
    });

    it("answers a wrong method with 405 JSON", async () => {
      assertJsonMessage(await send(url, { method: "PUT", path: "/score", body: "{}" }), 405);
      assertJsonMessage(await send(url, { method: "POST", path: "/", body: "{}" }), 405);
    });

    it("echoes x-request-id (as x-ms-request-id too) and x-ms-client-request-id, or makes a UUID", async () => {
      const given = await score("{}", { "x-request-id": "req-123", "x-ms-client-request-id": "client-9" });
      assert.equal(given.headers["x-request-id"], "req-123");
      assert.equal(given.headers["x-ms-request-id"], "req-123");
      assert.equal(given.headers["x-ms-client-request-id"], "client-9");
      const made = await send(url, { path: "/" });
      assert.match(String(made.headers["x-request-id"]), uuidPattern);
      assert.equal(made.headers["x-ms-request-id"], made.headers["x-request-id"]);
    });

    it("refuses an x-request-id longer than 100 characters with 431, without calling run()", async () => {
      const failuresBefore = app.stderr.split("failed on purpose").length;
      const answer = await score("raise", { "x-request-id": "r".repeat(101) });
      assertJsonMessage(answer, 431);
      assert.match(String(answer.headers["x-request-id"]), uuidPattern);
      assert.equal(answer.headers["x-ms-run-function-failed"], "False");
      assert.equal(app.stderr.split("failed on purpose").length, failuresBefore);
      assert.equal((await score("{}", { "x-request-id": "r".repeat(100) })).status, 200);
    });
  });

  describe("a scoring script that cannot serve", () => {
    async function startFailing(script: string): Promise<{ app: AppProcess; port: number }> {
      const folder = appFolder({ code: scoringFixtures });
      folders.push(folder);
      const port = await freePort();
      const env = appEnvironment({ PORT: String(port), HOST: "127.0.0.1", AZUREML_ENTRY_SCRIPT: script });
      return { app: startProcess(scoringPython(), ["-u", "app.py"], { cwd: folder, env }), port };
    }

    it("ends with exit status 3 when init() raises, the traceback on stderr, the port never opened", async () => {
      const { app, port } = await startFailing("init_raises.py");
      try {
        const { status, everAccepted } = await exitWithoutListening(app, port);
        assert.equal(status.code, 3, app.stderr);
        assert.equal(everAccepted, false);
        assert.match(app.stderr, /Traceback[\s\S]*FileNotFoundError: model\.pkl is not where init\(\) looks for it/);
        assert.doesNotMatch(app.stdout, /listening/);
      } finally {
        await app.stop();
      }
    });

    it("ends with exit status 3 when the script has no run(), saying so", async () => {
      const { app, port } = await startFailing("no_run.py");
      try {
        const { status, everAccepted } = await exitWithoutListening(app, port);
        assert.equal(status.code, 3, app.stderr);
        assert.equal(everAccepted, false);
        assert.match(app.stderr, /no_run\.py defines no run\(\) function/);
      } finally {
        await app.stop();
      }
    });

    it("ends with exit status 3 when the entry script does not exist, naming it", async () => {
      const { app, port } = await startFailing("missing.py");
      try {
        const { status } = await exitWithoutListening(app, port);
        assert.equal(status.code, 3, app.stderr);
        assert.match(app.stderr, /missing\.py does not exist/);
      } finally {
        await app.stop();
      }
    });
  });
});
