import * as fs from "node:fs";
import type { LocalAzureConnection, ServicePrincipalConnection } from "../azure";
import { AgentEndpoint } from "./agentEnvironment";
import { TaskStep } from "./taskProcess";

/** How a service connection authenticates: the schemes an AzureRM connection can hold. */
export type ConnectionFlavour = "secret" | "certificate" | "workloadIdentity" | "managedIdentity" | "workspaceScoped";
export const connectionFlavours: readonly ConnectionFlavour[] = ["secret", "certificate", "workloadIdentity", "managedIdentity", "workspaceScoped"];

/** What the agent gives a job for one AzureRM service connection. */
export interface AgentServiceConnection {
  /** The value of the task's `azureSubscription` input: the endpoint's id. */
  connectionId: string;
  endpoints: AgentEndpoint[];
  variables: Record<string, string>;
  /** Process environment the identity needs (the managed identity endpoint). */
  environment: Record<string, string>;
}

function principal(connection: LocalAzureConnection, test: (sp: ServicePrincipalConnection) => boolean, what: string): ServicePrincipalConnection {
  const found = connection.servicePrincipals.find(test);
  if (!found) throw new Error(`connection.json has no ${what} service principal.`);
  return found;
}

/**
 * The AzureRM service connection of the given flavour, built from a connection.json (the local
 * Azure's, or one written by hand for a real subscription), as the agent exposes it to tasks.
 */
export function agentServiceConnection(connection: LocalAzureConnection, flavour: ConnectionFlavour, id = "azure-connection"): AgentServiceConnection {
  const data: Record<string, string> = {
    subscriptionId: connection.subscriptionId,
    subscriptionName: connection.subscriptionName ?? connection.subscriptionId,
    environment: "AzureCloud",
    environmentAuthorityUrl: connection.authorityUrl,
    activeDirectoryServiceEndpointResourceId: connection.armAudience,
    scopeLevel: "Subscription",
  };
  const endpoint = (scheme: string, parameters: Record<string, string>, extraData: Record<string, string> = {}, endpointId = id): AgentEndpoint => ({
    id: endpointId,
    url: connection.armUrl,
    scheme,
    parameters: { tenantid: connection.tenantId, ...parameters },
    data: { ...data, ...extraData },
  });

  switch (flavour) {
    case "secret": {
      const sp = principal(connection, (p) => p.scopeLevel === "Subscription" && !!p.clientSecret, "subscription-scoped secret");
      return {
        connectionId: id,
        endpoints: [
          endpoint("ServicePrincipal", { serviceprincipalid: sp.clientId, serviceprincipalkey: sp.clientSecret ?? "", authenticationType: "spnKey" }),
        ],
        variables: {},
        environment: {},
      };
    }
    case "certificate": {
      const sp = principal(connection, (p) => p.scopeLevel === "Subscription" && !!p.certificatePath, "subscription-scoped certificate");
      const certificate = fs.readFileSync(sp.certificatePath ?? "", "utf8");
      return {
        connectionId: id,
        endpoints: [
          endpoint("ServicePrincipal", { serviceprincipalid: sp.clientId, servicePrincipalCertificate: certificate, authenticationType: "spnCertificate" }),
        ],
        variables: {},
        environment: {},
      };
    }
    case "workspaceScoped": {
      const sp = principal(connection, (p) => p.scopeLevel === "AzureMLWorkspace", "workspace-scoped");
      return {
        connectionId: id,
        endpoints: [
          endpoint(
            "ServicePrincipal",
            { serviceprincipalid: sp.clientId, serviceprincipalkey: sp.clientSecret ?? "", authenticationType: "spnKey" },
            { scopeLevel: "AzureMLWorkspace", mlWorkspaceName: sp.mlWorkspaceName ?? "", resourceGroupName: sp.resourceGroupName ?? "" },
          ),
        ],
        variables: {},
        environment: {},
      };
    }
    case "workloadIdentity": {
      const oidc = connection.oidc;
      if (!oidc) throw new Error("connection.json has no workload identity federation (oidc) section.");
      return {
        connectionId: oidc.serviceConnectionId,
        endpoints: [
          endpoint("WorkloadIdentityFederation", { serviceprincipalid: oidc.clientId }, {}, oidc.serviceConnectionId),
          // The job's own connection to Azure DevOps, whose token pays for the OIDC request.
          { id: "SYSTEMVSSCONNECTION", url: new URL(oidc.requestUri).origin, scheme: "OAuth", parameters: { AccessToken: oidc.accessToken }, data: {} },
        ],
        variables: { "System.OidcRequestUri": oidc.requestUri },
        environment: {},
      };
    }
    case "managedIdentity": {
      const identity = connection.managedIdentity;
      if (!identity) throw new Error("connection.json has no managedIdentity section.");
      return {
        connectionId: id,
        endpoints: [endpoint("ManagedServiceIdentity", {}, { msiClientId: identity.clientId })],
        variables: {},
        environment: identity.imdsEnvironment,
      };
    }
  }
}

/**
 * A task step whose `azureSubscription` is this service connection: its id as the input, its
 * endpoints, its job variables, and the process environment the client side needs (the local
 * Azure's CA and `*.localhost` preload, the managed identity endpoint). The step's own values win.
 */
export function stepWithConnection(step: Omit<TaskStep, "endpoints">, connection: LocalAzureConnection, service: AgentServiceConnection): TaskStep {
  return {
    ...step,
    inputs: { azureSubscription: service.connectionId, ...step.inputs },
    variables: { ...service.variables, ...step.variables },
    endpoints: service.endpoints,
    environment: { ...connection.clientEnvironment, ...service.environment, ...step.environment },
  };
}
