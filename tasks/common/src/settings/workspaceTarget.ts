import { readServiceConnection, type ServiceConnection } from "../auth/serviceConnection";
import { InputError } from "../errors/inputError";
import { nameRules } from "../naming/azureNameRules";
import { connectionSource } from "./connectionScope";
import { nameOrDerived } from "./derivedName";
import { type EnvironmentSettings, readEnvironmentSettings } from "./environmentSettings";
import { type ResourceReference, type ResourceType, toResourceReference } from "./resourceReference";

/*
 * What every task reads first, in the same three calls and with the same sentences:
 *   const connection = readConnection();
 *   const environment = readEnvironment(connection);
 *   const workspace = resolveWorkspace(connection, environment);
 */

/** The task input every task takes its AzureRM service connection from. */
export const CONNECTION_INPUT = "azureSubscription";

export const workspaceResourceType = {
  type: "Microsoft.MachineLearningServices/workspaces",
  rule: nameRules.workspace,
} satisfies ResourceType;

/** The service connection of input 'azureSubscription', its secrets masked. */
export function readConnection(): ServiceConnection {
  return readServiceConnection(CONNECTION_INPUT);
}

/**
 * ENVIRONMENT, the subscription, the resource group (input 'resourceGroup' → RESOURCE_GROUP →
 * the connection's), LOCATION and NAMESPACE.
 */
export function readEnvironment(connection: ServiceConnection): EnvironmentSettings {
  return readEnvironmentSettings(connection);
}

/**
 * The Azure ML workspace: input 'workspaceName' → variable AMLWORKSPACE → the workspace of a
 * workspace-scoped connection → 'aml' + NAMESPACE, in the environment's resource group. A name,
 * never a resource id: the resource group has its own input.
 */
export function resolveWorkspace(connection: ServiceConnection, environment: EnvironmentSettings): ResourceReference {
  const workspaceName = nameOrDerived(
    [{ input: "workspaceName" }, { variable: "AMLWORKSPACE" }, { fixed: connection.mlWorkspaceName, source: connectionSource(connection) }],
    { variable: "AMLWORKSPACE", prefix: "aml", rule: nameRules.workspace },
    environment.namespace,
  );
  const home = { subscriptionId: environment.subscriptionId, resourceGroup: environment.resourceGroup.value };
  const workspace = toResourceReference(workspaceName, workspaceResourceType, home);
  if (workspace.givenById) {
    const source = workspaceName.source.charAt(0).toUpperCase() + workspaceName.source.slice(1);
    throw new InputError(`${source} must be a workspace name, not a resource id; set the resource group with 'resourceGroup'.`);
  }
  return workspace;
}
