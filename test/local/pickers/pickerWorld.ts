import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { curatedEnvironmentNames } from "../../../local/azure/services/machinelearning/arm/curatedEnvironments";
import { MlWorkspaceBed, startMlWorkspaceBed } from "../../e2e/mlWorkspaceBed";
import { armRequest, connectionToken, subscriptionPrincipal } from "./armFetch";
import type { PickerWorld } from "./bindingCatalogue";

/**
 * What the pick lists are tested on, made as a pipeline would make it on a local Azure of its own
 * (strict: every exchange checked against the swaggers): a workspace with a compute cluster
 * (the built AzureMLWorkspace task), a second one in another resource group, an environment of
 * the workspace's own (PUT as `az ml environment create` does), and two models, one with two
 * versions (the built AzureMLRegisterModel task, from local files).
 */
export async function provisionPickerWorld(): Promise<{ bed: MlWorkspaceBed; world: PickerWorld; token: string }> {
  const bed = await startMlWorkspaceBed("pickers");
  try {
    const otherResourceGroup = "rg-pickers-other";
    const other = await bed.runTask("AzureMLWorkspace", { createResourceGroup: "true", resourceGroup: otherResourceGroup, namespace: "pickersother" });
    assert.equal(other.result, "Succeeded", other.log);

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
    const world: PickerWorld = {
      resourceGroups: [bed.resourceGroup, otherResourceGroup],
      resourceGroup: bed.resourceGroup,
      workspaceName: bed.workspaceName,
      otherResourceGroup,
      otherWorkspaceName: other.outputs.workspaceName ?? "",
      computeClusters: [bed.clusterName],
      environments: [...curatedEnvironmentNames(), environmentName],
      models,
    };
    return { bed, world, token };
  } catch (error) {
    await bed.stop();
    throw error;
  }
}
