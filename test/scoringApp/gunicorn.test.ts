import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { gunicornShellCommand, servingVariables } from "../../tasks/AzureMLDeploy/src/dockerContext/servingCommand";
import {
  AppProcess,
  appFolder,
  model1Prediction,
  model1Request,
  model1Sample,
  scoringFixtures,
  send,
  startGunicorn,
  startProcess,
  appEnvironment,
  gunicornBin,
} from "./scoringAppSupport";

// The scoring app served as the Dockerfile serves it: `sh -c "exec gunicorn --bind …:${PORT}
// --workers ${WORKER_COUNT} … app:app"` from the app's folder, bound to loopback here.

describe("scoring app under gunicorn, started as the Dockerfile starts it", function () {
  this.timeout(120_000);
  const folders: string[] = [];
  after(() => {
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  });
  const command = gunicornShellCommand("127.0.0.1");

  describe("two workers serving the azureml-examples model-1 sample", () => {
    let app: AppProcess;
    let url: string;
    before(async () => {
      const folder = appFolder({
        code: path.join(model1Sample, "onlinescoring"),
        model: { name: "model-1", version: "3", from: path.join(model1Sample, "model") },
      });
      folders.push(folder);
      ({ app, url } = await startGunicorn(folder, command, { ...servingVariables, PORT: "0", WORKER_COUNT: "2" }));
    });
    after(() => app?.stop());

    it("answers a real prediction, with the contract's headers", async () => {
      const answer = await send(url, { method: "POST", path: "/score", body: model1Request, headers: { "x-request-id": "gunicorn-1" } });
      assert.equal(answer.status, 200, answer.body);
      const predictions = JSON.parse(answer.body) as number[];
      predictions.forEach((value, index) => assert.ok(Math.abs(value - model1Prediction[index]) < 1e-6, answer.body));
      assert.equal(answer.headers["x-request-id"], "gunicorn-1");
      assert.equal(answer.headers["x-ms-run-function-failed"], "False");
      assert.match(String(answer.headers["server"]), /gunicorn/);
    });

    it("booted two workers, each of which ran init()", async () => {
      await app.waitFor("stderr", /(Init complete[\s\S]*){2}/);
      assert.equal((app.stderr.match(/Booting worker with pid/g) ?? []).length, 2, app.stderr);
      assert.equal((app.stderr.match(/Init complete/g) ?? []).length, 2, app.stderr);
    });
  });

  describe("the contract under gunicorn", () => {
    let app: AppProcess;
    let url: string;
    before(async () => {
      const folder = appFolder({ code: scoringFixtures });
      folders.push(folder);
      ({ app, url } = await startGunicorn(folder, command, { ...servingVariables, PORT: "0", WORKER_COUNT: "2", AZUREML_ENTRY_SCRIPT: "contract_score.py" }));
    });
    after(() => app?.stop());

    it("calls init() once per worker: every answer comes from a worker that ran it once", async () => {
      for (let i = 0; i < 6; i++) {
        const answer = await send(url, { method: "POST", path: "/score", body: "{}" });
        assert.equal((JSON.parse(answer.body) as { inits: number }).inits, 1);
      }
    });

    it("keeps the str, None, run()-raising, UTF-8 and 404/405 answers", async () => {
      assert.equal((await send(url, { method: "POST", path: "/score", body: "text" })).body, '"plain text"');
      assert.equal((await send(url, { method: "POST", path: "/score", body: "none" })).body, "{}");
      const failed = await send(url, { method: "POST", path: "/score", body: "raise" });
      assert.equal(failed.status, 500);
      assert.equal(failed.headers["x-ms-run-function-failed"], "True");
      assert.equal((await send(url, { method: "POST", path: "/score", body: Buffer.from([0xff]) })).status, 400);
      assert.equal((await send(url, { path: "/nowhere" })).status, 404);
      assert.equal((await send(url, { method: "DELETE", path: "/score" })).status, 405);
      assert.equal((await send(url, { path: "/score", headers: { "x-request-id": "x".repeat(101) } })).status, 431);
    });
  });

  describe("a scoring script that cannot serve", () => {
    /** Runs gunicorn until it stops by itself, asking GET / all along once it listens; any answer is recorded. */
    async function runToEnd(script: string, workers: string): Promise<{ app: AppProcess; code: number | null; answered: number[] }> {
      const folder = appFolder({ code: scoringFixtures });
      folders.push(folder);
      const env = appEnvironment({ ...servingVariables, PORT: "0", WORKER_COUNT: workers, AZUREML_ENTRY_SCRIPT: script });
      const app = startProcess("/bin/sh", ["-c", command], { cwd: folder, env: { ...env, PATH: `${gunicornBin()}:${env.PATH ?? ""}` } });
      const answered: number[] = [];
      try {
        const started = Date.now();
        while (!app.hasExited) {
          if (Date.now() - started > 60_000) throw new Error(`gunicorn did not stop.\nstderr: ${app.stderr}`);
          const url = /Listening at: (http:\/\/127\.0\.0\.1:\d+)/.exec(app.stderr)?.[1];
          if (url !== undefined) {
            try {
              answered.push((await send(url, { path: "/" })).status);
            } catch {
              // refused or reset: nothing answered
            }
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        return { app, code: (await app.exited).code, answered };
      } finally {
        await app.stop();
      }
    }

    it("stops gunicorn with exit status 3 when init() raises (one worker, the image's default), the traceback on stderr, no request answered", async () => {
      const { app, code, answered } = await runToEnd("init_raises.py", "1");
      assert.equal(code, 3, app.stderr);
      assert.deepEqual(answered, []);
      assert.match(app.stderr, /FileNotFoundError: model\.pkl is not where init\(\) looks for it/);
      assert.match(app.stderr, /Worker failed to boot/);
    });

    it("stops gunicorn with a failure status when init() raises in several workers", async () => {
      // gunicorn 20.1 reports 3, or 1 when a second worker's failure interrupts its shutdown.
      const { app, code } = await runToEnd("init_raises.py", "2");
      assert.ok(code === 3 || code === 1, `exit status ${code}\n${app.stderr}`);
      assert.match(app.stderr, /Worker failed to boot/);
    });

    it("stops gunicorn with exit status 3 when the script has no run()", async () => {
      const { app, code } = await runToEnd("no_run.py", "1");
      assert.equal(code, 3, app.stderr);
      assert.match(app.stderr, /defines no run\(\) function/);
    });
  });
});
