import * as fs from "node:fs";
import * as https from "node:https";
import type { LocalAzureConnection } from "./connectionInfo";

/** An ARM resource as a GET returns it. */
export interface ArmResource {
  id: string;
  name: string;
  type?: string;
  location?: string;
  tags?: Record<string, string>;
  properties?: Record<string, unknown>;
}

interface HttpAnswer {
  status: number;
  body: string;
}

function send(url: URL, options: https.RequestOptions, ca: string | undefined, body?: string): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = https.request(url, { ...options, ca }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

/**
 * Reads what a task left in Azure from outside the task: its own sign-in (the subscription-scoped
 * service principal with a secret, client credentials at the connection's authority) and plain
 * ARM GETs, so a test checks the resources themselves, not the task's account of them. Works on
 * the local Azure (trusting its CA) and on a real subscription given by connection.json.
 */
export class ArmReader {
  private constructor(
    private readonly connection: LocalAzureConnection,
    private readonly ca: string | undefined,
    private readonly token: string,
  ) {}

  static async signIn(connection: LocalAzureConnection): Promise<ArmReader> {
    const principal = connection.servicePrincipals.find((candidate) => candidate.scopeLevel === "Subscription" && candidate.clientSecret);
    if (!principal?.clientSecret) throw new Error("connection.json has no subscription-scoped service principal with a secret to read Azure with.");
    const ca = connection.caCertPath ? fs.readFileSync(connection.caCertPath, "utf8") : undefined;
    const authority = connection.authorityUrl.endsWith("/") ? connection.authorityUrl : `${connection.authorityUrl}/`;
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: principal.clientId,
      client_secret: principal.clientSecret,
      scope: connection.armScope,
    });
    const answer = await send(
      new URL(`${connection.tenantId}/oauth2/v2.0/token`, authority),
      { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" } },
      ca,
      form.toString(),
    );
    if (answer.status !== 200) throw new Error(`Signing in to read Azure failed with HTTP ${answer.status}: ${answer.body}`);
    return new ArmReader(connection, ca, (JSON.parse(answer.body) as { access_token: string }).access_token);
  }

  /** GET <resource id>?api-version=…; a status other than 200 is an error that names the id. */
  async get(id: string, apiVersion: string): Promise<ArmResource> {
    const base = this.connection.armUrl.endsWith("/") ? this.connection.armUrl : `${this.connection.armUrl}/`;
    const url = new URL(`${id.replace(/^\//, "")}?api-version=${encodeURIComponent(apiVersion)}`, base);
    const answer = await send(url, { method: "GET", headers: { authorization: `Bearer ${this.token}`, accept: "application/json" } }, this.ca);
    if (answer.status !== 200) throw new Error(`GET ${id} answered HTTP ${answer.status}: ${answer.body}`);
    return JSON.parse(answer.body) as ArmResource;
  }

  /** POST <resource id>/<action> for the actions that only read (listKeys…); a status other than 200 is an error. */
  async readAction<T>(id: string, action: string, apiVersion: string): Promise<T> {
    const base = this.connection.armUrl.endsWith("/") ? this.connection.armUrl : `${this.connection.armUrl}/`;
    const url = new URL(`${id.replace(/^\//, "")}/${action}?api-version=${encodeURIComponent(apiVersion)}`, base);
    const headers = { authorization: `Bearer ${this.token}`, accept: "application/json", "content-length": "0" };
    const answer = await send(url, { method: "POST", headers }, this.ca);
    if (answer.status !== 200) throw new Error(`POST ${id}/${action} answered HTTP ${answer.status}: ${answer.body}`);
    return JSON.parse(answer.body) as T;
  }
}
