import { Exchange } from "../../../http/exchange";
import { PathParameters } from "../../../http/pathTemplate";
import { PrincipalRecord } from "../../../identity/directory";
import { Answer } from "../../../chain/requestChain";

export interface DataPlaneRequest {
  readonly exchange: Exchange;
  readonly params: PathParameters;
  /** Who the bearer token names; undefined on routes that take none. */
  readonly principal: PrincipalRecord | undefined;
}

export interface DataPlaneRoute {
  /** The swagger's operationId, or the endpoint's own name: logs and fault rules use it. */
  readonly operationId: string;
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The path parameters when the route serves this path (its segments, still encoded). */
  readonly match: (segments: readonly string[]) => PathParameters | undefined;
  /**
   * "bearer": a token for one of the data plane's audiences. "none": the workspace discovery
   * document, and signed file URLs, whose signature is the credential.
   */
  readonly authentication: "bearer" | "none";
  /** Whether the data-plane swagger (run-history.json) describes the route: strict mode validates it then. */
  readonly inSwagger: boolean;
  readonly handler: (request: DataPlaneRequest) => Answer | Promise<Answer>;
}
