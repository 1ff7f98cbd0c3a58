// Azure ML studio's host per cloud, as the connection's `environment` names it.
const studioHosts: Record<string, string> = {
  azurecloud: "https://ml.azure.com",
  azureusgovernment: "https://ml.azure.us",
  azurechinacloud: "https://studio.ml.azure.cn",
};

/** The studio page of a workspace (or of a path inside it, such as a job). */
export function studioUrl(cloud: string, workspaceId: string, tenantId: string, page = ""): string {
  const host = studioHosts[cloud.toLowerCase()] ?? studioHosts.azurecloud;
  // Studio's own links carry the workspace id unencoded: '/' is legal in a query string.
  return `${host}/${page}?wsid=${workspaceId}&tid=${encodeURIComponent(tenantId)}`;
}
