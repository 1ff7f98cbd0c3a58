import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { curatedEnvironmentNames } from "../../../local/azure/services/machinelearning/arm/curatedEnvironments";
import { MlWorkspaceBed, startMlWorkspaceBed } from "../../e2e/mlWorkspaceBed";
import { model1Prediction, model1Request, model1Sample } from "../../scoringApp/scoringAppSupport";
import { armRequest, connectionToken, subscriptionPrincipal } from "./armFetch";
import type { PickerWorld } from "./bindingCatalogue";
import { provisionOnlineWorld } from "./onlineWorld";

/**
 * What the pick lists are tested on, made as a pipeline would make it on a local Azure of its own
 * (strict: every exchange checked against the swaggers): a workspace with a compute cluster
 * (the built AzureMLWorkspace task), a second one in another resource group, an environment of
 * the workspace's own (PUT as `az ml environment create` does), three models, one with two
 * versions (the built AzureMLRegisterModel task, from local files), and online endpoints, one
 * with two deployments of one of those models (the built AzureMLDeploy task: ./onlineWorld.ts).
 */
export async function provisionPickerWorld(): Promise<{ bed: MlWorkspaceBed; world: PickerWorld; token: string }> {
  const bed = await startMlWorkspaceBed("pickers");
  try {
    const otherResourceGroup = "rg-pickers-other";
    const other = await bed.runTask("AzureMLWorkspace", { createResourceGroup: "true", resourceGroup: otherResourceGroup, namespace: "pickersother" });
    assert.equal(other.result, "Succeeded", other.log);
    assert.ok(other.outputs.workspaceId && other.outputs.workspaceName, other.log);

    const environmentName = "diabetes-scoring";
    const workspacePath = `/subscriptions/${bed.azure.connection.subscriptionId}/resourceGroups/${bed.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${bed.workspaceName}`;
    const token = await connectionToken(bed.azure.connection, subscriptionPrincipal(bed.azure.connection));
    const created = await armRequest(bed.azure.connection, token, "PUT", `${workspacePath}/environments/${environmentName}/versions/1?api-version=2022-10-01`, {
      properties: { image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest", description: "Scoring environment of the pickers test" },
    });
    assert.ok(created.status === 200 || created.status === 201, JSON.stringify(created.body));

    const models: Record<string, string[]> = { "diabetes-ridge": ["1", "2"], "churn-classifier": ["1"] };
    for (const [model, versions] of Object.entries(models)) {
      for (const version of versions) {
        // Different files per version: the same files would be found and reused, not registered again.
        const folder = `${model}-v${version}`;
        fs.mkdirSync(path.join(bed.workDir, folder), { recursive: true });
        fs.writeFileSync(path.join(bed.workDir, folder, "model.pkl"), `${model} ${version}`);
        const registered = await bed.runTask("AzureMLRegisterModel", { source: "localPath", localPath: folder, modelName: model });
        assert.equal(registered.outputs.modelVersion, version, registered.log);
      }
    }

    // What the deployments serve: Microsoft's sample regression, whose answer the smoke test knows.
    const servedModel = "sklearn-regression";
    fs.cpSync(path.join(model1Sample, "model"), path.join(bed.workDir, servedModel, "model"), { recursive: true });
    const served = await bed.runTask("AzureMLRegisterModel", { source: "localPath", localPath: `${servedModel}/model`, modelName: servedModel });
    assert.equal(served.outputs.modelVersion, "1", served.log);
    models[servedModel] = ["1"];

    const online = await provisionOnlineWorld(bed, {
      // Written as AzureMLDeploy's model list and AzureMLTrain's environment list offer them.
      model: `${servedModel}@latest`,
      environment: `azureml:${environmentName}@latest`,
      scoringCode: path.join(model1Sample, "onlinescoring"),
      smokeTest: { request: model1Request, responsePattern: `^\\[${Math.trunc(model1Prediction[0])}\\.` },
      otherWorkspacePath: other.outputs.workspaceId,
      token,
    });
    const world: PickerWorld = {
      resourceGroups: [bed.resourceGroup, otherResourceGroup],
      resourceGroup: bed.resourceGroup,
      workspaceName: bed.workspaceName,
      otherResourceGroup,
      otherWorkspaceName: other.outputs.workspaceName,
      computeClusters: [bed.clusterName],
      environments: [...curatedEnvironmentNames(), environmentName],
      models,
      ...online,
    };
    return { bed, world, token };
  } catch (error) {
    await bed.stop();
    throw error;
  }
}
