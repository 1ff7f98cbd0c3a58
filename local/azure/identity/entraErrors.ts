import { randomUUID } from "node:crypto";
import { JsonObject } from "../state/json";

export class EntraError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadstsCode: number,
    readonly description: string,
  ) {
    super(`AADSTS${aadstsCode}: ${description}`);
  }

  /** Entra's shape: the AADSTS code leads the description, trace and correlation ids follow it. */
  body(correlationId: string = randomUUID()): JsonObject {
    const traceId = randomUUID();
    const timestamp = new Date()
      .toISOString()
      .replace("T", " ")
      .replace(/\.\d+Z$/, "Z");
    return {
      error: this.error,
      error_description: `AADSTS${this.aadstsCode}: ${this.description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [this.aadstsCode],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${this.aadstsCode}`,
    };
  }
}

const workloadIdentityHelp =
  "Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation";

export const entraErrors = {
  tenantNotFound: (tenant: string) =>
    new EntraError(
      400,
      "invalid_request",
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  missingParameter: (name: string) => new EntraError(400, "invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`),
  unsupportedGrantType: (grantType: string) =>
    new EntraError(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grantType}'.`),
  scopeWithoutDefault: (scope: string) =>
    new EntraError(
      400,
      "invalid_scope",
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  resourceNotFound: (resource: string, tenantName: string) =>
    new EntraError(
      400,
      "invalid_resource",
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  applicationNotFound: (clientId: string, tenant: string) =>
    new EntraError(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  invalidClientSecret: (clientId: string) =>
    new EntraError(
      401,
      "invalid_client",
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  missingCredential: () =>
    new EntraError(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  invalidAssertionType: (type: string) =>
    new EntraError(
      400,
      "invalid_request",
      50027,
      `Invalid client_assertion_type '${type}'. Expected 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.`,
    ),
  malformedAssertion: () => new EntraError(401, "invalid_client", 50027, "JWT token is invalid or malformed."),
  assertionClientMismatch: () => new EntraError(401, "invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter."),
  certificateNotRegistered: (thumbprint: string, clientId: string) =>
    new EntraError(
      401,
      "invalid_client",
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`,
    ),
  assertionSignatureInvalid: () => new EntraError(401, "invalid_client", 700027, "Client assertion failed signature validation."),
  assertionAudienceInvalid: (audience: string, expected: string) =>
    new EntraError(401, "invalid_client", 700021, `Client assertion audience claim '${audience}' does not match the token endpoint '${expected}'.`),
  assertionOutOfTime: (nowSeconds: number, notBefore: number | undefined, expires: number | undefined) =>
    new EntraError(
      401,
      "invalid_client",
      700024,
      `Client assertion is not within its valid time range. Current time: ${new Date(nowSeconds * 1000).toISOString()}, assertion valid from ${notBefore ? new Date(notBefore * 1000).toISOString() : "(none)"}, expiry time of assertion ${expires ? new Date(expires * 1000).toISOString() : "(none)"}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
    ),
  federatedIssuerMismatch: (issuer: string) =>
    new EntraError(
      401,
      "invalid_client",
      700211,
      `No matching federated identity record found for presented assertion issuer '${issuer}'. ${workloadIdentityHelp}`,
    ),
  federatedAudienceMismatch: (audience: string) =>
    new EntraError(
      401,
      "invalid_client",
      700212,
      `No matching federated identity record found for presented assertion audience '${audience}'. ${workloadIdentityHelp}`,
    ),
  federatedSubjectMismatch: (subject: string) =>
    new EntraError(
      401,
      "invalid_client",
      700213,
      `No matching federated identity record found for presented assertion subject '${subject}'. ${workloadIdentityHelp}`,
    ),
};
