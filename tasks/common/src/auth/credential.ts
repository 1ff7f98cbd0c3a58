import { createDefaultHttpClient } from "@azure/core-rest-pipeline";
import {
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type AuthorityValidationOptions,
  type TokenCredential,
  type TokenCredentialOptions,
} from "@azure/identity";
import type { AgentHttpSettings } from "../http/agentHttpSettings";
import { httpPipelineOptions } from "../http/clientOptions";
import { isPublicCloudAuthority } from "./cloudEndpoints";
import { MaskingCredential } from "./maskingCredential";
import { createOidcAssertion } from "./oidcAssertion";
import { readOidcTokenSource } from "./oidcToken";
import { maskSecret } from "./secretMasking";
import type { ServiceConnection } from "./serviceConnection";

type CredentialOptions = TokenCredentialOptions & AuthorityValidationOptions;

/**
 * The @azure/identity credential that signs in the way the service connection says, wrapped so
 * that every access token it hands out is masked in the log first.
 */
export function createCredential(connection: ServiceConnection, http: AgentHttpSettings): MaskingCredential {
  return new MaskingCredential(identityCredential(connection, http));
}

function identityCredential(connection: ServiceConnection, http: AgentHttpSettings): TokenCredential {
  switch (connection.scheme) {
    case "ServicePrincipal":
      return servicePrincipalCredential(connection, credentialOptions(connection, http));
    case "WorkloadIdentityFederation":
      return workloadIdentityCredential(connection, credentialOptions(connection, http));
    case "ManagedServiceIdentity":
      // App Service and Azure Arc hand the identity endpoint's shared secret to the process.
      maskSecret(process.env.IDENTITY_HEADER);
      maskSecret(process.env.MSI_SECRET);
      return new ManagedIdentityCredential({ ...credentialOptions(connection, http), clientId: connection.managedIdentity?.clientId });
  }
}

/**
 * Each credential gets a fresh options object: ManagedIdentityCredential writes into the one
 * it is given. Instance discovery only knows the public clouds' authorities, so any other
 * authority (Azure Stack, an emulator) is trusted as configured.
 */
function credentialOptions(connection: ServiceConnection, http: AgentHttpSettings): CredentialOptions {
  return {
    ...httpPipelineOptions(http),
    authorityHost: connection.authorityUrl,
    disableInstanceDiscovery: !isPublicCloudAuthority(connection.authorityUrl),
  };
}

function servicePrincipalCredential(connection: ServiceConnection, options: CredentialOptions): TokenCredential {
  const principal = connection.servicePrincipal;
  if (principal?.certificatePem) {
    return new ClientCertificateCredential(connection.tenantId, principal.clientId, { certificate: principal.certificatePem }, options);
  }
  if (principal?.secret) {
    return new ClientSecretCredential(connection.tenantId, principal.clientId, principal.secret, options);
  }
  throw new Error(`Service connection '${connection.id}' has neither a service principal key nor a certificate.`);
}

function workloadIdentityCredential(connection: ServiceConnection, options: CredentialOptions): TokenCredential {
  const clientId = connection.workloadIdentity?.clientId;
  if (!clientId) throw new Error(`Service connection '${connection.id}' has no service principal (application) id.`);
  const source = readOidcTokenSource(connection.id);
  const assertion = createOidcAssertion(source, options.httpClient ?? createDefaultHttpClient());
  return new ClientAssertionCredential(connection.tenantId, clientId, assertion, options);
}
