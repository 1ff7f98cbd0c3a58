import * as path from "node:path";
import { endpointEnvironment } from "../../../local/runner/agentEnvironment";

/*
 * The agent every task test runs under: the DEV environment of DESIGN §1 (NAMESPACE mlopsdev01,
 * resource group rg-mlops-dev) with a subscription-scoped service principal connection, in a job
 * folder of its own. Each task's test bed adds its inputs and its in-memory Azure.
 */
export const connectionId = "c0ffee00-0000-4000-8000-000000000001";
export const subscriptionId = "00000000-1111-4222-8333-444444444444";
export const tenantId = "72f988bf-0000-4000-8000-000000000000";
export const servicePrincipalKey = "sp-key-that-must-never-be-printed";
export const resourceGroup = "rg-mlops-dev";
export const workspaceName = "amlmlopsdev01";
export const workspaceId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${workspaceName}`;

/** The variables the agent gives a task of a DEV job whose folders are all `workDir` (its temp folder: `workDir/agent-temp`). */
export function devAgentEnvironment(workDir: string): Record<string, string> {
  return {
    ...endpointEnvironment({
      id: connectionId,
      url: "https://management.azure.com/",
      scheme: "ServicePrincipal",
      parameters: {
        serviceprincipalid: "11111111-2222-4333-8444-555555555555",
        serviceprincipalkey: servicePrincipalKey,
        tenantid: tenantId,
        authenticationType: "spnKey",
      },
      data: { subscriptionId, subscriptionName: "MLOps Dev", environment: "AzureCloud", scopeLevel: "Subscription" },
    }),
    ENVIRONMENT: "DEV",
    NAMESPACE: "mlopsdev01",
    RESOURCE_GROUP: resourceGroup,
    SYSTEM_DEFAULTWORKINGDIRECTORY: workDir,
    BUILD_SOURCESDIRECTORY: workDir,
    AGENT_BUILDDIRECTORY: workDir,
    AGENT_TEMPDIRECTORY: path.join(workDir, "agent-temp"),
  };
}
