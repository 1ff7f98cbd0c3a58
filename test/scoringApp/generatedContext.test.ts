import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readOnlineDeploymentFile } from "../../tasks/common/src/azureml/onlineDeploymentFile";
import { containerAppRoot } from "../../tasks/AzureMLDeploy/src/dockerContext/servingCommand";
import { writeDockerContext } from "../../tasks/AzureMLDeploy/src/dockerContext/writeDockerContext";
import { readDockerfile, ReadDockerfile } from "../unit/dockerContext/dockerfileReader";
import { KnownEnvironments, LocalModelFiles } from "../unit/dockerContext/inMemorySources";
import { AppProcess, model1Prediction, model1Request, model1Sample, send, startDevServer, startGunicorn } from "./scoringAppSupport";

// The Docker context AzureMLDeploy writes for the azureml-examples blue deployment, served for
// real without Docker: `python app.py` inside the context folder, and gunicorn started with the
// Dockerfile's own CMD and ENV (the image's /var/azureml-app being the context folder here, and
// loopback in place of 0.0.0.0).

const deploymentFile = path.join(model1Sample, "..", "managed", "sample", "blue-deployment.yml");

function assertPrediction(body: string): void {
  const predictions = JSON.parse(body) as number[];
  assert.equal(predictions.length, model1Prediction.length, body);
  predictions.forEach((value, index) => assert.ok(Math.abs(value - model1Prediction[index]) < 1e-6, body));
}

describe("the generated Docker context, served for real", function () {
  this.timeout(120_000);
  let scratch: string;
  let context: string;
  let dockerfile: ReadDockerfile;

  before(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "served-context-"));
    context = path.join(scratch, "context");
    await writeDockerContext(
      { contextPath: context, deployment: readOnlineDeploymentFile(deploymentFile, "deploymentFile"), model: { name: "sklearn-regression", version: "3" } },
      {
        models: new LocalModelFiles({ "sklearn-regression:3": path.join(model1Sample, "model") }),
        environments: new KnownEnvironments({}),
        log: () => undefined,
      },
    );
    dockerfile = readDockerfile(fs.readFileSync(path.join(context, "Dockerfile"), "utf8"));
  });
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("answers a real prediction with `python app.py` run in the context folder, finding code and model by itself", async () => {
    let app: AppProcess | undefined;
    try {
      const started = await startDevServer(context);
      app = started.app;
      const answer = await send(started.url, { method: "POST", path: "/score", body: model1Request, headers: { "content-type": "application/json" } });
      assert.equal(answer.status, 200, answer.body);
      assertPrediction(answer.body);
    } finally {
      await app?.stop();
    }
  });

  it("answers a real prediction with gunicorn started by the Dockerfile's CMD, with its ENV", async () => {
    const [shell, flag, command] = dockerfile.cmd ?? [];
    assert.equal(shell, "sh");
    assert.equal(flag, "-c");
    assert.match(command, /--bind 0\.0\.0\.0:\$\{PORT\}/);
    // The image's paths are the context folder's here; the port is any free one, the workers two.
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(dockerfile.env)) env[name] = value.split(containerAppRoot).join(context);
    assert.equal(env.AZUREML_MODEL_DIR, path.join(context, "azureml-models", "sklearn-regression", "3"));
    let app: AppProcess | undefined;
    try {
      const started = await startGunicorn(context, command.replace("0.0.0.0", "127.0.0.1"), { ...env, PORT: "0", WORKER_COUNT: "2" });
      app = started.app;
      for (let i = 0; i < 4; i++) {
        const answer = await send(started.url, { method: "POST", path: "/score", body: model1Request });
        assert.equal(answer.status, 200, answer.body);
        assertPrediction(answer.body);
      }
      assert.equal((app.stderr.match(/Booting worker with pid/g) ?? []).length, 2, app.stderr);
      assert.equal((await send(started.url, { path: "/" })).body, "Healthy");
    } finally {
      await app?.stop();
    }
  });
});
