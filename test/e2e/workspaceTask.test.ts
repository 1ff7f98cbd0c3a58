import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { FaultKind, LocalAzure, LocalAzureConnection, readConnectionFile, RequestLogEntry, startLocalAzure } from "../../local/azure";
import { agentServiceConnection, ConnectionFlavour, stepWithConnection } from "../../local/runner/serviceConnections";
import { runTaskStep, TaskStepResult } from "../../local/runner/taskProcess";
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
    return azure as LocalAzure;
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

  const changes = (requests: RequestLogEntry[] = []) => requests.filter((entry) => !["GET", "HEAD"].includes(entry.method) && !/checkNameAvailability/i.test(entry.path));
  const clusters = "- name: cpu-cluster\n  size: Standard_DS3_v2\n  max_instances: 2";

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
      const first = await runWorkspaceTask(flavour, { createResourceGroup: "true", computeClusters: clusters, writeConfigJson: "true" }, variables);
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
      ]) {
        assert.ok(first.result.log.includes(line), `missing '${line}'\n${first.result.log}`);
      }
      assert.equal(first.result.outputs.workspaceName, `aml${namespace}`);
      assert.match(first.result.outputs.workspaceId ?? "", new RegExp(`/providers/Microsoft\\.MachineLearningServices/workspaces/aml${namespace}$`));
      assert.ok(first.result.outputs.discoveryUrl, "no discovery URL from the workspace");

      const second = await runWorkspaceTask(flavour, { computeClusters: clusters }, variables);
      assert.equal(second.result.result, "Succeeded", second.result.log);
      assert.match(second.result.log, /nothing to change/);
      assert.deepEqual(changes(second.requests).map((r) => `${r.method} ${r.path}`), [], "a re-run changed something");
      if (first.requests && second.requests) assert.ok(second.requests.length < first.requests.length, "a re-run should need fewer ARM calls");
    });
  }

  it("a wrong secret fails with Entra's answer and changes nothing", async () => {
    const service = agentServiceConnection(connection, "secret");
    service.endpoints[0].parameters.serviceprincipalkey = "not-the-secret";
    azure?.clearRequests();
    const variables = { "System.DefaultWorkingDirectory": workDir, "Agent.TempDirectory": path.join(workDir, "agent-temp"), NAMESPACE: `e2ewrong${suffix}`, RESOURCE_GROUP: "rg-e2e-wrong" };
    const result = await runTaskStep(stepWithConnection({ taskDirectory, inputs: {}, variables }, connection, service));
    assert.equal(result.result, "Failed");
    assert.match(result.message ?? "", /authentication failed: .*AADSTS7000215/);
    assert.ok(!result.log.includes("not-the-secret"), "the secret was printed");
    assert.deepEqual((armRequests() ?? []).filter((r) => r.status < 400), []);
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
    assert.match(run.result.message ?? "", /(Reading|Creating) resource group 'rg-e2e-scoped' failed \(AuthorizationFailed, HTTP 403\): The client '[^']+' with object id '[^']+' does not have authorization/);
    assert.deepEqual(changes(run.requests).filter((r) => r.status < 400), []);
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
    assert.ok(faulted.requests?.some((r) => r.fault), "no fault was injected");
    const again = await runWorkspaceTask("secret", { computeClusters: clusters }, variables);
    assert.equal(again.result.result, "Succeeded", again.result.log);
    assert.deepEqual(changes(again.requests).map((r) => `${r.method} ${r.path}`), [], "something was left half-made");
  });
});
