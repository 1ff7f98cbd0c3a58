import { LocalAzureConnection } from "../../../local/azure/connection/connectionInfo";
import { armClients, runClient, secretCredential } from "./clientSupport";

interface Answer {
  status: number;
  provisioningState?: string;
  /** Operation status bodies say `status`, not provisioningState. */
  status_?: string;
  code?: string;
  message?: string;
}

export interface ProvisioningStatesReport {
  logAnalytics: { firstPut: Answer; getWhileCreating: Answer; putWhileCreating: Answer; runningOperation: Answer; settled: string; putAfterwards: Answer };
  registry: { firstPut: Answer; putWhileCreating: Answer };
  failed: { firstPut: Answer; settled: string; repairPut: Answer; repaired: string };
}

/** What ARM shows of a resource while an operation on it runs, and after a fault failed it. */
runClient(async (connection: LocalAzureConnection): Promise<ProvisioningStatesReport> => {
  const location = "westeurope";
  const owner = armClients(connection, secretCredential(connection));
  await owner.resourceGroups.createOrUpdate("rg-states", { location });
  const token = (await secretCredential(connection).getToken(connection.armScope))?.token ?? "";

  const call = async (method: string, url: string, body?: unknown): Promise<Answer> => {
    const response = await fetch(url.startsWith("https:") ? url : `${connection.armUrl}${url}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed = (text ? JSON.parse(text) : {}) as {
      properties?: { provisioningState?: string };
      status?: string;
      error?: { code?: string; message?: string };
    };
    return {
      status: response.status,
      provisioningState: parsed.properties?.provisioningState,
      status_: parsed.status,
      code: parsed.error?.code,
      message: parsed.error?.message,
    };
  };
  const settle = async (url: string): Promise<string> => {
    for (let read = 0; read < 60; read++) {
      const state = (await call("GET", url)).provisioningState ?? "";
      if (!["Creating", "Updating"].includes(state)) return state;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return "still running after 30 s";
  };

  const group = `/subscriptions/${connection.subscriptionId}/resourceGroups/rg-states`;
  const workspaceBody = { location, properties: { sku: { name: "PerGB2018" }, retentionInDays: 30 } };
  const logs = `${group}/providers/Microsoft.OperationalInsights/workspaces/la-states?api-version=2022-10-01`;
  const firstPut = await call("PUT", logs, workspaceBody);
  const getWhileCreating = await call("GET", logs);
  const putWhileCreating = await call("PUT", logs, workspaceBody);
  const statusUrl = /use uri: (\S+)$/.exec(putWhileCreating.message ?? "")?.[1] ?? "";
  const runningOperation = await call("GET", statusUrl);
  const settled = await settle(logs);
  const putAfterwards = await call("PUT", logs, workspaceBody);

  const registry = `${group}/providers/Microsoft.ContainerRegistry/registries/crstates?api-version=2023-07-01`;
  const registryFirstPut = await call("PUT", registry, { location, sku: { name: "Basic" } });
  const registryPutWhileCreating = await call("PUT", registry, { location, sku: { name: "Basic" } });
  await settle(registry);

  // The test has asked for this one's creation to fail.
  const failing = `${group}/providers/Microsoft.OperationalInsights/workspaces/la-failed?api-version=2022-10-01`;
  const failedFirstPut = await call("PUT", failing, workspaceBody);
  const failedState = await settle(failing);
  const repairPut = await call("PUT", failing, workspaceBody);
  const repaired = await settle(failing);

  return {
    logAnalytics: { firstPut, getWhileCreating, putWhileCreating, runningOperation, settled, putAfterwards },
    registry: { firstPut: registryFirstPut, putWhileCreating: registryPutWhileCreating },
    failed: { firstPut: failedFirstPut, settled: failedState, repairPut, repaired },
  };
});
