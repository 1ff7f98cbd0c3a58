import { ArmRoute, defineRoute, HttpMethod } from "../../../arm/armRoute";
import { machineLearningApiVersions } from "./workspaceIds";

export type MachineLearningRoute = (
  operationId: string,
  method: HttpMethod,
  template: string,
  /** The RBAC verb of the action: read, write, delete, or an action's own name (listKeys/action…). */
  verb: string,
  handler: ArmRoute["handler"],
  scope?: "path" | "pathParent",
) => ArmRoute;

/** A route factory for one Azure ML resource type at the api-versions the local Azure serves; its RBAC action is `<type>/<verb>`. */
export function machineLearningRoutes(resourceType: string): MachineLearningRoute {
  return (operationId, method, template, verb, handler, scope = "path") =>
    defineRoute({
      operationId,
      method,
      template,
      apiVersions: machineLearningApiVersions,
      resourceType,
      action: `${resourceType}/${verb}`,
      scope,
      handler,
    });
}
