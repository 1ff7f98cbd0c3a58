import { timingSafeEqual } from "node:crypto";
import { Exchange, header, parseJsonBody, sendEmpty, sendJson } from "../http/exchange";
import { RequestLog } from "../http/requestLog";
import { FaultInjector } from "../faults/faultInjector";
import { isFaultSettings } from "../faults/faultRules";
import { SwaggerValidator } from "../validation/swaggerValidator";
import { Directory, RoleName } from "../identity/directory";
import { JsonValue, toJsonValue } from "../state/json";

export const adminPathPrefix = "/_admin/";

export interface AdminDependencies {
  token: string;
  faults: FaultInjector;
  validator: SwaggerValidator | undefined;
  requestLog: RequestLog;
  directory: Directory;
}

function sameToken(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const roles: readonly string[] = ["Owner", "Contributor", "Reader"];

/**
 * The emulator's own control surface (not an Azure API): faults, the validator's findings, the
 * request log. Faults never apply here. The token keeps tasks from reaching it by accident.
 */
export function handleAdminRequest(exchange: Exchange, dependencies: AdminDependencies): void {
  if (!sameToken(header(exchange, "x-local-azure-admin-token") ?? "", dependencies.token)) {
    sendJson(exchange, 401, {
      error: { code: "Unauthorized", message: "The x-local-azure-admin-token header is missing or wrong (see connection.json admin.token)." },
    });
    return;
  }
  const resource = exchange.path.slice(adminPathPrefix.length).replace(/\/+$/, "");
  const body = parseJsonBody(exchange);
  const send = (value: JsonValue) => sendJson(exchange, 200, value);

  switch (`${exchange.method} ${resource}`) {
    case "GET health":
      send({ status: "ok" });
      return;
    case "GET faults":
      send(toJsonValue(dependencies.faults.settings()));
      return;
    case "PUT faults":
    case "POST faults":
      if (!body.ok || !isFaultSettings(body.value)) {
        sendJson(exchange, 400, { error: { code: "InvalidFaults", message: "Expected {seed?, rules: [{kind, rate?, operationId?, …}]}." } });
        return;
      }
      dependencies.faults.configure(body.value);
      send(toJsonValue(dependencies.faults.settings()));
      return;
    case "DELETE faults":
      dependencies.faults.configure(undefined);
      sendEmpty(exchange, 204);
      return;
    case "GET violations":
      send(toJsonValue(dependencies.validator?.violations() ?? []));
      return;
    case "GET validation":
      send(toJsonValue(dependencies.validator?.validationCounts() ?? { validated: 0, refused: 0, unmatched: 0 }));
      return;
    case "GET requests":
      send(toJsonValue(dependencies.requestLog.list()));
      return;
    case "DELETE requests":
      dependencies.requestLog.clear();
      sendEmpty(exchange, 204);
      return;
    case "POST principals": {
      const value = body.ok ? body.value : undefined;
      const request = typeof value === "object" && value !== null ? (value as { name?: unknown; role?: unknown; scope?: unknown }) : {};
      if (typeof request.name !== "string" || typeof request.scope !== "string" || !roles.includes(String(request.role))) {
        sendJson(exchange, 400, { error: { code: "InvalidPrincipal", message: "Expected {name, role: Owner|Contributor|Reader, scope}." } });
        return;
      }
      const principal = dependencies.directory.addServicePrincipal(request.name, [{ role: request.role as RoleName, scope: request.scope }]);
      send({
        name: principal.name,
        clientId: principal.clientId,
        objectId: principal.objectId,
        clientSecret: principal.secrets[0],
        role: String(request.role),
        scope: request.scope,
      });
      return;
    }
    default:
      sendJson(exchange, 404, { error: { code: "NotFound", message: `No admin resource '${exchange.method} ${resource}'.` } });
  }
}
