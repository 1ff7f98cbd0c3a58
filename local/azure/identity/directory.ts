import { join } from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import { readJsonIfExists, writeFileAtomic, writeJsonAtomic } from "../state/atomicFile";
import { createSelfSignedClientCertificate } from "../certificates/certificateAuthority";

export type RoleName = "Owner" | "Contributor" | "Reader";

export interface RoleAssignment {
  role: RoleName;
  scope: string;
}

export interface FederatedCredential {
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
}

export type PrincipalKind = "application" | "managedIdentity";

export interface PrincipalRecord {
  /** A stable handle for tests and connection.json: "subscription-secret", "workspace-scoped", … */
  name: string;
  displayName: string;
  kind: PrincipalKind;
  clientId: string;
  objectId: string;
  secrets: string[];
  certificatePems: string[];
  federatedCredentials: FederatedCredential[];
  roleAssignments: RoleAssignment[];
}

export interface DevOpsServiceConnection {
  id: string;
  name: string;
  clientId: string;
}

export interface DevOpsOrganization {
  organizationName: string;
  organizationId: string;
  projectName: string;
  projectId: string;
  planId: string;
  jobId: string;
  /** What the agent hands a job as System.AccessToken. */
  jobAccessToken: string;
  serviceConnections: DevOpsServiceConnection[];
}

export interface DirectoryState {
  tenantId: string;
  tenantDomain: string;
  subscriptionId: string;
  subscriptionDisplayName: string;
  principals: PrincipalRecord[];
  devops: DevOpsOrganization;
  /** The secret App Service puts in IDENTITY_HEADER. */
  appServiceIdentityHeader: string;
  certificatePrincipalPemPath: string;
}

export interface ScopedWorkspace {
  resourceGroupName: string;
  workspaceName: string;
}

export const defaultScopedWorkspace: ScopedWorkspace = { resourceGroupName: "rg-local-ml", workspaceName: "amllocal" };

/** Shaped like the secrets Entra hands out: 40 characters, URL-safe. */
function newClientSecret(): string {
  return randomBytes(30).toString("base64url");
}

function principal(name: string, displayName: string, kind: PrincipalKind, roleAssignments: RoleAssignment[]): PrincipalRecord {
  return {
    name,
    displayName,
    kind,
    clientId: randomUUID(),
    objectId: randomUUID(),
    secrets: [],
    certificatePems: [],
    federatedCredentials: [],
    roleAssignments,
  };
}

export function workspaceScope(subscriptionId: string, workspace: ScopedWorkspace): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${workspace.resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/${workspace.workspaceName}`;
}

/** The issuer Azure DevOps puts in the OIDC tokens of one organization. */
export function devOpsIssuer(baseUrl: string, organizationId: string): string {
  return `${baseUrl}/_vstoken/${organizationId}`;
}

export function devOpsSubject(devops: DevOpsOrganization, serviceConnectionName: string): string {
  return `sc://${devops.organizationName}/${devops.projectName}/${serviceConnectionName}`;
}

