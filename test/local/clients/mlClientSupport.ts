import type { ServiceConnection } from "../../../tasks/common/src/auth/serviceConnection";
import { createAzureSession, type AzureSession } from "../../../tasks/common/src/azure/azureSession";
import type { LocalAzureConnection } from "../../../local/azure/connection/connectionInfo";
import { principal } from "./clientSupport";

/** What an Azure call that was refused reported. */
export interface RefusalReport {
  statusCode: number | undefined;
  code: string | undefined;
  message: string;
}

/** The tasks' Azure session for the subscription principal, as a task builds it from its service connection. */
export function sessionFor(connection: LocalAzureConnection): AzureSession {
  const sp = principal(connection, "subscription-secret");
  const serviceConnection: ServiceConnection = {
    id: "local-jobs",
    scheme: "ServicePrincipal",
    tenantId: connection.tenantId,
    subscriptionId: connection.subscriptionId,
    armUrl: connection.armUrl,
    authorityUrl: connection.authorityUrl,
    tokenAudience: connection.armAudience,
    cloud: "AzureCloud",
    servicePrincipal: { clientId: sp.clientId, secret: sp.clientSecret ?? "" },
  };
  return createAzureSession(serviceConnection, connection.subscriptionId, { http: {} });
}

export async function refusal(action: () => Promise<unknown>): Promise<RefusalReport | undefined> {
  try {
    await action();
    return undefined;
  } catch (error) {
    const failure = error as { statusCode?: number; code?: string; message?: string };
    return { statusCode: failure.statusCode, code: failure.code, message: String(failure.message) };
  }
}
