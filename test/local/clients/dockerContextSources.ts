import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MachineLearningControlPlane, type WorkspaceScope } from "../../../tasks/common/src/azure/clients/machineLearningControlPlane";
import { readOnlineDeploymentFile } from "../../../tasks/common/src/azureml/onlineDeploymentFile";
import { parseReference } from "../../../tasks/common/src/azureml/references";
import { AzureEnvironmentSource } from "../../../tasks/AzureMLDeploy/src/dockerContext/azureEnvironmentSource";
import { AzureModelFiles } from "../../../tasks/AzureMLDeploy/src/dockerContext/azureModelFiles";
import type { EnvironmentDefinition } from "../../../tasks/AzureMLDeploy/src/dockerContext/environmentSource";
import type { DownloadedModel } from "../../../tasks/AzureMLDeploy/src/dockerContext/modelFileSource";
import { writeDockerContext } from "../../../tasks/AzureMLDeploy/src/dockerContext/writeDockerContext";
import { AzureModelRegistry } from "../../../tasks/AzureMLRegisterModel/src/registry/azureModelRegistry";
import { clientArguments, runClient } from "./clientSupport";
import { sessionFor } from "./mlClientSupport";

export interface DockerContextSourcesReport {
  /** Each download: what it reported, and each file's sha256 as written. */
  downloads: Record<string, DownloadedModel & { sha256: Record<string, string> }>;
  environments: Record<string, EnvironmentDefinition>;
  /** The message of each refusal. */
  refused: Record<string, string>;
  /** writeDockerContext with the Azure sources, on the sample deployment with a registered environment. */
  context: { files: string[]; requirements: string[]; baseImage: string; dockerfile: string };
}

const sampleRoot = path.join(__dirname, "..", "..", "..", "..", "test", "unit", "azureml", "fixtures", "azureml-examples", "cli", "endpoints", "online");

function hashes(folder: string, files: string[]): Record<string, string> {
  return Object.fromEntries(
    files.map((file) => [
      file,
      createHash("sha256")
        .update(fs.readFileSync(path.join(folder, file)))
        .digest("hex"),
    ]),
  );
}

async function refusalOf(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
    return "(not refused)";
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}

/**
 * The Docker context's Azure sources on the local Azure, as the AzureMLDeploy task will use them:
 * model versions registered from an uploaded folder and file (AzureModelRegistry, as
 * AzureMLRegisterModel registers them), environments registered, curated and in the azureml
 * registry. Arguments: the workspace's resource group and name.
 */
runClient(async (connection): Promise<DockerContextSourcesReport> => {
  const [resourceGroup, workspaceName] = clientArguments();
  const session = sessionFor(connection);
  const scope: WorkspaceScope = { subscriptionId: connection.subscriptionId, resourceGroup, name: workspaceName };
  const registry = new AzureModelRegistry(session, scope);
  const controlPlane = new MachineLearningControlPlane(session, scope);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "context-sources-"));
  try {
    // A folder with a sub-folder, and a single file: the two shapes AZUREML_MODEL_DIR keeps.
    const modelFolder = path.join(scratch, "upload", "model");
    fs.mkdirSync(path.join(modelFolder, "extra"), { recursive: true });
    fs.copyFileSync(path.join(sampleRoot, "model-1", "model", "sklearn_regression_model.pkl"), path.join(modelFolder, "sklearn_regression_model.pkl"));
    fs.writeFileSync(path.join(modelFolder, "extra", "labels.json"), '["y"]\n');
    const folderUpload = await registry.uploadLocal(modelFolder, "ctx-folder-model");
    await registry.createVersion("ctx-folder-model", "1", { modelUri: folderUpload.uri, modelType: "custom_model", tags: {}, properties: {} });
    const fileUpload = await registry.uploadLocal(path.join(sampleRoot, "model-2", "model", "sklearn_regression_model.pkl"), "ctx-file-model");
    await registry.createVersion("ctx-file-model", "4", { modelUri: fileUpload.uri, modelType: "custom_model", tags: {}, properties: {} });
    // The long form the service writes for a model's files, naming the workspace.
    const longUri = folderUpload.uri.replace(
      "azureml://",
      `azureml://subscriptions/${scope.subscriptionId}/resourcegroups/${resourceGroup}/workspaces/${workspaceName}/`,
    );
    await registry.createVersion("ctx-long-uri-model", "1", { modelUri: longUri, modelType: "custom_model", tags: {}, properties: {} });

    const models = new AzureModelFiles(session, scope);
    const downloads: DockerContextSourcesReport["downloads"] = {};
    for (const [name, version] of [
      ["ctx-folder-model", "1"],
      ["ctx-file-model", "4"],
      ["ctx-long-uri-model", "1"],
    ]) {
      const folder = path.join(scratch, "downloads", name);
      const downloaded = await models.download({ name, version }, folder);
      downloads[`${name}:${version}`] = { ...downloaded, sha256: hashes(folder, downloaded.files) };
    }

    const conda = fs.readFileSync(path.join(sampleRoot, "model-1", "environment", "conda.yaml"), "utf8");
    await controlPlane.createEnvironmentVersion("ctx-env", "1", { properties: { image: "python:3.11-slim", condaFile: "dependencies:\n  - python=3.11\n" } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await controlPlane.createEnvironmentVersion("ctx-env", "2", {
      properties: { image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest", condaFile: conda },
    });
    const environments = new AzureEnvironmentSource(session, scope);
    const read = (text: string) => environments.read(parseReference(text, scratch));
    const environmentReport: DockerContextSourcesReport["environments"] = {
      version: await read("azureml:ctx-env:1"),
      latest: await read("azureml:ctx-env@latest"),
      armId: await read(
        `azureml:/subscriptions/${scope.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${workspaceName}/environments/ctx-env/versions/1`,
      ),
      curated: await read("azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu:1"),
      registry: await read("azureml://registries/azureml/environments/sklearn-1.5/versions/12"),
    };

    const refused = {
      missingModel: await refusalOf(() => models.download({ name: "ctx-folder-model", version: "9" }, path.join(scratch, "nothing"))),
      missingEnvironment: await refusalOf(() => read("azureml:no-such-env:1")),
      otherRegistry: await refusalOf(() => read("azureml://registries/team-registry/environments/team-env/versions/1")),
      otherWorkspace: await refusalOf(() =>
        read(
          `azureml:/subscriptions/${scope.subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/elsewhere/environments/ctx-env/versions/1`,
        ),
      ),
    };

    // The sample's deployment with the registered environment in place of its inline one.
    const deploymentFile = path.join(scratch, "deployment.yml");
    fs.writeFileSync(
      deploymentFile,
      [
        "name: blue",
        "endpoint_name: my-endpoint",
        "model: azureml:ctx-folder-model:1",
        `code_configuration: {code: '${path.join(sampleRoot, "model-1", "onlinescoring")}', scoring_script: score.py}`,
        "environment: azureml:ctx-env@latest",
        "instance_type: Standard_DS3_v2",
        "instance_count: 1",
      ].join("\n"),
    );
    const contextPath = path.join(scratch, "context");
    const outcome = await writeDockerContext(
      { contextPath, deployment: readOnlineDeploymentFile(deploymentFile, "deploymentFile"), model: { name: "ctx-folder-model", version: "1" } },
      { models, environments, log: () => undefined },
    );
    return {
      downloads,
      environments: environmentReport,
      refused,
      context: {
        files: outcome.files,
        requirements: outcome.requirements,
        baseImage: outcome.baseImage,
        dockerfile: fs.readFileSync(path.join(contextPath, "Dockerfile"), "utf8"),
      },
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
