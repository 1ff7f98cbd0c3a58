/**
 * What a service connection says about where it may act. The full connection (with its
 * credentials) lives in auth/; settings only need this part.
 */
export interface ConnectionScope {
  id: string;
  subscriptionId: string;
  scopeLevel?: string;
  resourceGroupName?: string;
  mlWorkspaceName?: string;
  mlWorkspaceLocation?: string;
}

export function connectionSource(connection: ConnectionScope): string {
  return `service connection '${connection.id}'`;
}
