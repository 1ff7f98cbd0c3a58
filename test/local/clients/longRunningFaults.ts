import { outcome, Outcome } from "../support/clientOutcome";
import { armClients, runClient, secretCredential } from "./clientSupport";

export interface LongRunningFaultsReport {
  failedCreate: Outcome<string | undefined>;
  stateAfterFailure: string | undefined;
  retriedCreate: Outcome<string | undefined>;
  slowCreateSeconds: number;
  slowCreate: Outcome<string | undefined>;
  groupAfterLostAnswer: Outcome<string | undefined>;
}

/** Long-running operations that fail or take long, and a PUT whose answer is lost after it acted. */
runClient(async (connection): Promise<LongRunningFaultsReport> => {
  const clients = armClients(connection, secretCredential(connection));
  const location = "westeurope";
  const groupAfterLostAnswer = await outcome(
    async () => (await clients.resourceGroups.createOrUpdate("rg-faults", { location })).properties?.provisioningState,
  );
  const failedCreate = await outcome(
    async () => (await clients.registry.registries.create("rg-faults", "crfaults", { location, sku: { name: "Basic" } })).provisioningState,
  );
  const stateAfterFailure = (await clients.registry.registries.get("rg-faults", "crfaults")).provisioningState;
  const retriedCreate = await outcome(
    async () => (await clients.registry.registries.create("rg-faults", "crfaults", { location, sku: { name: "Basic" } })).provisioningState,
  );
  const started = Date.now();
  const slowCreate = await outcome(
    async () =>
      (await clients.storage.storageAccounts.create("rg-faults", "saslow", { location, kind: "StorageV2", sku: { name: "Standard_LRS" } })).provisioningState,
  );
  return { failedCreate, stateAfterFailure, retriedCreate, slowCreateSeconds: (Date.now() - started) / 1000, slowCreate, groupAfterLostAnswer };
});
