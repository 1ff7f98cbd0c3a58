import { header } from "../../http/exchange";
import { AccessTokenService, TokenCheck } from "../../identity/accessTokens";
import { Directory } from "../../identity/directory";
import { RequestContext, RequestHandler } from "../requestChain";

/** Why a request's bearer token was not accepted; the service words the refusal. */
export type AuthenticationProblem =
  { reason: "missingHeader" } | { reason: "notBearer" } | Exclude<TokenCheck, { ok: true }> | { reason: "unknownPrincipal"; objectId: string };

export interface BearerAuthenticationOptions<C extends RequestContext> {
  tokens: AccessTokenService;
  directory: Directory;
  /** The audiences (application ID URIs) this service accepts tokens for. */
  audiences: readonly string[];
  /** The service's error for the problem, thrown to its error handler. */
  refuse: (problem: AuthenticationProblem, context: C) => Error;
  /** Requests that need no token here (identity endpoints, signed URLs); default: none. */
  exempt?: (context: C) => boolean;
}

/** Accepts a bearer token of this tenant for one of the service's audiences and names its principal. */
export function bearerAuthentication<C extends RequestContext>(options: BearerAuthenticationOptions<C>): RequestHandler<C> {
  const { tokens, directory, audiences, refuse } = options;
  return async (context, next) => {
    if (options.exempt?.(context)) {
      await next();
      return;
    }
    const authorization = header(context.exchange, "authorization");
    if (!authorization) throw refuse({ reason: "missingHeader" }, context);
    if (!authorization.toLowerCase().startsWith("bearer ")) throw refuse({ reason: "notBearer" }, context);
    const check = tokens.check(authorization.slice(7).trim(), audiences);
    if (!check.ok) throw refuse(check, context);
    const principal = directory.principalByObjectId(check.objectId);
    if (!principal) throw refuse({ reason: "unknownPrincipal", objectId: check.objectId }, context);
    context.principal = principal;
    await next();
  };
}
