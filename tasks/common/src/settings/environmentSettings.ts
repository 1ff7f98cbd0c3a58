import { InputError } from "../errors/inputError";
import { nameRules } from "../naming/azureNameRules";
import { quoted } from "../text/printable";
import { ConnectionScope, connectionSource } from "./connectionScope";
import { describeOrigins, firstValue, SourcedValue, ValueOrigin } from "./sourcedValue";
import { validateName } from "./resourceReference";

/** The environment a task acts on: DESIGN §1's ENVIRONMENT, RESOURCE_GROUP, LOCATION, NAMESPACE. */
export interface EnvironmentSettings {
  /** DEV, TEST, PROD…; undefined when the pipeline sets none. */
  environment?: string;
  subscriptionId: string;
  resourceGroup: SourcedValue;
  location?: SourcedValue;
  namespace?: SourcedValue;
}

export function readEnvironmentSettings(connection: ConnectionScope): EnvironmentSettings {
  const subscriptionId = connection.subscriptionId.trim();
  if (!subscriptionId) {
    throw new InputError(`The ${connectionSource(connection)} names no subscription; use a connection scoped to a subscription or a workspace.`);
  }

  const environment = firstValue({ variable: "ENVIRONMENT" });
  if (environment && !/^[A-Z][A-Z0-9_]*$/.test(environment.value)) {
    throw new InputError(`Variable ENVIRONMENT is ${quoted(environment.value)}: it must be an upper-case name such as DEV, TEST or PROD.`);
  }

  const resourceGroupOrigins: ValueOrigin[] = [
    { input: "resourceGroup" },
    { variable: "RESOURCE_GROUP" },
    { fixed: connection.resourceGroupName, source: connectionSource(connection) },
  ];
  const resourceGroup = firstValue(...resourceGroupOrigins);
  if (!resourceGroup) {
    throw new InputError(`No resource group is set: give one in ${describeOrigins(resourceGroupOrigins)}.`);
  }
  validateName(resourceGroup, nameRules.resourceGroup);

  const location = firstValue({ input: "location" }, { variable: "LOCATION" }, { fixed: connection.mlWorkspaceLocation, source: connectionSource(connection) });
  if (location) {
    // "West Europe" as the portal shows it is 'westeurope'; a tab or a newline is not a space, and is refused.
    location.value = location.value.toLowerCase().replace(/ +/g, "");
    validateName(location, nameRules.location);
  }

  const namespace = firstValue({ input: "namespace" }, { variable: "NAMESPACE" });
  return { environment: environment?.value, subscriptionId, resourceGroup, location, namespace };
}
