import { hasControlCharacter } from "../text/printable";

/**
 * Azure's naming rules for the resources the tasks create, as "Naming rules and restrictions
 * for Azure resources" (learn.microsoft.com, azure-resource-manager/management/resource-name-rules)
 * gives them, and as the services answer where the page is vaguer (compute: the Azure ML
 * service's own message). Checked before any call, so a bad name fails the task at once instead
 * of after half the resources exist. No rule lets a control character through: a name is
 * printed in log lines and sent in URLs.
 */
export interface NameRule {
  /** What the name is for, as a person reads it: "storage account". */
  resource: string;
  /** The rule in words, quoted in errors. */
  description: string;
  /** Shortest and longest names Azure takes, in characters. */
  length: { min: number; max: number };
  test(name: string): boolean;
}

function rule(resource: string, description: string, length: { min: number; max: number }, shape: (name: string) => boolean): NameRule {
  return {
    resource,
    description,
    length,
    test: (name) => name.length >= length.min && name.length <= length.max && !hasControlCharacter(name) && shape(name),
  };
}

export const nameRules = {
  // Microsoft.Storage/storageAccounts: 3-24, lowercase letters and numbers; global.
  storageAccount: rule("storage account", "3–24 lower-case letters and digits", { min: 3, max: 24 }, (n) => /^[a-z0-9]+$/.test(n)),
  // Microsoft.KeyVault/vaults: 3-24, alphanumerics and hyphens; start with a letter, end with a
  // letter or digit, no consecutive hyphens; global.
  keyVault: rule("key vault", "3–24 letters, digits and single hyphens, starting with a letter and ending with a letter or digit", { min: 3, max: 24 }, (n) =>
    /^[A-Za-z](?:[A-Za-z0-9]|-(?!-))*[A-Za-z0-9]$/.test(n),
  ),
  // Microsoft.ContainerRegistry/registries: 5-50, alphanumerics; global.
  containerRegistry: rule("container registry", "5–50 letters and digits", { min: 5, max: 50 }, (n) => /^[A-Za-z0-9]+$/.test(n)),
  // Microsoft.MachineLearningServices/workspaces: 3-33, alphanumerics, hyphens and underscores;
  // start with an alphanumeric.
  workspace: rule("Azure ML workspace", "3–33 letters, digits, '-' and '_', starting with a letter or digit", { min: 3, max: 33 }, (n) =>
    /^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(n),
  ),
  // Microsoft.Insights/components: 1-260; can't use % & \ ? / or control characters; can't end
  // with a space or a period.
  applicationInsights: rule(
    "Application Insights component",
    "1–260 characters, none of % & \\ ? / or a control character, and not ending with a space or '.'",
    { min: 1, max: 260 },
    (n) => !/[%&\\?/]/.test(n) && !/[ .]$/.test(n),
  ),
  // Microsoft.OperationalInsights/workspaces: 4-63, alphanumerics and hyphens; start and end
  // with an alphanumeric.
  logAnalyticsWorkspace: rule(
    "Log Analytics workspace",
    "4–63 letters, digits and hyphens, starting and ending with a letter or digit",
    { min: 4, max: 63 },
    (n) => /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(n),
  ),
  // Microsoft.Resources/resourcegroups: 1-90, underscores, hyphens, periods, parentheses, and
  // letters or digits as .NET's Char.IsLetterOrDigit defines them (Unicode letters and decimal
  // digits); can't end with a period.
  resourceGroup: rule(
    "resource group",
    "1–90 letters, digits, '_', '-', '.', '(' and ')', not ending with '.'",
    { min: 1, max: 90 },
    (n) => /^[\p{L}\p{Nd}_\-.()]+$/u.test(n) && !n.endsWith("."),
  ),
  // Microsoft.MachineLearningServices/workspaces/computes: 2-16, alphanumerics and hyphens; the
  // service adds: start with a letter, end with a letter or digit.
  computeCluster: rule("compute cluster", "2–16 letters, digits and hyphens, starting with a letter and not ending with a hyphen", { min: 2, max: 16 }, (n) =>
    /^[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(n),
  ),
  // Not a resource: a region's programmatic name, as `az account list-locations` prints it.
  location: rule("Azure region", "a region name such as 'westeurope' (letters and digits)", { min: 2, max: 40 }, (n) => /^[a-z0-9]+$/.test(n)),
} satisfies Record<string, NameRule>;

export type NamedResourceKind = keyof typeof nameRules;
