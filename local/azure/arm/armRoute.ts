import { CompiledTemplate, compileTemplate, PathParameters } from "../http/pathTemplate";
import { HeaderMap } from "../http/exchange";
import { JsonValue } from "../state/json";
import { PrincipalRecord } from "../identity/directory";

export type HttpMethod = "GET" | "PUT" | "PATCH" | "DELETE" | "POST" | "HEAD";

export interface ArmRequestContext {
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly params: PathParameters;
  readonly query: URLSearchParams;
  readonly apiVersion: string;
  readonly body: unknown;
  readonly principal: PrincipalRecord;
  readonly requestId: string;
  readonly correlationId: string;
}

export interface ArmResult {
  status: number;
  body?: JsonValue;
  headers?: HeaderMap;
}

/**
 * How much of the path RBAC checks the action over: the resource itself, its parent (for actions
 * such as listKeys and for child collections), the resource group or the subscription.
 */
export type AuthorizationScope = "path" | "pathParent" | "resourceGroup" | "subscription";

export interface ArmRoute {
  /** The swagger's operationId: logs, fault rules and validation all use it. */
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly template: CompiledTemplate;
  /** Api-versions this route answers; "any" for operation status URLs, which follow their operation. */
  readonly apiVersions: readonly string[] | "any";
  /** "Microsoft.Storage/storageAccounts": named in api-version and location errors. */
  readonly resourceType: string;
  /** The RBAC action, e.g. "Microsoft.Storage/storageAccounts/write". */
  readonly action: string;
  readonly scope: AuthorizationScope;
  /**
   * Why no pinned swagger describes this route although ARM serves it (e.g. the operation status
   * URLs ARM hands out); strict mode then neither validates it nor refuses it as unknown.
   */
  readonly outsideSwagger?: string;
  /** Replaces the role check, e.g. for operation status URLs that only their initiator may read. */
  readonly authorize?: (context: ArmRequestContext) => boolean;
  readonly handler: (context: ArmRequestContext) => ArmResult | Promise<ArmResult>;
}

export interface RouteDefinition extends Omit<ArmRoute, "template" | "scope"> {
  template: string;
  scope?: AuthorizationScope;
}

export function defineRoute(definition: RouteDefinition): ArmRoute {
  return { ...definition, template: compileTemplate(definition.template), scope: definition.scope ?? "path" };
}

export function resourceGroupId(params: PathParameters): string {
  return `/subscriptions/${params.subscriptionId}/resourceGroups/${params.resourceGroupName}`;
}
