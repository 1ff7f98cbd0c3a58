import type { ProbeSettings } from "../../../common/src/azureml/onlineDeploymentFile";
import type { BaseImageChoice } from "./baseImage";
import type { ModelVersionReference } from "./modelFileSource";
import { containerAppRoot, defaultPort, gunicornShellCommand, servingVariables } from "./servingCommand";

/** What the Dockerfile says; every path in it is inside the image. */
export interface DockerfileSpec {
  baseImage: BaseImageChoice;
  model: ModelVersionReference;
  /** The scoring script, relative to the code folder, POSIX separators. */
  entryScript: string;
  deploymentName: string;
  endpointName: string;
  /** The deployment's environment_variables, checked (imageVariables.ts). */
  variables: [string, string][];
  /** The deployment's liveness probe, as HEALTHCHECK's timing. */
  liveness: ProbeSettings;
}

/** AZUREML_MODEL_DIR in the image: where Azure ML mounts a deployment's model. */
export function imageModelDir(model: ModelVersionReference): string {
  return `${containerAppRoot}/azureml-models/${model.name}/${model.version}`;
}

/** A value in a Dockerfile ENV instruction: double-quoted, with `\`, `"` and `$` (which ENV would expand) escaped. */
export function envValue(value: string): string {
  return `"${value.replace(/[\\"$]/g, (char) => `\\${char}`)}"`;
}

function envInstruction(pairs: [string, string][]): string {
  return `ENV ${pairs.map(([name, value]) => `${name}=${envValue(value)}`).join(" \\\n    ")}`;
}

const userName = "azureml";
const userId = 10001;

// Python's standard library, not curl: slim images have no curl, and the probe must not need one.
const healthProbe = `import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/' % os.environ.get('PORT', '${defaultPort}'), timeout=5)`;

export function dockerfileText(spec: DockerfileSpec): string {
  const { liveness } = spec;
  const serving: [string, string][] = [
    ["AZUREML_MODEL_DIR", imageModelDir(spec.model)],
    ["AML_APP_ROOT", `${containerAppRoot}/code`],
    ["AZUREML_ENTRY_SCRIPT", spec.entryScript],
    ["PORT", servingVariables.PORT],
    // `python app.py` in the container must listen beyond its loopback too.
    ["HOST", "0.0.0.0"],
    ["WORKER_COUNT", servingVariables.WORKER_COUNT],
    ["WORKER_THREADS", servingVariables.WORKER_THREADS],
    ["WORKER_TIMEOUT", servingVariables.WORKER_TIMEOUT],
  ];
  const lines = [
    "# syntax=docker/dockerfile:1",
    `# The scoring image of deployment '${spec.deploymentName}' (endpoint '${spec.endpointName}'), model ${spec.model.name}:${spec.model.version},`,
    "# written by the AzureMLDeploy task. It needs no access to the Azure ML workspace: the model is inside.",
    `# Base image: ${spec.baseImage.reason}`,
    `FROM ${spec.baseImage.image}`,
    "",
    "# Some base images end as a user of their own; installing needs root.",
    "USER root",
    `WORKDIR ${containerAppRoot}`,
    envInstruction([
      ["PYTHONUNBUFFERED", "1"],
      ["PYTHONDONTWRITEBYTECODE", "1"],
      ["PIP_NO_CACHE_DIR", "1"],
      ["PIP_DISABLE_PIP_VERSION_CHECK", "1"],
    ]),
    "",
    "# Packages first: this layer is rebuilt only when requirements.txt changes.",
    "COPY requirements.txt ./",
    "RUN python -m pip install -r requirements.txt",
    "",
    "# The app runs as a user without privileges (useradd on Debian and Ubuntu, adduser on Alpine).",
    `RUN id -u ${userName} >/dev/null 2>&1 || useradd --create-home --uid ${userId} ${userName} || adduser -D -u ${userId} ${userName}`,
    "",
    "COPY app.py ./",
    "COPY azureml-models/ ./azureml-models/",
    "COPY code/ ./code/",
    "",
    "# As Azure ML sets them for a deployment. WORKER_COUNT: gunicorn's worker processes, each scoring one request at a time",
    "# (docker run -e WORKER_COUNT=4); WORKER_THREADS: connections each worker keeps serving meanwhile.",
    envInstruction(serving),
  ];
  if (spec.variables.length > 0) lines.push("", "# The deployment's environment_variables.", envInstruction(spec.variables));
  lines.push(
    "",
    `USER ${userName}`,
    `EXPOSE ${defaultPort}`,
    "# The deployment's liveness probe: GET / answers 200 once init() has run.",
    `HEALTHCHECK --interval=${liveness.period}s --timeout=${liveness.timeout}s --start-period=${liveness.initialDelay}s --retries=${liveness.failureThreshold} \\`,
    `  CMD ${JSON.stringify(["python", "-c", healthProbe])}`,
    "# gunicorn, as Azure ML's inference server serves on Linux; sh expands the variables, exec hands it docker's signals.",
    `CMD ${JSON.stringify(["sh", "-c", gunicornShellCommand()])}`,
    "",
  );
  return lines.join("\n");
}
