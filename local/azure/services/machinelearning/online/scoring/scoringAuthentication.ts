import { header, Exchange } from "../../../../http/exchange";
import { AccessTokenService } from "../../../../identity/accessTokens";
import { Directory } from "../../../../identity/directory";
import { isAuthorized } from "../../../../arm/authorization";
import { StoredResource } from "../../../../state/resourceStore";
import { isAmlToken, isEndpointKey } from "../endpointCredentials";
import { authModeOf } from "../endpointRoutes";
import { onlineEndpointType } from "../onlineIds";

/** Why a scoring request was not let in: the plain-text reason the endpoint answers 401 with. */
export type ScoringRefusal = string;

/** Audiences of Entra tokens an AADToken endpoint takes (az ml / azure-ai-ml ask for Azure ML's). */
const inferenceAudiences = ["https://ml.azure.com", "https://ml.azure.com/"];

export interface ScoringAuthenticationDependencies {
  tokens: AccessTokenService;
  directory: Directory;
}

/**
 * The endpoint's own check of `Authorization: Bearer …`, by its authMode: one of its two keys
 * (Key), a token from its GetToken (AMLToken), or an Entra token for Azure ML whose principal may
 * score on the endpoint (AADToken). Undefined when the caller may score; else the 401's body.
 * `key_auth_bad_header_forbidden` and `key_auth_access_denied` are the texts users see from Azure;
 * the token modes' texts are ours, worded alike.
 */
export function scoringRefusal(exchange: Exchange, endpoint: StoredResource, dependencies: ScoringAuthenticationDependencies): ScoringRefusal | undefined {
  const mode = authModeOf(endpoint);
  const prefix = mode === "Key" ? "key_auth" : mode === "AMLToken" ? "aml_token_auth" : "aad_token_auth";
  const authorization = header(exchange, "authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!bearer) return `${prefix}_bad_header_forbidden`;
  const credential = bearer[1];
  switch (mode) {
    case "Key":
      return isEndpointKey(endpoint, credential) ? undefined : "key_auth_access_denied";
    case "AMLToken":
      return isAmlToken(endpoint, credential) ? undefined : "aml_token_auth_access_denied";
    default: {
      const check = dependencies.tokens.check(credential, inferenceAudiences);
      const principal = check.ok ? dependencies.directory.principalByObjectId(check.objectId) : undefined;
      if (!principal || !isAuthorized(principal, `${onlineEndpointType}/score/action`, endpoint.id)) return "aad_token_auth_access_denied";
      return undefined;
    }
  }
}
