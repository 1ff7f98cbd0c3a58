import * as assert from "node:assert/strict";
import { chooseBaseImage } from "../../../tasks/AzureMLDeploy/src/dockerContext/baseImage";
import { dockerfileText, DockerfileSpec, envValue } from "../../../tasks/AzureMLDeploy/src/dockerContext/dockerfile";
import { imageVariables } from "../../../tasks/AzureMLDeploy/src/dockerContext/imageVariables";
import { readDockerfile } from "./dockerfileReader";

const spec: DockerfileSpec = {
  baseImage: { image: "python:3.12-slim", reason: "python:3.12-slim for the conda file's Python 3.12." },
  model: { name: "sklearn-model", version: "7" },
  entryScript: "onlinescoring/score.py",
  deploymentName: "blue",
  endpointName: "my-endpoint",
  variables: [],
  liveness: { initialDelay: 10, period: 10, timeout: 2, successThreshold: 1, failureThreshold: 30 },
};

describe("the Dockerfile of a Docker context", () => {
  it("builds on the chosen image, installs the requirements before copying the app, code and model, and runs as a user without privileges", () => {
    const dockerfile = readDockerfile(dockerfileText(spec));
    assert.deepEqual(dockerfile.from, ["python:3.12-slim"]);
    const order = dockerfile.instructions.map((instruction) => `${instruction.keyword} ${instruction.argument}`);
    const at = (prefix: string) => order.findIndex((line) => line.startsWith(prefix));
    assert.ok(at("RUN python -m pip install -r requirements.txt") > at("COPY requirements.txt"));
    assert.ok(at("COPY app.py") > at("RUN python -m pip install"), "a code change must not reinstall the packages");
    assert.ok(at("COPY azureml-models/") > 0 && at("COPY code/") > 0);
    assert.equal(dockerfile.user, "azureml");
    assert.ok(at("USER azureml") > at("COPY code/"));
    assert.match(dockerfile.instructions.find((instruction) => instruction.argument.includes("useradd"))?.argument ?? "", /--uid 10001 azureml/);
  });

  it("sets the inference server's variables: the model and code where the image puts them, port 5001, one worker by default", () => {
    const { env, expose } = readDockerfile(dockerfileText(spec));
    assert.equal(env.AZUREML_MODEL_DIR, "/var/azureml-app/azureml-models/sklearn-model/7");
    assert.equal(env.AML_APP_ROOT, "/var/azureml-app/code");
    assert.equal(env.AZUREML_ENTRY_SCRIPT, "onlinescoring/score.py");
    assert.equal(env.PORT, "5001");
    assert.equal(env.WORKER_COUNT, "1");
    assert.equal(env.WORKER_THREADS, "4");
    assert.equal(env.WORKER_TIMEOUT, "300");
    assert.equal(env.HOST, "0.0.0.0");
    assert.deepEqual(expose, ["5001"]);
  });

  it("serves with gunicorn through sh -c, so that PORT and WORKER_COUNT come from the container's environment", () => {
    const { cmd } = readDockerfile(dockerfileText(spec));
    assert.deepEqual(cmd, [
      "sh",
      "-c",
      "exec gunicorn --bind 0.0.0.0:${PORT} --workers ${WORKER_COUNT} --worker-class gthread --threads ${WORKER_THREADS} --timeout ${WORKER_TIMEOUT} app:app",
    ]);
  });

  it("checks health on GET / with the deployment's liveness probe timing, with Python rather than curl", () => {
    const { healthcheck } = readDockerfile(
      dockerfileText({ ...spec, liveness: { initialDelay: 20, period: 15, timeout: 3, successThreshold: 1, failureThreshold: 4 } }),
    );
    assert.match(healthcheck ?? "", /^--interval=15s --timeout=3s --start-period=20s --retries=4 CMD \["python","-c",/);
    const probe = JSON.parse((healthcheck ?? "").slice((healthcheck ?? "").indexOf("["))) as string[];
    assert.match(probe[2], /urllib\.request\.urlopen\('http:\/\/127\.0\.0\.1:%s\/'/);
  });

  it("adds the deployment's environment variables after its own, so WORKER_COUNT can be raised, with quotes, backslashes and $ kept literally", () => {
    const variables = imageVariables({ WORKER_COUNT: "4", GREETING: 'say "hi" to $HOME \\ now', EMPTY: "" }, "/d/deployment.yml");
    const { env } = readDockerfile(dockerfileText({ ...spec, variables }));
    assert.equal(env.WORKER_COUNT, "4");
    assert.equal(env.GREETING, 'say "hi" to $HOME \\ now');
    assert.equal(env.EMPTY, "");
    assert.equal(envValue('a"b$c\\'), '"a\\"b\\$c\\\\"');
  });
});

describe("the deployment's environment variables in the image", () => {
  const file = "/agent/s/deployment.yml";
  const storageKey = `${"Ab3".repeat(28)}AB==`;

  it("refuses a value that looks like a secret, without repeating it", () => {
    for (const value of [`DefaultEndpointsProtocol=https;AccountName=sa;AccountKey=${storageKey}`, storageKey, "https://user:hunter2hunter2@example.com/db"]) {
      assert.throws(
        () => imageVariables({ DATA_SOURCE: value }, file),
        (error: Error) =>
          error.name === "InputError" &&
          /'DATA_SOURCE', and its value looks like/.test(error.message) &&
          !error.message.includes(value) &&
          /docker run -e DATA_SOURCE=/.test(error.message),
      );
    }
  });

  it("refuses a variable whose name says it holds a secret, unless it is empty or a switch", () => {
    assert.throws(() => imageVariables({ API_KEY: "abc123" }, file), /'API_KEY', and its name says it holds a secret/);
    assert.throws(() => imageVariables({ DB_PASSWORD: "changeme" }, file), /name says it holds a secret/);
    assert.deepEqual(imageVariables({ USE_SAS: "true", SECRET_NAME: "my-kv-secret", TOKEN_LIMIT: "512" }, file), [
      ["USE_SAS", "true"],
      ["SECRET_NAME", "my-kv-secret"],
      ["TOKEN_LIMIT", "512"],
    ]);
  });

  it("refuses the variables the image sets itself, names a Dockerfile cannot take, and line breaks", () => {
    assert.throws(() => imageVariables({ AZUREML_MODEL_DIR: "/models" }, file), /'AZUREML_MODEL_DIR', which the image sets itself/);
    assert.throws(() => imageVariables({ "MY-VAR": "1" }, file), /whose name a Dockerfile cannot take/);
    assert.throws(() => imageVariables({ BANNER: "two\nlines" }, file), /line break or control character/);
  });
});

describe("the base image", () => {
  const described = (image?: string, hasCondaFile = true) => ({ description: "azureml:env:1", image, hasCondaFile });

  it("keeps a plain Python image, noting a Python version other than the conda file's", () => {
    assert.deepEqual(chooseBaseImage(described("python:3.11-slim"), "3.11").image, "python:3.11-slim");
    assert.equal(chooseBaseImage(described("docker.io/library/python:3.10@sha256:abc"), undefined).image, "docker.io/library/python:3.10@sha256:abc");
    assert.match(chooseBaseImage(described("python:3.10-slim"), "3.12").reason, /the conda file asks for Python 3\.12/);
  });

  it("replaces an Azure ML OS image, whose Python comes from conda, by python:3.<x>-slim of the conda file's Python", () => {
    const choice = chooseBaseImage(described("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest"), "3.12");
    assert.equal(choice.image, "python:3.12-slim");
    assert.match(choice.reason, /openmpi4\.1\.0-ubuntu22\.04:latest, the image of azureml:env:1, is not a plain Python image/);
  });

  it("keeps an Azure ML curated image without a conda file, whose Python holds the packages", () => {
    const curated = "mcr.microsoft.com/azureml/curated/sklearn-1.5:latest";
    assert.equal(chooseBaseImage(described(curated, false), undefined).image, curated);
    assert.equal(chooseBaseImage(described(curated, true), "3.11").image, "python:3.11-slim");
  });

  it("uses Python 3.10 when neither image nor conda file says more", () => {
    assert.equal(chooseBaseImage(described(undefined, false), undefined).image, "python:3.10-slim");
  });
});