function createDirectory(stateDir: string, scopedWorkspace: ScopedWorkspace): DirectoryState {
  const tenantId = randomUUID();
  const subscriptionId = randomUUID();
  const subscriptionScope = `/subscriptions/${subscriptionId}`;

  const secretPrincipal = principal("subscription-secret", "local-azure-subscription-contributor", "application", [
    { role: "Contributor", scope: subscriptionScope },
  ]);
  secretPrincipal.secrets.push(newClientSecret());

  const certificatePrincipal = principal("subscription-certificate", "local-azure-subscription-certificate", "application", [
    { role: "Contributor", scope: subscriptionScope },
  ]);
  const clientCertificate = createSelfSignedClientCertificate("local-azure-subscription-certificate");
  certificatePrincipal.certificatePems.push(clientCertificate.certPem);
  const certificatePrincipalPemPath = join(stateDir, "identity", "subscription-certificate.pem");
  writeFileAtomic(certificatePrincipalPemPath, clientCertificate.keyPem + clientCertificate.certPem);

  const workspacePrincipal = principal("workspace-scoped", "local-azure-workspace-contributor", "application", [
    { role: "Contributor", scope: workspaceScope(subscriptionId, scopedWorkspace) },
  ]);
  workspacePrincipal.secrets.push(newClientSecret());

  const federatedPrincipal = principal("workload-identity", "local-azure-workload-identity", "application", [
    { role: "Contributor", scope: subscriptionScope },
  ]);

  const managedIdentity = principal("managed-identity", "local-azure-agent-identity", "managedIdentity", [{ role: "Contributor", scope: subscriptionScope }]);

  const devops: DevOpsOrganization = {
    organizationName: "local-org",
    organizationId: randomUUID(),
    projectName: "local-project",
    projectId: randomUUID(),
    planId: randomUUID(),
    jobId: randomUUID(),
    jobAccessToken: randomBytes(32).toString("base64url"),
    serviceConnections: [{ id: randomUUID(), name: "local-azure-wif", clientId: federatedPrincipal.clientId }],
  };

  return {
    tenantId,
    tenantDomain: "localazure.onmicrosoft.com",
    subscriptionId,
    subscriptionDisplayName: "Local Azure subscription",
    principals: [secretPrincipal, certificatePrincipal, workspacePrincipal, federatedPrincipal, managedIdentity],
    devops,
    appServiceIdentityHeader: randomBytes(24).toString("base64url"),
    certificatePrincipalPemPath,
  };
}

/**
 * The tenant, subscription and principals are made once and kept, so a connection.json written
 * by hand from an earlier run, and tokens issued before a restart, stay valid.
 */
export class Directory {
  private constructor(
    private readonly path: string,
    readonly state: DirectoryState,
  ) {}

  static openOrCreate(stateDir: string, scopedWorkspace: ScopedWorkspace | undefined): Directory {
    const path = join(stateDir, "identity", "directory.json");
    const existing = readJsonIfExists<DirectoryState>(path);
    const state = existing ?? createDirectory(stateDir, scopedWorkspace ?? defaultScopedWorkspace);
    const directory = new Directory(path, state);
    if (existing && scopedWorkspace) directory.rescopeWorkspacePrincipal(scopedWorkspace);
    directory.save();
    return directory;
  }

  private rescopeWorkspacePrincipal(workspace: ScopedWorkspace): void {
    const scoped = this.principalByName("workspace-scoped");
    if (scoped) scoped.roleAssignments = [{ role: "Contributor", scope: workspaceScope(this.state.subscriptionId, workspace) }];
  }

  /** Entra's issuer for federated credentials depends on the port this run listens on. */
  bindFederatedCredentials(baseUrl: string): void {
    const devops = this.state.devops;
    for (const connection of devops.serviceConnections) {
      const record = this.principalByClientId(connection.clientId);
      if (!record) continue;
      record.federatedCredentials = [
        {
          name: `azure-devops-${connection.name}`,
          issuer: devOpsIssuer(baseUrl, devops.organizationId),
          subject: devOpsSubject(devops, connection.name),
          audiences: ["api://AzureADTokenExchange"],
        },
      ];
    }
    this.save();
  }

  save(): void {
    writeJsonAtomic(this.path, this.state);
  }

  principalByName(name: string): PrincipalRecord | undefined {
    return this.state.principals.find((candidate) => candidate.name === name);
  }

  principalByClientId(clientId: string): PrincipalRecord | undefined {
    const wanted = clientId.toLowerCase();
    return this.state.principals.find((candidate) => candidate.clientId.toLowerCase() === wanted);
  }

  principalByObjectId(objectId: string): PrincipalRecord | undefined {
    const wanted = objectId.toLowerCase();
    return this.state.principals.find((candidate) => candidate.objectId.toLowerCase() === wanted);
  }

  isThisTenant(tenant: string): boolean {
    const wanted = tenant.toLowerCase();
    return wanted === this.state.tenantId.toLowerCase() || wanted === this.state.tenantDomain.toLowerCase();
  }

  /** Adds a service principal at run time, for tests that need one with a particular scope. */
  addServicePrincipal(name: string, roleAssignments: RoleAssignment[]): PrincipalRecord {
    const record = principal(name, name, "application", roleAssignments);
    record.secrets.push(newClientSecret());
    this.state.principals.push(record);
    this.save();
    return record;
  }
}
