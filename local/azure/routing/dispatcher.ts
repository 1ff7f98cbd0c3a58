import { Exchange, sendJson } from "../http/exchange";
import { RequestLog } from "../http/requestLog";
import { ArmPipeline } from "../arm/armPipeline";
import { adminPathPrefix, AdminDependencies, handleAdminRequest } from "../admin/adminApi";
import { IdentityContext } from "../identity/identityContext";
import { handleManagedIdentityRequest } from "../identity/managedIdentity";
import { handleDevOpsRequest } from "../identity/devOpsOidc";
import { handleEntraRequest } from "../identity/entraEndpoints";
import { FaultInjector } from "../faults/faultInjector";
import { Logger } from "../logging";
import { handleDiscoveryRequest } from "../machinelearning/discovery";

export interface DispatcherDependencies {
  arm: ArmPipeline;
  identity: IdentityContext;
  admin: AdminDependencies;
  faults: FaultInjector;
  requestLog: RequestLog;
  log: Logger;
}

/** Names for the identity endpoints, so fault rules can aim at them like at swagger operations. */
function identityOperationId(exchange: Exchange): string {
  const path = exchange.path.toLowerCase();
  if (path.startsWith("/metadata/identity") || path.startsWith("/msi/")) return "ManagedIdentity_GetToken";
  if (path.startsWith("/_devops/")) return "DevOps_GetOidcToken";
  if (path.endsWith("/token")) return "Entra_GetToken";
  return "Entra_Discovery";
}

/** One port, several services, told apart by path: admin, ARM, then the identity endpoints. */
export function createDispatcher(dependencies: DispatcherDependencies): (exchange: Exchange) => Promise<void> {
  const { arm, identity, admin, faults, requestLog, log } = dependencies;
  return async (exchange) => {
    if (exchange.path.startsWith(adminPathPrefix)) {
      await handleAdminRequest(exchange, admin);
      return;
    }
    if (ArmPipeline.isArmPath(exchange.path)) {
      await arm.handle(exchange);
      return;
    }
    if (handleDiscoveryRequest(exchange, identity.baseUrl)) return;
    const operationId = identityOperationId(exchange);
    const record = (status: number, fault?: string) =>
      requestLog.add({
        time: new Date(exchange.receivedAt).toISOString(),
        target: "identity",
        method: exchange.method,
        path: exchange.path,
        operationId,
        status,
        fault,
        durationMs: Date.now() - exchange.receivedAt,
      });
    const fault = faults.transportFault({ target: "identity", method: exchange.method, path: exchange.path, operationId });
    if (fault) {
      log("warn", `fault: ${fault.kind} on ${exchange.method} ${exchange.path} (${operationId})`);
      if (fault.kind === "dropConnection") {
        exchange.request.socket.destroy();
        record(0, fault.kind);
        return;
      }
      const status = fault.kind === "throttle" ? 429 : fault.kind === "serviceUnavailable" ? 503 : 500;
      sendJson(
        exchange,
        status,
        { error: "temporarily_unavailable", error_description: "AADSTS90033: A transient error has occurred. Please try again.", error_codes: [90033] },
        { "Retry-After": String(fault.retryAfterSeconds) },
      );
      record(status, fault.kind);
      return;
    }
    const handled =
      (await handleManagedIdentityRequest(exchange, identity)) ||
      (await handleDevOpsRequest(exchange, identity)) ||
      (await handleEntraRequest(exchange, identity));
    if (!handled) {
      sendJson(exchange, 404, { error: { code: "NotFound", message: `Nothing is served at ${exchange.method} ${exchange.path}.` } });
    }
    record(exchange.response.statusCode);
  };
}
