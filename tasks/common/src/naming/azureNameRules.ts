/**
 * Azure's naming rules for the resources the tasks create. Checked before any call, so a bad
 * name fails the task at once instead of after half the resources exist.
 */
export interface NameRule {
  /** What the name is for, as a person reads it: "storage account". */
  resource: string;
  /** The rule in words, quoted in errors. */
  description: string;
  test(name: string): boolean;
}

function rule(resource: string, description: string, test: (name: string) => boolean): NameRule {
  return { resource, description, test };
}

const between = (name: string, min: number, max: number): boolean => name.length >= min && name.length <= max;

export const nameRules = {
  storageAccount: rule("storage account", "3–24 lower-case letters and digits", (n) => /^[a-z0-9]{3,24}$/.test(n)),
  keyVault: rule(
    "key vault",
    "3–24 letters, digits and single hyphens, starting with a letter and ending with a letter or digit",
    (n) => between(n, 3, 24) && /^[A-Za-z](?:[A-Za-z0-9]|-(?!-))*[A-Za-z0-9]$/.test(n),
  ),
  containerRegistry: rule("container registry", "5–50 letters and digits", (n) => /^[A-Za-z0-9]{5,50}$/.test(n)),
  workspace: rule(
    "Azure ML workspace",
    "3–33 letters, digits, '-' and '_', starting with a letter or digit",
    (n) => /^[A-Za-z0-9][A-Za-z0-9_-]{2,32}$/.test(n),
  ),
  applicationInsights: rule(
    "Application Insights component",
    "1–260 characters, none of % & \\ ? / and not ending with a space or '.'",
    (n) => between(n, 1, 260) && !/[%&\\?/]/.test(n) && !/[ .]$/.test(n),
  ),
  logAnalyticsWorkspace: rule(
    "Log Analytics workspace",
    "4–63 letters, digits and hyphens, starting and ending with a letter or digit",
    (n) => /^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$/.test(n),
  ),
  resourceGroup: rule(
    "resource group",
    "1–90 letters, digits, '_', '-', '.', '(' and ')', not ending with '.'",
    (n) => /^[\p{L}\p{N}_\-.()]{1,90}$/u.test(n) && !n.endsWith("."),
  ),
  computeCluster: rule(
    "compute cluster",
    "2–16 letters, digits and hyphens, starting with a letter and not ending with a hyphen",
    (n) => /^[A-Za-z][A-Za-z0-9-]{0,14}[A-Za-z0-9]$/.test(n),
  ),
  location: rule("Azure region", "a region name such as 'westeurope' (letters and digits)", (n) => /^[a-z0-9]{2,40}$/.test(n)),
} satisfies Record<string, NameRule>;

export type NamedResourceKind = keyof typeof nameRules;
