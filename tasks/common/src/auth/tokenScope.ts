/**
 * The `.default` scope of a resource. The resource id is kept exactly as given because Entra
 * matches it against the resource's registered identifier and puts it in the token's `aud`:
 * ARM's https://management.core.windows.net/ keeps its slash, hence
 * https://management.core.windows.net//.default (the form Azure CLI and azure-arm-rest use).
 */
export function defaultScopeFor(audience: string): string {
  const resource = audience.trim();
  return resource.endsWith("/.default") ? resource : `${resource}/.default`;
}
