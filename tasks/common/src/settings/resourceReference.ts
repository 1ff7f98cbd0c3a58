import { InputError } from "../errors/inputError";
import { NameRule, nameRules } from "../naming/azureNameRules";
import { quoted } from "../text/printable";
import { SourcedValue } from "./sourcedValue";

/** An Azure resource the task uses, named by the user either by name or by full resource id. */
export interface ResourceReference {
  name: string;
  resourceGroup: string;
  subscriptionId: string;
  id: string;
  /** True when the user gave a resource id: the resource must then already exist. */
  givenById: boolean;
  source: string;
}

export interface ResourceType {
  /** "Microsoft.Storage/storageAccounts" */
  type: string;
  rule: NameRule;
}

export function resourceId(subscriptionId: string, resourceGroup: string, type: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${type}/${name}`;
}

const subscriptionIdPattern = /^[0-9A-Fa-f]{8}-(?:[0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}$/;
const idPattern = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/([^/]+\/[^/]+)\/([^/]+)$/i;

export function validateName(value: SourcedValue, rule: NameRule): void {
  if (!rule.test(value.value)) {
    throw new InputError(`${capitalize(value.source)} gives ${quoted(value.value)}, which is not a valid ${rule.resource} name: ${rule.description}.`);
  }
}

/**
 * Reads a name or a resource id. A name lives in the task's own resource group; an id may point
 * anywhere, but must be of the expected type.
 */
export function toResourceReference(value: SourcedValue, kind: ResourceType, home: { subscriptionId: string; resourceGroup: string }): ResourceReference {
  if (value.value.startsWith("/")) {
    const match = idPattern.exec(value.value);
    if (!match || match[3].toLowerCase() !== kind.type.toLowerCase()) {
      throw new InputError(
        `${capitalize(value.source)} gives ${quoted(value.value)}, which is not a ${kind.rule.resource} resource id ` +
          `(/subscriptions/<id>/resourceGroups/<group>/providers/${kind.type}/<name>).`,
      );
    }
    const [, subscriptionId, resourceGroup, , name] = match;
    if (!subscriptionIdPattern.test(subscriptionId)) {
      throw new InputError(
        `${capitalize(value.source)} gives ${quoted(value.value)}, whose subscription ${quoted(subscriptionId)} is not a subscription id (a GUID).`,
      );
    }
    validateName({ value: resourceGroup, source: `${value.source} (its resource group)` }, nameRules.resourceGroup);
    validateName({ value: name, source: value.source }, kind.rule);
    return {
      name,
      resourceGroup,
      subscriptionId,
      id: resourceId(subscriptionId, resourceGroup, kind.type, name),
      givenById: true,
      source: value.source,
    };
  }
  validateName(value, kind.rule);
  return {
    name: value.value,
    resourceGroup: home.resourceGroup,
    subscriptionId: home.subscriptionId,
    id: resourceId(home.subscriptionId, home.resourceGroup, kind.type, value.value),
    givenById: false,
    source: value.source,
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
