import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { FaultKind, LocalAzure, LocalAzureConnection, readConnectionFile, RequestLogEntry, startLocalAzure } from "../../local/azure";
import { agentServiceConnection, ConnectionFlavour, stepWithConnection } from "../../local/runner/serviceConnections";
import { runTaskStep, TaskStepResult } from "../../local/runner/taskProcess";
import { apiVersions } from "../../tasks/common/src/azure/apiVersions";
import { isoDurationToSeconds } from "../../tasks/common/src/azure/isoDuration";
import { ArmReader, ArmResource } from "../../local/azure/connection/armReader";
import { ensureTaskBuilt } from "./builtTasks";

// The built AzureMLWorkspace task, run as the agent runs it, against the local Azure: real
// HTTPS, real tokens, real Azure SDK clients, every ARM exchange checked against the swagger.
// With E2E_CONNECTION_FILE naming a connection.json written by hand (local/README.md), the same
// tests run against that real subscription; what only the local Azure can tell (its request
// log, swagger violations, injected faults) is then not asserted.
describe("AzureMLWorkspace end to end on the local Azure", function () {
  this.timeout(300_000);
  const scopedWorkspace = { resourceGroupName: "rg-e2e-scoped", workspaceName: "amle2escoped" };
  const connectionFile = process.env.E2E_CONNECTION_FILE;
  // Globally unique names (storage, key vault, registry) need a fresh suffix in a real cloud.
  const suffix = connectionFile ? randomBytes(2).toString("hex") : "01";
  let azure: LocalAzure | undefined;
  let connection: LocalAzureConnection;
  let stateDir: string;
  let workDir: string;
  let taskDirectory: string;

  before(async () => {
    taskDirectory = ensureTaskBuilt("AzureMLWorkspace");
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-local-azure-"));
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-sources-"));
    fs.mkdirSync(path.join(workDir, "agent-temp"));
    if (connectionFile) {
      connection = readConnectionFile(connectionFile);
    } else {
      azure = await startLocalAzure({ stateDir, provisioningSeconds: 1, retryAfterSeconds: 1, scopedWorkspace });
      connection = azure.connection;
    }
  });

  after(async () => {
    await azure?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  afterEach(() => {
    // Strict mode: every response of the local Azure must match the official swagger.
    if (azure) assert.deepEqual(azure.violations(), []);
  });

  function armRequests(): RequestLogEntry[] | undefined {
    return azure?.requests().filter((entry) => entry.target === "arm");
  }

  function localOnly(context: Mocha.Context): LocalAzure {
    if (!azure) context.skip();
    return azure;
  }

  interface Run {
    result: TaskStepResult;
    /** The ARM calls the run made (local Azure only). */
    requests?: RequestLogEntry[];
  }

  async function runWorkspaceTask(flavour: ConnectionFlavour, inputs: Record<string, string>, variables: Record<string, string> = {}): Promise<Run> {
    azure?.clearRequests();
    const step = stepWithConnection(
      {
        taskDirectory,
        inputs,
        variables: {
          "System.DefaultWorkingDirectory": workDir,
          "Agent.TempDirectory": path.join(workDir, "agent-temp"),
          ENVIRONMENT: "DEV",
          LOCATION: connection.location,
          ...variables,
        },
        timeoutMs: 240_000,
      },
      connection,
      agentServiceConnection(connection, flavour),
    );
    const result = await runTaskStep(step);
    return { result, requests: armRequests() };
  }

  const changes = (requests: RequestLogEntry[] = []) =>
    requests.filter((entry) => !["GET", "HEAD"].includes(entry.method) && !/checkNameAvailability/i.test(entry.path));
  const clusters = "- name: cpu-cluster\n  size: Standard_DS3_v2\n  max_instances: 2";
  const lowPriorityCluster = "- name: spot-cluster\n  size: Standard_DS2_v2\n  tier: low_priority\n  max_instances: 1\n  idle_time_before_scale_down: 300";
  const tags = { team: "ml", costCenter: "42" };
  const tagsInput = Object.entries(tags)
    .map(([key, value]) => `${key}=${value}`)
    .join("\n");

  /**
   * Reads back through ARM, from outside the task, what its first run created: the workspace
   * linked to the resources made beside it, Application Insights writing to the Log Analytics
   * workspace, each cluster's size, priority and scale, and the tags on every resource.
   */
  async function assertCreatedAsDescribed(resourceGroup: string, namespace: string, workspaceId: string): Promise<void> {
    const arm = await ArmReader.signIn(connection);
    const group = `/subscriptions/${connection.subscriptionId}/resourceGroups/${resourceGroup}`;
    const read = (type: string, name: string, apiVersion: string) => arm.get(`${group}/providers/${type}/${name}`, apiVersion);
    const [resourceGroupResource, storage, vault, logs, insights, registry, workspace, cpu, spot] = await Promise.all([
      arm.get(group, apiVersions.resources),
      read("Microsoft.Storage/storageAccounts", `sa${namespace}`, apiVersions.storage),
      read("Microsoft.KeyVault/vaults", `kv${namespace}`, apiVersions.keyVault),
      read("Microsoft.OperationalInsights/workspaces", `la${namespace}`, apiVersions.logAnalytics),
      read("Microsoft.Insights/components", `ai${namespace}`, apiVersions.applicationInsights),
      read("Microsoft.ContainerRegistry/registries", `cr${namespace}`, apiVersions.containerRegistry),
      read("Microsoft.MachineLearningServices/workspaces", `aml${namespace}`, apiVersions.machineLearning),
      arm.get(`${workspaceId}/computes/cpu-cluster`, apiVersions.machineLearning),
      arm.get(`${workspaceId}/computes/spot-cluster`, apiVersions.machineLearning),
    ]);
    // ARM compares ids without regard to case (and spells some providers in lower case).
    const linksTo = (actual: unknown, resource: ArmResource, what: string) => assert.equal(String(actual).toLowerCase(), resource.id.toLowerCase(), what);
    assert.equal(workspace.id.toLowerCase(), workspaceId.toLowerCase(), "the workspaceId output");
    linksTo(workspace.properties?.storageAccount, storage, "the workspace's storageAccount");
    linksTo(workspace.properties?.keyVault, vault, "the workspace's keyVault");
    linksTo(workspace.properties?.applicationInsights, insights, "the workspace's applicationInsights");
    linksTo(workspace.properties?.containerRegistry, registry, "the workspace's containerRegistry");
    linksTo(insights.properties?.WorkspaceResourceId, logs, "Application Insights' WorkspaceResourceId");

    const cluster = (compute: ArmResource) => {
      const aml = (compute.properties?.properties ?? {}) as {
        vmSize?: string;
        vmPriority?: string;
        scaleSettings?: { minNodeCount?: number; maxNodeCount?: number; nodeIdleTimeBeforeScaleDown?: string };
      };
      const scale = aml.scaleSettings ?? {};
      return {
        type: compute.properties?.computeType,
        vmSize: aml.vmSize?.toLowerCase(),
        vmPriority: aml.vmPriority,
        scale: [scale.minNodeCount, scale.maxNodeCount, isoDurationToSeconds(scale.nodeIdleTimeBeforeScaleDown)],
      };
    };
    assert.deepEqual(cluster(cpu), { type: "AmlCompute", vmSize: "standard_ds3_v2", vmPriority: "Dedicated", scale: [0, 2, 120] });
    assert.deepEqual(cluster(spot), { type: "AmlCompute", vmSize: "standard_ds2_v2", vmPriority: "LowPriority", scale: [0, 1, 300] });

    for (const resource of [resourceGroupResource, storage, vault, logs, insights, registry, workspace, cpu, spot]) {
      for (const [key, value] of Object.entries(tags)) assert.equal(resource.tags?.[key], value, `tag '${key}' of ${resource.id}`);
    }
  }

  const flavours: Array<[ConnectionFlavour, string]> = [
    ["secret", "service principal with a secret"],
    ["certificate", "service principal with a certificate"],
    ["workloadIdentity", "workload identity federation"],
    ["managedIdentity", "managed identity"],
  ];
  for (const [flavour, title] of flavours) {
    it(`${title}: creates everything, then a second run changes nothing and says so`, async function () {
      if ((flavour === "workloadIdentity" && !connection.oidc) || (flavour === "managedIdentity" && !connection.managedIdentity)) this.skip();
      const namespace = `e2e${flavour.slice(0, 4).toLowerCase()}${suffix}`;
      const variables = { NAMESPACE: namespace, RESOURCE_GROUP: `rg-e2e-${flavour.toLowerCase()}` };
      const computeClusters = `${clusters}\n${lowPriorityCluster}`;
      const first = await runWorkspaceTask(flavour, { createResourceGroup: "true", computeClusters, tags: tagsInput, writeConfigJson: "true" }, variables);
      assert.equal(first.result.result, "Succeeded", first.result.log);
      for (const line of [
        `Resource group 'rg-e2e-${flavour.toLowerCase()}': created`,
        `Storage account 'sa${namespace}': created`,
        `Key vault 'kv${namespace}': created`,
        `Log Analytics workspace 'la${namespace}': created`,
        `Application Insights component 'ai${namespace}': created`,
        `Container registry 'cr${namespace}': created`,
        `Azure ML workspace 'aml${namespace}': created`,
        "Compute cluster 'cpu-cluster': created",
        "Compute cluster 'spot-cluster': created",
      ]) {
        assert.ok(first.result.log.includes(line), `missing '${line}'\n${first.result.log}`);
      }
      assert.equal(first.result.outputs.workspaceName, `aml${namespace}`);
      assert.match(first.result.outputs.workspaceId ?? "", new RegExp(`/providers/Microsoft\\.MachineLearningServices/workspaces/aml${namespace}$`));
      assert.ok(first.result.outputs.discoveryUrl, "no discovery URL from the workspace");
      await assertCreatedAsDescribed(variables.RESOURCE_GROUP, namespace, first.result.outputs.workspaceId ?? "");

      const second = await runWorkspaceTask(flavour, { computeClusters, tags: tagsInput }, variables);
      assert.equal(second.result.result, "Succeeded", second.result.log);
      assert.deepEqual(second.result.warnings, [], "a re-run with the same description warned (a cluster read back with another size or tier?)");
      assert.match(second.result.log, /nothing to change/);
      assert.deepEqual(
        changes(second.requests).map((r) => `${r.method} ${r.path}`),
        [],
        "a re-run changed something",
      );
      if (first.requests && second.requests) assert.ok(second.requests.length < first.requests.length, "a re-run should need fewer ARM calls");
    });
  }

  it("a wrong secret fails with Entra's answer and changes nothing", async () => {
    const service = agentServiceConnection(connection, "secret");
    service.endpoints[0].parameters.serviceprincipalkey = "not-the-secret";
    azure?.clearRequests();
    const variables = {
      "System.DefaultWorkingDirectory": workDir,
      "Agent.TempDirectory": path.join(workDir, "agent-temp"),
      NAMESPACE: `e2ewrong${suffix}`,
      RESOURCE_GROUP: "rg-e2e-wrong",
    };
    const result = await runTaskStep(stepWithConnection({ taskDirectory, inputs: {}, variables }, connection, service));
    assert.equal(result.result, "Failed");
    assert.match(result.message ?? "", /authentication failed: .*AADSTS7000215/);
    assert.ok(!result.log.includes("not-the-secret"), "the secret was printed");
    assert.deepEqual(
      (armRequests() ?? []).filter((r) => r.status < 400),
      [],
    );
  });

  it("an invalid NAMESPACE fails before any call", async () => {
    const run = await runWorkspaceTask("secret", {}, { NAMESPACE: "Bad-Namespace", RESOURCE_GROUP: "rg-e2e-bad" });
    assert.equal(run.result.result, "Failed");
    assert.match(run.result.message ?? "", /variable NAMESPACE 'Bad-Namespace'\) gives 'saBad-Namespace', which is not a valid storage account name/);
    assert.deepEqual(azure?.requests() ?? [], [], "the task called Azure");
  });

  it("a workspace-scoped connection cannot create a resource group, and says why", async function () {
    localOnly(this); // needs a scoped workspace that does not exist yet
    const run = await runWorkspaceTask("workspaceScoped", { createResourceGroup: "true" }, { NAMESPACE: `e2escope${suffix}` });
    assert.equal(run.result.result, "Failed", run.result.log);
    assert.match(
      run.result.message ?? "",
      /(Reading|Creating) resource group 'rg-e2e-scoped' failed \(AuthorizationFailed, HTTP 403\): The client '[^']+' with object id '[^']+' does not have authorization/,
    );
    assert.deepEqual(
      changes(run.requests).filter((r) => r.status < 400),
      [],
    );
  });

  it("with faults at 20 % of calls, still succeeds and leaves nothing half-made", async function () {
    const azure = localOnly(this);
    const variables = { NAMESPACE: "e2efault01", RESOURCE_GROUP: "rg-e2e-faults" };
    // Four transient kinds, each drawn at 5.4 %: about 20 % of ARM calls get one (1 − 0.946⁴).
    const transient: FaultKind[] = ["throttle", "internalError", "serviceUnavailable", "dropConnection"];
    azure.setFaults({ seed: 20261125, rules: transient.map((kind) => ({ kind, rate: 0.054 })) });
    let faulted: Run;
    try {
      faulted = await runWorkspaceTask("secret", { createResourceGroup: "true", computeClusters: clusters }, variables);
    } finally {
      azure.setFaults(undefined);
    }
    const trace = (faulted.requests ?? []).map((r) => `${r.method} ${r.status} ${r.operationId ?? ""} ${r.fault ?? ""}`).join("\n");
    assert.equal(faulted.result.result, "Succeeded", `${faulted.result.log}\n${trace}`);
    assert.ok(
      faulted.requests?.some((r) => r.fault),
      "no fault was injected",
    );
    const again = await runWorkspaceTask("secret", { computeClusters: clusters }, variables);
    assert.equal(again.result.result, "Succeeded", again.result.log);
    assert.deepEqual(
      changes(again.requests).map((r) => `${r.method} ${r.path}`),
      [],
      "something was left half-made",
    );
  });
});
