import { Directory, PrincipalRecord } from "../identity/directory";
import { LocalAzureConnection, ServicePrincipalConnection } from "./connectionInfo";
import { appServiceTokenPath } from "../identity/managedIdentity";
import { localhostResolverPath } from "../paths";

export interface ConnectionInputs {
  baseUrl: string;
  caCertPath: string;
  location: string;
  directory: Directory;
  oidcRequestPath: string;
  storage: { endpointSuffix: string; protocol: "https" | "http"; url: string };
  adminToken: string;
}

function scopeLevel(scope: string): ServicePrincipalConnection["scopeLevel"] {
  if (/\/providers\/Microsoft\.MachineLearningServices\/workspaces\/[^/]+$/i.test(scope)) return "AzureMLWorkspace";
  if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+$/i.test(scope)) return "ResourceGroup";
  return "Subscription";
}

export function servicePrincipalConnection(principal: PrincipalRecord, certificatePath: string | undefined): ServicePrincipalConnection {
  const assignment = principal.roleAssignments[0];
  const scope = assignment?.scope ?? "";
  const connection: ServicePrincipalConnection = {
    name: principal.name,
    role: assignment?.role ?? "None",
    scope,
    scopeLevel: scopeLevel(scope),
    clientId: principal.clientId,
    objectId: principal.objectId,
  };
  if (principal.secrets[0]) connection.clientSecret = principal.secrets[0];
  if (certificatePath) connection.certificatePath = certificatePath;
  const workspace = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.MachineLearningServices\/workspaces\/([^/]+)$/i.exec(scope);
  const group = /\/resourceGroups\/([^/]+)/i.exec(scope);
  if (group) connection.resourceGroupName = group[1];
  if (workspace) connection.mlWorkspaceName = workspace[2];
  return connection;
}

/** NODE_OPTIONS takes quoted values; quote the preload path only when it needs it. */
function requireOption(path: string): string {
  return /\s/.test(path) ? `--require ${JSON.stringify(path)}` : `--require ${path}`;
}

export function buildConnection(inputs: ConnectionInputs): LocalAzureConnection {
  const { directory, baseUrl } = inputs;
  const state = directory.state;
  const principals = ["subscription-secret", "subscription-certificate", "workspace-scoped"]
    .map((name) => directory.principalByName(name))
    .filter((principal): principal is PrincipalRecord => principal !== undefined)
    .map((principal) => servicePrincipalConnection(principal, principal.certificatePems.length > 0 ? state.certificatePrincipalPemPath : undefined));
  const serviceConnection = state.devops.serviceConnections[0];
  const federated = directory.principalByClientId(serviceConnection.clientId);
  const managedIdentity = state.principals.find((principal) => principal.kind === "managedIdentity");
  const credential = federated?.federatedCredentials[0];

  const connection: LocalAzureConnection = {
    kind: "local-azure",
    armUrl: baseUrl,
    authorityUrl: baseUrl,
    armAudience: "https://management.core.windows.net/",
    armScope: "https://management.azure.com/.default",
    caCertPath: inputs.caCertPath,
    tenantId: state.tenantId,
    subscriptionId: state.subscriptionId,
    subscriptionName: state.subscriptionDisplayName,
    location: inputs.location,
    servicePrincipals: principals,
    oidc: {
      requestUri: baseUrl + inputs.oidcRequestPath,
      accessToken: state.devops.jobAccessToken,
      serviceConnectionId: serviceConnection.id,
      serviceConnectionName: serviceConnection.name,
      clientId: serviceConnection.clientId,
      issuer: credential?.issuer ?? "",
      subject: credential?.subject ?? "",
    },
    storage: { blobEndpointSuffix: inputs.storage.endpointSuffix, protocol: inputs.storage.protocol, azuriteUrl: inputs.storage.url },
    clientEnvironment: {
      NODE_EXTRA_CA_CERTS: inputs.caCertPath,
      NODE_OPTIONS: requireOption(localhostResolverPath()),
    },
    admin: { url: `${baseUrl}/_admin`, token: inputs.adminToken },
    pid: process.pid,
    startedAt: new Date().toISOString(),
  };
  if (managedIdentity) {
    connection.managedIdentity = {
      clientId: managedIdentity.clientId,
      objectId: managedIdentity.objectId,
      imdsEnvironment: { AZURE_POD_IDENTITY_AUTHORITY_HOST: baseUrl },
      appServiceEnvironment: { IDENTITY_ENDPOINT: baseUrl + appServiceTokenPath, IDENTITY_HEADER: state.appServiceIdentityHeader },
    };
  }
  return connection;
}
