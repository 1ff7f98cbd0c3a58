/**
 * What connection.json holds: everything a client needs to reach this local Azure, or, written by
 * hand, a real subscription (then only the fields a real cloud has are filled in).
 */
export interface ServicePrincipalConnection {
  /** "subscription-secret", "subscription-certificate", "workspace-scoped", … */
  name: string;
  /** The role and the scope it is assigned at, as a human reads them. */
  role: string;
  scope: string;
  scopeLevel: "Subscription" | "AzureMLWorkspace" | "ResourceGroup";
  clientId: string;
  objectId?: string;
  clientSecret?: string;
  /** A PEM file holding the private key and the certificate, as Azure DevOps stores it. */
  certificatePath?: string;
  resourceGroupName?: string;
  mlWorkspaceName?: string;
}

export interface WorkloadIdentityConnection {
  /** System.OidcRequestUri of the job. */
  requestUri: string;
  /** System.AccessToken of the job. */
  accessToken: string;
  serviceConnectionId: string;
  serviceConnectionName: string;
  /** The application the service connection federates with. */
  clientId: string;
  issuer: string;
  subject: string;
}

export interface ManagedIdentityConnection {
  clientId: string;
  objectId: string;
  /** Set these for ManagedIdentityCredential to use the IMDS flavour. */
  imdsEnvironment: Record<string, string>;
  /** Or these, for the App Service flavour. */
  appServiceEnvironment: Record<string, string>;
}

export interface StorageConnection {
  /** What datastores and storage accounts carry as their endpoint suffix: <account>.blob.<suffix>. */
  blobEndpointSuffix: string;
  protocol: "https" | "http";
  /** Azurite's own address, for tools that want path-style URLs (http(s)://127.0.0.1:port/<account>). */
  azuriteUrl: string;
}

export interface LocalAzureConnection {
  kind: "local-azure" | "azure";
  armUrl: string;
  authorityUrl: string;
  /** The token audience for ARM, as Azure DevOps endpoint data gives it (activeDirectoryServiceEndpointResourceId). */
  armAudience: string;
  /** Scope to ask Entra for when calling ARM (an application ID URI of ARM + "/.default"). */
  armScope: string;
  caCertPath?: string;
  tenantId: string;
  subscriptionId: string;
  subscriptionName?: string;
  location: string;
  servicePrincipals: ServicePrincipalConnection[];
  oidc?: WorkloadIdentityConnection;
  managedIdentity?: ManagedIdentityConnection;
  storage?: StorageConnection;
  /** Environment a client process must be started with (NODE_EXTRA_CA_CERTS, NODE_OPTIONS). */
  clientEnvironment: Record<string, string>;
  /** The admin API (faults, violations, request log); local only. */
  admin?: { url: string; token: string };
  pid?: number;
  startedAt?: string;
}
