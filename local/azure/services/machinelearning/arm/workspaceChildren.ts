import { ArmRequestContext } from "../../../arm/armRoute";
import { resourceNotFound } from "../../../arm/resourceHelpers";
import { ResourceStore, StoredResource } from "../../../state/resourceStore";
import { workspaceId } from "./workspaceIds";

/** The workspace a compute or datastore is addressed under; ARM's 404 when it is missing. */
export function requireWorkspace(store: ResourceStore, context: ArmRequestContext): StoredResource {
  const workspace = store.get(workspaceId(context.params));
  if (!workspace) throw resourceNotFound(context, `Microsoft.MachineLearningServices/workspaces/${context.params.workspaceName}`);
  return workspace;
}

/** A child of a workspace (`computes/<name>`, `datastores/<name>`): the 404 names the workspace first if that is what is missing. */
export function requireWorkspaceChild(store: ResourceStore, context: ArmRequestContext, childId: string, childPath: string): StoredResource {
  requireWorkspace(store, context);
  const child = store.get(childId);
  if (!child) throw resourceNotFound(context, `Microsoft.MachineLearningServices/workspaces/${context.params.workspaceName}/${childPath}`);
  return child;
}
