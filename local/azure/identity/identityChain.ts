import { Exchange } from "../http/exchange";
import { RequestLog } from "../http/requestLog";
import { FaultInjector } from "../faults/faultInjector";
import { Logger } from "../logging";
import { composeChain, newRequestContext, RequestContext, RequestHandler } from "../chain/requestChain";
import { requestLogging } from "../chain/handlers/requestLogging";
import { respond } from "../chain/handlers/respond";
import { faultInjection, faultStatus } from "../chain/handlers/faultInjection";
import { IdentityContext } from "./identityContext";
import { handleManagedIdentityRequest } from "./managedIdentity";
import { handleDevOpsRequest } from "./devOpsOidc";
import { handleEntraRequest } from "./entraEndpoints";

/** Names for the identity endpoints, so fault rules can aim at them like at swagger operations. */
function identityOperationId(exchange: Exchange): string {
  const path = exchange.path.toLowerCase();
  if (path.startsWith("/metadata/identity") || path.startsWith("/msi/")) return "ManagedIdentity_GetToken";
  if (path.startsWith("/_devops/")) return "DevOps_GetOidcToken";
  if (path.endsWith("/token")) return "Entra_GetToken";
  return "Entra_Discovery";
}

function nameOperation(): RequestHandler {
  return async (context, next) => {
    context.operationId = identityOperationId(context.exchange);
    await next();
  };
}

/** Entra, managed identity and Azure DevOps OIDC answer themselves; anything else here is not served. */
function serveIdentity(identity: IdentityContext): RequestHandler {
  // The endpoints answer synchronously; the executor turns a throw into a rejection, as the chain expects.
  return (context) =>
    new Promise<void>((resolve) => {
      const { exchange } = context;
      const handled = handleManagedIdentityRequest(exchange, identity) || handleDevOpsRequest(exchange, identity) || handleEntraRequest(exchange, identity);
      if (!handled)
        context.answer = { status: 404, body: { error: { code: "NotFound", message: `Nothing is served at ${exchange.method} ${exchange.path}.` } } };
      resolve();
    });
}

export interface IdentityChainDependencies {
  identity: IdentityContext;
  faults: FaultInjector;
  requestLog: RequestLog;
  log: Logger;
}

/**
 * The identity endpoints' chain: log, respond, faults (in Entra's error shape, always before the
 * endpoint acts), the endpoints. No bearer authentication: they authenticate by their own protocols.
 */
export function createIdentityChain(dependencies: IdentityChainDependencies): (exchange: Exchange) => Promise<void> {
  const { identity, faults, requestLog, log } = dependencies;
  const chain = composeChain<RequestContext>([
    requestLogging(requestLog, { target: "identity", withQuery: false }),
    respond(),
    nameOperation(),
    faultInjection(faults, log, {
      target: "identity",
      afterProcessing: false,
      answer: (fault) => ({
        status: faultStatus(fault),
        body: { error: "temporarily_unavailable", error_description: "AADSTS90033: A transient error has occurred. Please try again.", error_codes: [90033] },
        headers: { "Retry-After": String(fault.retryAfterSeconds) },
      }),
    }),
    serveIdentity(identity),
  ]);
  return (exchange) => chain(newRequestContext(exchange));
}
