import type { AssetGateway } from "../../../common/src/assets/assetGateway";
import { AssetResolver, type WorkspaceId } from "../../../common/src/assets/assetResolver";
import type { OnlineDeploymentSpec } from "../../../common/src/azureml/onlineDeploymentFile";
import { PhaseTimes } from "../../../common/src/log/phaseTimes";
import type { ResolvedDeploymentAssets } from "../online/deploymentBody";
import type { ModelChoice } from "../settings/modelChoice";
import { resolveModel, type ResolvedModel } from "./resolveModel";

/** How each asset was found, for the log and the summary. */
export interface DeploymentAssetOutcomes {
  model?: ResolvedModel;
  environment: string;
  code?: string;
}

const owner = "The deployment's";

/**
 * Resolves what the deployment file names to the ids the deployment body takes: the model (see
 * resolveModel), the code folder uploaded content-addressed as an anonymous code version, the
 * environment referenced or created from its inline image and conda file, as AzureMLTrain does
 * for a job. Each of the three is a phase of `phases` (a code upload can take most of a rollout).
 */
export async function resolveDeploymentAssets(
  deployment: OnlineDeploymentSpec,
  model: ModelChoice,
  context: { gateway: AssetGateway; workspaceId: WorkspaceId; workspaceName: string; log: (line: string) => void },
  phases: PhaseTimes = new PhaseTimes(),
): Promise<{ assets: ResolvedDeploymentAssets; outcomes: DeploymentAssetOutcomes }> {
  const resolver = new AssetResolver(context.gateway, context.workspaceId, context.log);
  const resolvedModel = await phases.time("model", () => resolveModel(model, { ...context, resolver }));
  const codeConfiguration = deployment.codeConfiguration;
  const code = codeConfiguration ? await phases.time("code", () => resolver.code(codeConfiguration.code, owner)) : undefined;
  const environment = await phases.time("environment", () => resolver.environment(deployment.environment, owner));
  return {
    assets: {
      environmentId: environment.id,
      ...(code ? { codeId: code.id } : {}),
      ...(resolvedModel ? { modelId: resolvedModel.id } : {}),
    },
    outcomes: { ...(resolvedModel ? { model: resolvedModel } : {}), environment: environment.outcome, ...(code ? { code: code.outcome } : {}) },
  };
}
