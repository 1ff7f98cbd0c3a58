// A client process of the local Azure, as the tests run theirs (test/local/support/runClient.ts:
// its own node process, started with the environment connection.json asks for): deploys
// Microsoft's model-1 sample to a key-auth managed online endpoint with the Azure SDK, through
// the helpers the local tests use (test/local/clients/onlineSupport.ts: code and model uploaded
// and registered as azure-ai-ml does, the endpoint and deployment bodies), gives it all the
// traffic, and reports its scoring URI and key.
//
// Usage: node endpoint-client.mjs <connection.json> <workspace suffix> <endpoint> <max concurrent requests per instance>
// The workspace is the one test/local/clients/provisionWorkspace.ts made with the same suffix.
// Prints one line "RESULT:<json>": { scoringUri, key, provisioningState, traffic }.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(import.meta.url);
const clients = join(root, "out", "test", "local", "clients");
const { clientArguments, runClient } = require(join(clients, "clientSupport.js"));
const { keyEndpoint, lro, managedDeployment, modelOneFolder, onlineWorkspace, registerCode, registerModel } = require(join(clients, "onlineSupport.js"));

runClient(async (connection) => {
  const [suffix, endpointName, maxConcurrent] = clientArguments();
  const target = onlineWorkspace(connection, suffix);
  const { ml, group, workspace } = target;
  const codeId = await registerCode(target, "model-1-code", join(modelOneFolder, "onlinescoring"));
  const modelId = await registerModel(target, "sklearn-regression", join(modelOneFolder, "model"));
  await ml.onlineEndpoints.beginCreateOrUpdateAndWait(group, workspace, endpointName, keyEndpoint(target), lro);
  const requestSettings = { requestTimeout: "PT5S", maxConcurrentRequestsPerInstance: Number(maxConcurrent) };
  const deployment = await ml.onlineDeployments.beginCreateOrUpdateAndWait(
    group,
    workspace,
    endpointName,
    "blue",
    managedDeployment(target, codeId, "score.py", { requestSettings }, modelId),
    lro,
  );
  // As `az ml online-endpoint update --traffic blue=100` does: read the endpoint, change its traffic, PUT it back.
  const endpoint = await ml.onlineEndpoints.get(group, workspace, endpointName);
  const updated = await ml.onlineEndpoints.beginCreateOrUpdateAndWait(
    group,
    workspace,
    endpointName,
    { location: endpoint.location, tags: endpoint.tags, identity: endpoint.identity, properties: { ...endpoint.properties, traffic: { blue: 100 } } },
    lro,
  );
  const keys = await ml.onlineEndpoints.listKeys(group, workspace, endpointName);
  return {
    scoringUri: updated.properties.scoringUri,
    key: keys.primaryKey,
    provisioningState: deployment.properties.provisioningState,
    traffic: updated.properties.traffic,
  };
});
