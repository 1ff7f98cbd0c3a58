import { readFileSync } from "node:fs";
import * as https from "node:https";
import type { LocalAzureConnection, ServicePrincipalConnection } from "../../../local/azure/connection/connectionInfo";
import type { PickerFetch } from "./resolveBinding";

/*
 * What the server holds of the AzureRM service connection, and how it calls Azure for a pick
 * list: a token for the connection's service principal (client credentials, ARM's scope), sent
 * as a bearer token on each GET. Here over HTTPS to the local Azure, trusting its CA.
 */

function call(url: string, ca: string, options: https.RequestOptions, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { ...options, ca }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** The subscription-scoped service principal with a secret: the one the tasks' AzureRM connection uses in the tests. */
export function subscriptionPrincipal(connection: LocalAzureConnection): ServicePrincipalConnection {
  const found = connection.servicePrincipals.find((principal) => principal.scopeLevel === "Subscription" && !!principal.clientSecret);
  if (!found) throw new Error("connection.json has no subscription-scoped service principal with a secret");
  return found;
}

/** The service principal's ARM token from the connection's Entra ID. */
export async function connectionToken(connection: LocalAzureConnection, principal: ServicePrincipalConnection): Promise<string> {
  const ca = readFileSync(connection.caCertPath ?? "", "utf8");
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: principal.clientId,
    client_secret: principal.clientSecret ?? "",
    scope: connection.armScope,
  });
  const response = await call(
    `${connection.authorityUrl}/${connection.tenantId}/oauth2/v2.0/token`,
    ca,
    { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" } },
    form.toString(),
  );
  const body = parsed(response.text) as { access_token?: string };
  if (response.status !== 200 || !body.access_token)
    throw new Error(`Entra ID refused the connection's service principal: ${response.status} ${response.text}`);
  return body.access_token;
}

/** GETs as the server does for a pick list, with the connection's token. */
export function armFetch(connection: LocalAzureConnection, token: string): PickerFetch {
  const ca = readFileSync(connection.caCertPath ?? "", "utf8");
  return async (url) => {
    const response = await call(url, ca, { method: "GET", headers: { authorization: `Bearer ${token}`, accept: "application/json" } });
    return { status: response.status, body: parsed(response.text) };
  };
}

/** One ARM request with the token (to prepare what the lists show), the path relative to the ARM URL. */
export async function armRequest(
  connection: LocalAzureConnection,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const ca = readFileSync(connection.caCertPath ?? "", "utf8");
  const text = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "application/json" };
  if (text !== undefined) headers["content-type"] = "application/json";
  const response = await call(`${connection.armUrl.replace(/\/$/, "")}${path}`, ca, { method, headers }, text);
  return { status: response.status, body: parsed(response.text) };
}
