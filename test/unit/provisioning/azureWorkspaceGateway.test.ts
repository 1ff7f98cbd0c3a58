import * as assert from "node:assert/strict";
import type { TokenCredential } from "@azure/core-auth";
import { AzureWorkspaceGateway } from "../../../tasks/AzureMLWorkspace/src/provisioning/azureWorkspaceGateway";
import { ComputeClusterSpec } from "../../../tasks/AzureMLWorkspace/src/settings/computeClusters";
import { isoDurationToSeconds } from "../../../tasks/common/src/azure/isoDuration";
import { httpPipelineOptions } from "../../../tasks/common/src/http/clientOptions";
import { RecordedRequest, TestServer } from "../../support/httpsTestServer";
import { TestCertificateAuthority } from "../../support/testCertificates";

const subscriptionId = "00000000-1111-4222-8333-444444444444";
const group = `/subscriptions/${subscriptionId}/resourceGroups/rg-mlops-dev`;
const workspacePath = `${group}/providers/Microsoft.MachineLearningServices/workspaces/amlmlopsdev01`;
const credential: TokenCredential = { getToken: () => Promise.resolve({ token: "test-token", expiresOnTimestamp: Date.now() + 3_600_000 }) };

interface ArmBody {
  location?: string;
  tags?: Record<string, string>;
  properties?: Record<string, unknown>;
}

/** ARM's answer to a PUT that completes at once: the resource as asked, provisioned. */
function provisioned(request: RecordedRequest) {
  const body = JSON.parse(request.body) as ArmBody;
  const name = request.url.pathname.split("/").pop();
  return { status: 200, body: { ...body, id: request.url.pathname, name, properties: { ...body.properties, provisioningState: "Succeeded" } } };
}

function cluster(name: string, tier: ComputeClusterSpec["tier"]): ComputeClusterSpec {
  return { name, size: "Standard_DS2_v2", minInstances: 0, maxInstances: 3, idleSecondsBeforeScaleDown: 300, tier, source: "test" };
}

// The gateway's own mapping from the task's terms to ARM's, checked on the requests it sends:
// the in-memory Azure of the task tests stands in for this class and cannot see it.
describe("AzureWorkspaceGateway: what it sends to ARM", function () {
  this.timeout(20_000);
  let server: TestServer;
  let gateway: AzureWorkspaceGateway;

  before(async () => {
    const ca = TestCertificateAuthority.create("Gateway tests CA");
    server = await TestServer.start(ca.issueServerCertificate({ dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"] }));
    server.route("PUT", /\/workspaces\/[^/]+$/, provisioned);
    server.route("PUT", /\/computes\/[^/]+$/, provisioned);
    server.route("GET", /\/computes\/[^/]+$/, (request) => {
      const name = request.url.pathname.split("/").pop() ?? "";
      const vmPriority = name.startsWith("spot") ? "LowPriority" : "Dedicated";
      const properties = { vmSize: "STANDARD_DS2_V2", vmPriority, scaleSettings: { minNodeCount: 0, maxNodeCount: 3, nodeIdleTimeBeforeScaleDown: "PT5M" } };
      return {
        status: 200,
        body: { id: request.url.pathname, name, location: "westeurope", properties: { computeType: "AmlCompute", provisioningState: "Succeeded", properties } },
      };
    });
    gateway = new AzureWorkspaceGateway({
      credential,
      subscriptionId,
      armUrl: server.origin,
      scopes: ["https://management.azure.com/.default"],
      pipeline: { ...httpPipelineOptions({ ca: ca.certificatePem }), retryOptions: { maxRetries: 0 } },
    });
  });

  after(() => server.stop());

  function lastPut(path: RegExp): ArmBody {
    const puts = server.requests.filter((request) => request.method === "PUT" && path.test(request.url.pathname));
    assert.ok(puts.length > 0, `no PUT to ${path}`);
    return JSON.parse(puts[puts.length - 1].body) as ArmBody;
  }

  it("creates a workspace linked to its storage account, key vault, Application Insights and container registry", async () => {
    const ids = {
      storageAccount: `${group}/providers/Microsoft.Storage/storageAccounts/samlopsdev01`,
      keyVault: `${group}/providers/Microsoft.KeyVault/vaults/kvmlopsdev01`,
      applicationInsights: `${group}/providers/Microsoft.Insights/components/aimlopsdev01`,
      containerRegistry: `${group}/providers/Microsoft.ContainerRegistry/registries/crmlopsdev01`,
    };
    const workspace = await gateway.createWorkspace("rg-mlops-dev", "amlmlopsdev01", { location: "westeurope", tags: { team: "ml" }, ...ids });

    const sent = lastPut(/\/workspaces\/amlmlopsdev01$/);
    assert.deepEqual(
      [sent.properties?.storageAccount, sent.properties?.keyVault, sent.properties?.applicationInsights, sent.properties?.containerRegistry],
      [ids.storageAccount, ids.keyVault, ids.applicationInsights, ids.containerRegistry],
    );
    assert.deepEqual(sent.tags, { team: "ml" });
    assert.equal(workspace.containerRegistry, ids.containerRegistry);
  });

  it("creates a low_priority cluster with vmPriority LowPriority and a dedicated one with Dedicated, tagged", async () => {
    await gateway.createCompute("rg-mlops-dev", "amlmlopsdev01", cluster("spot-cpu", "low_priority"), "westeurope", { team: "ml" });
    await gateway.createCompute("rg-mlops-dev", "amlmlopsdev01", cluster("steady-cpu", "dedicated"), "westeurope", { team: "ml" });

    const aml = (body: ArmBody) => body.properties?.properties as { vmSize?: string; vmPriority?: string; scaleSettings?: Record<string, unknown> };
    const spot = lastPut(/\/computes\/spot-cpu$/);
    assert.equal(spot.properties?.computeType, "AmlCompute");
    const { scaleSettings, ...machine } = aml(spot);
    assert.deepEqual(machine, { vmSize: "Standard_DS2_v2", vmPriority: "LowPriority" });
    assert.deepEqual(
      [scaleSettings?.minNodeCount, scaleSettings?.maxNodeCount, isoDurationToSeconds(String(scaleSettings?.nodeIdleTimeBeforeScaleDown))],
      [0, 3, 300],
    );
    assert.deepEqual(spot.tags, { team: "ml" });
    assert.equal(aml(lastPut(/\/computes\/steady-cpu$/)).vmPriority, "Dedicated");
  });

  it("reads a cluster's vmPriority back as its tier", async () => {
    const spot = await gateway.getCompute("rg-mlops-dev", "amlmlopsdev01", "spot-cpu");
    const steady = await gateway.getCompute("rg-mlops-dev", "amlmlopsdev01", "steady-cpu");
    assert.deepEqual([spot?.tier, spot?.size, spot?.maxInstances, spot?.idleSecondsBeforeScaleDown], ["low_priority", "STANDARD_DS2_V2", 3, 300]);
    assert.equal(steady?.tier, "dedicated");
    assert.ok(
      server.requests.every((request) => request.url.pathname.startsWith(workspacePath)),
      "a request outside the workspace",
    );
  });
});
