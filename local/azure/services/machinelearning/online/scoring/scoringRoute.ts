import { randomUUID } from "node:crypto";
import { OutgoingHttpHeaders } from "node:http";
import { Exchange, header } from "../../../../http/exchange";
import { RequestLog } from "../../../../http/requestLog";
import { Logger } from "../../../../logging";
import { ResourceStore, StoredResource } from "../../../../state/resourceStore";
import { propertiesOf } from "../../../../arm/resourceHelpers";
import { textOf } from "../../../../state/json";
import { activeTraffic, endpointInRegion, inferencePathPrefix } from "../endpointRoutes";
import { servingLimits } from "../deploymentSettings";
import { onlineDeploymentType } from "../onlineIds";
import { OnlineServing } from "../serving/onlineServing";
import { pickByWeight, trafficOf } from "../trafficRules";
import { endToEndHeaders, forwardRequest } from "./forwardRequest";
import { scoringRefusal, ScoringAuthenticationDependencies } from "./scoringAuthentication";

export interface ScoringRouteDependencies extends ScoringAuthenticationDependencies {
  store: ResourceStore;
  serving: OnlineServing;
  requestLog: RequestLog;
  log: Logger;
}

/** Whether the path is an endpoint's scoring URI (not ARM, not a swagger'd data plane). */
export function isInferencePath(path: string): boolean {
  return path.startsWith(inferencePathPrefix);
}

/** What the endpoint answers with itself (not the model): a status, headers and a plain-text body. */
interface FrontAnswer {
  status: number;
  headers?: Record<string, string>;
  text?: string;
}

/** Routes of a scoring URI the endpoint forwards to its deployments. */
const forwardedRoutes = ["score", "swagger.json"];

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** NOTES §5: the service keeps a GUID x-request-id and makes one otherwise; x-ms-client-request-id is cut to letters, digits, - and _, 40 characters. */
function tracingIds(exchange: Exchange): { requestId: string; clientRequestId: string | undefined } {
  const given = header(exchange, "x-request-id");
  const client = header(exchange, "x-ms-client-request-id");
  return {
    requestId: given !== undefined && guid.test(given) ? given : randomUUID(),
    clientRequestId: client === undefined ? undefined : client.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 40),
  };
}

function deploymentsOf(store: ResourceStore, endpoint: StoredResource): StoredResource[] {
  return store.under(endpoint.id).filter((resource) => resource.type === onlineDeploymentType);
}

/**
 * The scoring URI of online endpoints, `/inference/<region>/<endpoint>/score` (and
 * `/swagger.json`) on the local Azure's port: the endpoint's own authentication, then the
 * deployment the `azureml-model-deployment` header names or one picked by traffic weight, then the
 * request forwarded to that deployment's process, within its request timeout and concurrency
 * limit, and its answer returned as the managed (or Kubernetes) front end returns it.
 */
