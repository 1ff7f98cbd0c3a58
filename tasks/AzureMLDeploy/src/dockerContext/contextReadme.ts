import type { ModelVersionReference } from "./modelFileSource";
import { defaultPort, defaultWorkerThreads } from "./servingCommand";

export interface ReadmeFacts {
  deploymentName: string;
  endpointName: string;
  model: ModelVersionReference;
  entryScript: string;
  baseImage: string;
  /** The tag the build example gives the image. */
  imageTag: string;
  /** A request body for the curl example, when the deployment folder has one; else a placeholder. */
  sampleRequest?: string;
}

/** README.md for the team that builds and runs the image on its own platform. */
export function readmeText(facts: ReadmeFacts): string {
  const body = facts.sampleRequest ?? '{"data": [[1, 2, 3]]}';
  const quotedBody = `'${body.replace(/'/g, `'\\''`)}'`;
  return [
    `# Scoring image: ${facts.endpointName} / ${facts.deploymentName}`,
    "",
    `Model **${facts.model.name}:${facts.model.version}** with its scoring script \`code/${facts.entryScript}\`, served over HTTP`,
    "with the contract of Azure ML's inference server: `GET /` answers `Healthy` once `init()` has run,",
    "`POST /score` passes the request body to `run()` and answers its JSON. Written by the AzureMLDeploy",
    "task (target `dockerContext`). The image needs no access to the Azure ML workspace at run time.",
    "",
    "## Build and run",
    "",
    "```sh",
    `docker build -t ${facts.imageTag} .`,
    `docker run --rm -p ${defaultPort}:${defaultPort} ${facts.imageTag}`,
    `curl -s http://localhost:${defaultPort}/`,
    `curl -s -X POST http://localhost:${defaultPort}/score -H 'Content-Type: application/json' -d ${quotedBody}`,
    "```",
    "",
    "## Settings (environment variables)",
    "",
    "| variable | default | meaning |",
    "|---|---|---|",
    `| \`PORT\` | ${defaultPort} | the port gunicorn listens on |`,
    "| `WORKER_COUNT` | 1 | gunicorn worker processes; each runs `init()` once and scores one request at a time |",
    `| \`WORKER_THREADS\` | ${defaultWorkerThreads} | threads per worker that keep connections alive and read requests while another one scores |`,
    "| `WORKER_TIMEOUT` | 300 | seconds a worker may be busy (loading the model included) before gunicorn restarts it |",
    "",
    "Pass secrets the scoring script needs with `docker run -e` or your platform's secret store: the",
    "task refuses to write them into the image.",
    "",
    "## What is inside",
    "",
    `- \`Dockerfile\`: base image \`${facts.baseImage}\`, a user without privileges, gunicorn on port ${defaultPort}.`,
    "- `app.py`: the scoring app (Flask). `python app.py` runs it without gunicorn for a quick check",
    "  (`pip install -r requirements.txt` first; it listens on 127.0.0.1:5001 unless `HOST`/`PORT` say otherwise).",
    "- `code/`: the deployment's scoring code.",
    `- \`azureml-models/${facts.model.name}/${facts.model.version}/\`: the model files, laid out as Azure ML lays them out`,
    "  under `AZUREML_MODEL_DIR`.",
    "- `requirements.txt`: the environment's packages for pip (its comments say what was mapped or left out).",
    "",
  ].join("\n");
}

/** Files of the context that the image does not need. */
export function dockerignoreText(markerFile: string): string {
  return ["# Not part of the image.", "README.md", ".dockerignore", markerFile, "**/__pycache__", "**/*.pyc", ""].join("\n");
}
