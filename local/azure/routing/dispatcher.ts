import { Exchange } from "../http/exchange";
import { ArmPipeline } from "../arm/armPipeline";
import { adminPathPrefix, AdminDependencies, handleAdminRequest } from "../admin/adminApi";
import { isDataPlanePath } from "../services/machinelearning/dataplane/dataPlaneChain";
import { isInferencePath } from "../services/machinelearning/online/scoring/scoringRoute";

export interface DispatcherDependencies {
  arm: ArmPipeline;
  /** The Azure ML data plane's chain (run history, discovery, signed files). */
  dataPlane: (exchange: Exchange) => Promise<void>;
  /** The identity endpoints' chain (Entra, managed identity, Azure DevOps OIDC). */
  identity: (exchange: Exchange) => Promise<void>;
  /** Online endpoints' scoring URIs: neither ARM nor a swagger'd data plane, so never validated or counted. */
  inference: (exchange: Exchange) => Promise<void>;
  admin: AdminDependencies;
}

/**
 * One port, several services, told apart by path: admin, ARM, the Azure ML data plane, online
 * endpoints' scoring URIs (`/inference/…`), then the identity endpoints. Each service's request
 * chain was composed once, at start.
 */
export function createDispatcher(dependencies: DispatcherDependencies): (exchange: Exchange) => Promise<void> {
  const { arm, dataPlane, identity, inference, admin } = dependencies;
  return async (exchange) => {
    if (exchange.path.startsWith(adminPathPrefix)) handleAdminRequest(exchange, admin);
    else if (ArmPipeline.isArmPath(exchange.path)) await arm.handle(exchange);
    else if (isDataPlanePath(exchange.path)) await dataPlane(exchange);
    else if (isInferencePath(exchange.path)) await inference(exchange);
    else await identity(exchange);
  };
}
