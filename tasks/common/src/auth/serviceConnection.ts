import * as tl from "azure-pipelines-task-lib/task";
import { DEFAULT_AUTHORITY_URL, DEFAULT_CLOUD, defaultTokenAudience } from "./cloudEndpoints";
import { EndpointFields } from "./endpointFields";
import { hasPrivateKey, maskPrivateKeys, maskSecret } from "./secretMasking";

export type AuthScheme = "ServicePrincipal" | "WorkloadIdentityFederation" | "ManagedServiceIdentity";

const SUPPORTED_SCHEMES: readonly AuthScheme[] = ["ServicePrincipal", "WorkloadIdentityFederation", "ManagedServiceIdentity"];

/** An Azure Resource Manager service connection, as the agent handed it to the task. */
export interface ServiceConnection {
  /** The input's value: the endpoint id. */
  id: string;
  scheme: AuthScheme;
  tenantId: string;
  /** "" when the connection has none (management group scope, some managed identities). */
  subscriptionId: string;
  subscriptionName?: string;
  /** ARM endpoint, without trailing slash. */
  armUrl: string;
  /** Entra ID authority host, without trailing slash. */
  authorityUrl: string;
  /** Resource whose token ARM accepts; the scope asked for is this plus "/.default". */
  tokenAudience: string;
  /** The connection's cloud ('environment' data), e.g. AzureCloud. */
  cloud: string;
  /** Subscription | ManagementGroup | AzureMLWorkspace */
  scopeLevel?: string;
  mlWorkspaceName?: string;
  resourceGroupName?: string;
  mlWorkspaceLocation?: string;
  servicePrincipal?: { clientId: string; secret?: string; certificatePem?: string };
  workloadIdentity?: { clientId: string };
  managedIdentity?: { clientId?: string };
}

/**
 * Reads the AzureRM service connection named by a task input, with the endpoint fields the
 * agent provides (the ones microsoft/azure-pipelines-tasks' azure-arm-rest reads), and masks
 * its secrets. Fails with one sentence naming the input and what is missing.
 */
export function readServiceConnection(inputName: string): ServiceConnection {
  const id = tl.getInput(inputName, false)?.trim();
  if (!id) {
    throw new Error(`Input '${inputName}' is required: set it to an Azure Resource Manager service connection.`);
  }
  const fields = new EndpointFields(id);
  const where = `Service connection '${id}' (input '${inputName}')`;

  const rawUrl = fields.url();
  if (!rawUrl) {
    throw new Error(`${where} was not found: the agent gave no URL for it. Check the connection exists and this pipeline may use it.`);
  }
  const armUrl = httpsUrl(rawUrl, `${where} has an invalid Azure Resource Manager URL`);
  const scheme = authScheme(fields.scheme(), where);
  const credentials = readCredentials(scheme, fields, where);

  const authority = fields.data("environmentAuthorityUrl") ?? fields.data("activeDirectoryAuthority") ?? DEFAULT_AUTHORITY_URL;
  return {
    id,
    scheme,
    tenantId: credentials.tenantId,
    subscriptionId: fields.data("subscriptionId") ?? "",
    subscriptionName: fields.data("subscriptionName"),
    armUrl,
    authorityUrl: httpsUrl(authority, `${where} has an invalid authority URL (environmentAuthorityUrl)`),
    tokenAudience: fields.data("activeDirectoryServiceEndpointResourceId") ?? defaultTokenAudience(armUrl),
    cloud: fields.data("environment") ?? DEFAULT_CLOUD,
    scopeLevel: fields.data("scopeLevel"),
    mlWorkspaceName: fields.data("mlWorkspaceName"),
    resourceGroupName: fields.data("resourceGroupName"),
    mlWorkspaceLocation: fields.data("mlWorkspaceLocation"),
    ...credentials.identity,
  };
}

type ConnectionCredentials = {
  tenantId: string;
  identity: Pick<ServiceConnection, "servicePrincipal" | "workloadIdentity" | "managedIdentity">;
};

function readCredentials(scheme: AuthScheme, fields: EndpointFields, where: string): ConnectionCredentials {
  switch (scheme) {
    case "ServicePrincipal":
      return { tenantId: tenantId(fields, where), identity: { servicePrincipal: readServicePrincipal(fields, where) } };
    case "WorkloadIdentityFederation":
      return { tenantId: tenantId(fields, where), identity: { workloadIdentity: { clientId: clientId(fields, where) } } };
    case "ManagedServiceIdentity":
      // The agent machine's identity is used; the tenant is informative only.
      return {
        tenantId: fields.authParameter("tenantid") ?? "",
        identity: { managedIdentity: { clientId: fields.data("msiClientId") } },
      };
  }
}

function readServicePrincipal(fields: EndpointFields, where: string): NonNullable<ServiceConnection["servicePrincipal"]> {
  const id = clientId(fields, where);
  const authenticationType = fields.authParameter("authenticationType") ?? "spnKey";
  switch (authenticationType.toLowerCase()) {
    case "spnkey": {
      const secret = fields.secretAuthParameter("serviceprincipalkey");
      if (!secret) throw new Error(`${where} has no service principal key.`);
      maskSecret(secret);
      return { clientId: id, secret };
    }
    case "spncertificate": {
      const certificatePem = fields.secretAuthParameter("servicePrincipalCertificate");
      if (!certificatePem) throw new Error(`${where} has no service principal certificate.`);
      maskPrivateKeys(certificatePem);
      if (!hasPrivateKey(certificatePem) || !certificatePem.includes("-----BEGIN CERTIFICATE-----")) {
        throw new Error(`${where} has a service principal certificate that is not a PEM holding both the certificate and its private key.`);
      }
      return { clientId: id, certificatePem };
    }
    default:
      throw new Error(
        `${where} has the service principal authentication type '${authenticationType}'; supported types: spnKey (secret), spnCertificate (certificate).`,
      );
  }
}

function authScheme(raw: string | undefined, where: string): AuthScheme {
  // azure-arm-rest treats a connection without a scheme as a service principal; so do we.
  if (!raw) return "ServicePrincipal";
  const scheme = SUPPORTED_SCHEMES.find((candidate) => candidate.toLowerCase() === raw.toLowerCase());
  if (!scheme) {
    throw new Error(`${where} uses the authentication scheme '${raw}', which these tasks do not support; supported schemes: ${SUPPORTED_SCHEMES.join(", ")}.`);
  }
  return scheme;
}

function tenantId(fields: EndpointFields, where: string): string {
  const value = fields.authParameter("tenantid");
  if (!value) throw new Error(`${where} has no tenant id.`);
  return value;
}

function clientId(fields: EndpointFields, where: string): string {
  const value = fields.authParameter("serviceprincipalid");
  if (!value) throw new Error(`${where} has no service principal (application) id.`);
  return value;
}

function httpsUrl(raw: string, problem: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${problem}: '${raw}'.`);
  }
  if (url.protocol !== "https:") throw new Error(`${problem}: '${raw}' must use https.`);
  return url.href.replace(/\/+$/, "");
}
