/** Facts about Azure clouds that a service connection may leave out. */

export const DEFAULT_AUTHORITY_URL = "https://login.microsoftonline.com";
export const DEFAULT_CLOUD = "AzureCloud";

// Entra ID hosts of the public clouds, where MSAL's instance discovery works. Any other
// authority (Azure Stack, a local emulator) must be trusted as given.
const PUBLIC_CLOUD_AUTHORITY_HOSTS = new Set([
  "login.microsoftonline.com",
  "login.windows.net",
  "login.microsoft.com",
  "sts.windows.net",
  "login.microsoftonline.us",
  "login.usgovcloudapi.net",
  "login.chinacloudapi.cn",
  "login.partner.microsoftonline.cn",
  "login.microsoftonline.de",
]);

export function isPublicCloudAuthority(authorityUrl: string): boolean {
  return PUBLIC_CLOUD_AUTHORITY_HOSTS.has(new URL(authorityUrl).hostname.toLowerCase());
}

// The token audience the agent's cloud data gives for each public ARM endpoint
// (activeDirectoryServiceEndpointResourceId).
const ARM_AUDIENCES: Readonly<Record<string, string>> = {
  "management.azure.com": "https://management.core.windows.net/",
  "management.usgovcloudapi.net": "https://management.core.usgovcloudapi.net/",
  "management.chinacloudapi.cn": "https://management.core.chinacloudapi.cn/",
};

/** The audience of ARM tokens when the connection does not say: the cloud's, else the ARM URL itself. */
export function defaultTokenAudience(armUrl: string): string {
  return ARM_AUDIENCES[new URL(armUrl).hostname.toLowerCase()] ?? `${armUrl}/`;
}