export function createScoringRoute(dependencies: ScoringRouteDependencies): (exchange: Exchange) => Promise<void> {
  const { store, serving, requestLog, log } = dependencies;
  const inFlight = new Map<string, number>();

  const send = (exchange: Exchange, status: number, headers: OutgoingHttpHeaders, body: Buffer) => {
    exchange.response.writeHead(status, { ...headers, "content-length": String(body.length) });
    exchange.response.end(exchange.method === "HEAD" ? undefined : body);
  };
  const front = (exchange: Exchange, ids: OutgoingHttpHeaders, answer: FrontAnswer) =>
    send(exchange, answer.status, { "content-type": "text/plain; charset=utf-8", ...ids, ...(answer.headers ?? {}) }, Buffer.from(answer.text ?? ""));

  return async (exchange) => {
    const { requestId, clientRequestId } = tracingIds(exchange);
    const ids: OutgoingHttpHeaders = { "x-request-id": requestId };
    if (clientRequestId !== undefined) ids["x-ms-client-request-id"] = clientRequestId;
    let status = 0;
    try {
      const [region = "", endpointName = "", ...rest] = exchange.path
        .slice(inferencePathPrefix.length)
        .split("/")
        .map((segment) => {
          try {
            return decodeURIComponent(segment);
          } catch {
            return segment;
          }
        });
      const route = rest.join("/");
      const endpoint = endpointInRegion(store, region, endpointName);
      // Ours: in Azure an unknown endpoint's host name does not resolve at all.
      if (!endpoint) return front(exchange, ids, { status: (status = 404), text: `No online endpoint '${endpointName}' in region '${region}'.` });
      if (!forwardedRoutes.includes(route)) return front(exchange, ids, { status: (status = 404), text: `Not found: /${route}` });
      const refusal = scoringRefusal(exchange, endpoint, dependencies);
      if (refusal) return front(exchange, ids, { status: (status = 401), text: refusal });

      const deployments = deploymentsOf(store, endpoint);
      const named = header(exchange, "azureml-model-deployment");
      let deployment: StoredResource | undefined;
      if (named !== undefined && named !== "") {
        deployment = deployments.find((candidate) => textOf(candidate.body.name).toLowerCase() === named.toLowerCase());
        // Ours: no public source shows Azure's text for a header naming no deployment.
        if (!deployment)
          return front(exchange, ids, { status: (status = 404), text: `Deployment '${named}' not found in endpoint '${textOf(endpoint.body.name)}'.` });
      } else {
        const picked = pickByWeight(trafficOf(activeTraffic(endpoint)));
        deployment = deployments.find((candidate) => textOf(candidate.body.name).toLowerCase() === picked?.toLowerCase());
        if (!deployment) {
          // Azure's text (its batch endpoints' troubleshooting page and users' logs quote it).
          return front(exchange, ids, {
            status: (status = 404),
            text: "No valid deployments to route to. Please check that the endpoint has at least one deployment with positive weight values or use a deployment specific header to route.",
          });
        }
      }
      const deploymentName = textOf(deployment.body.name);
      const served = { "azureml-model-deployment": deploymentName };
      const target = serving.target(deployment.id);
      // Ours: the deployment has no ready process (still starting, failed, or restarting after a crash).
      if (!target) {
        return front(exchange, ids, {
          status: (status = 503),
          headers: { ...served, "ms-azureml-model-error-reason": "model_not_ready" },
          text: `Deployment '${deploymentName}' is not ready.`,
        });
      }
      const limits = servingLimits(deployment.body);
      const key = deployment.id.toLowerCase();
      const running = inFlight.get(key) ?? 0;
      // As the managed front end's proxy answers an overflow (reason header, empty body).
      if (running >= limits.maxInFlight) {
        return front(exchange, ids, { status: (status = 429), headers: { ...served, "ms-azureml-model-error-reason": "too_many_pending_request" } });
      }
      inFlight.set(key, running + 1);
      try {
        const forwardedHeaders = { ...endToEndHeaders(exchange.headers, ["authorization"]), ...ids };
        const outcome = await forwardRequest({
          url: `${target}/${route}${exchange.url.search}`,
          method: exchange.method,
          headers: forwardedHeaders,
          body: exchange.body,
          timeoutMs: limits.requestTimeoutMs,
        });
        if (outcome.kind === "timedOut") {
          // Ours, after the proxy's words for an upstream timeout.
          return front(exchange, ids, { status: (status = 408), headers: served, text: "upstream request timeout" });
        }
        if (outcome.kind === "unreachable") {
          return front(exchange, ids, {
            status: (status = 502),
            headers: { ...served, "ms-azureml-model-error-reason": "model_not_ready" },
            text: outcome.message,
          });
        }
        const headers: OutgoingHttpHeaders = { ...endToEndHeaders(outcome.headers), ...ids, ...served, "ms-azureml-model-time": String(outcome.elapsedMs) };
        status = outcome.status;
        if (outcome.status !== 200) {
          const kubernetes = Boolean(propertiesOf(endpoint.body).compute);
          // NOTES §5: a managed endpoint answers 424 for any non-200 of the model (the status and a
          // reason in headers); a Kubernetes endpoint answers 502 for an exception in run().
          if (!kubernetes || outcome.status >= 500) {
            headers["ms-azureml-model-error-statuscode"] = String(outcome.status);
            headers["ms-azureml-model-error-reason"] = "model_error";
            status = kubernetes ? 502 : 424;
          }
        }
        return send(exchange, status, headers, outcome.body);
      } finally {
        const now = (inFlight.get(key) ?? 1) - 1;
        if (now <= 0) inFlight.delete(key);
        else inFlight.set(key, now);
      }
    } catch (error) {
      log("error", `scoring ${exchange.method} ${exchange.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (!exchange.response.headersSent) front(exchange, ids, { status: (status = 500), text: "An internal error occurred." });
    } finally {
      requestLog.add({
        time: new Date(exchange.receivedAt).toISOString(),
        target: "inference",
        method: exchange.method,
        path: exchange.path,
        operationId: "Score",
        status,
        durationMs: Date.now() - exchange.receivedAt,
      });
    }
  };
}
