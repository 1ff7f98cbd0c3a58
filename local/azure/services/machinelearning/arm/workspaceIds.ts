import { PathParameters } from "../../../http/pathTemplate";
import { resourceGroupId } from "../../../arm/armRoute";

export const workspaceTemplate =
  "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/{workspaceName}";
export const machineLearningApiVersions = ["2022-10-01"];
export const workspaceType = "Microsoft.MachineLearningServices/workspaces";
export const computeType = "Microsoft.MachineLearningServices/workspaces/computes";
export const datastoreType = "Microsoft.MachineLearningServices/workspaces/datastores";

export function workspaceId(params: PathParameters): string {
  return `${resourceGroupId(params)}/providers/Microsoft.MachineLearningServices/workspaces/${params.workspaceName}`;
}
export const jobType = "Microsoft.MachineLearningServices/workspaces/jobs";
