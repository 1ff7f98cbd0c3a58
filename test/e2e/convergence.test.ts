import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalAzure, startLocalAzure } from "../../local/azure";
import { agentServiceConnection, stepWithConnection } from "../../local/runner/serviceConnections";
import { runTaskStep, TaskStepResult } from "../../local/runner/taskProcess";
import { runClient } from "../local/support/runClient";
import type { ArmGetReport } from "../local/clients/armGet";
import { ensureTaskBuilt } from "./builtTasks";

// Item 14 of the hardening issue, on the built AzureMLWorkspace task and the local Azure: runs
// that meet resources another run is still creating, or that a fault left Failed.
describe("AzureMLWorkspace end to end: converging on resources mid-operation or Failed", function () {
  this.timeout(300_000);
  let azure: LocalAzure;
  let stateDir: string;
  let workDir: string;
  let taskDirectory: string;
  const clusters = "- name: cpu-cluster\n  size: Standard_DS3_v2\n  max_instances: 2";

  before(async () => {
    taskDirectory = ensureTaskBuilt("AzureMLWorkspace");
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-convergence-azure-"));
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-convergence-sources-"));
    // Two seconds per operation: runs started together overlap on every resource.
    azure = await startLocalAzure({ stateDir, provisioningSeconds: 2, retryAfterSeconds: 1 });
  });

  after(async () => {
    await azure?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  afterEach(() => {
    azure.setFaults(undefined);
    assert.deepEqual(azure.violations(), [], "every response must match the swagger");
  });

  function runWorkspaceTask(
    namespace: string,
    inputs: Record<string, string> = {},
    signal?: AbortSignal,
    onLine?: (line: string) => void,
  ): Promise<TaskStepResult> {
    // Each run its own agent temp folder, as two jobs on two agents have: task-lib keeps the
    // key of its input vault there, and a shared one would mix up two runs' inputs.
    const agentTemp = fs.mkdtempSync(path.join(workDir, "agent-temp-"));
    const variables = {
      "System.DefaultWorkingDirectory": workDir,
      "Agent.TempDirectory": agentTemp,
      ENVIRONMENT: "DEV",
      LOCATION: azure.connection.location,
      NAMESPACE: namespace,
      RESOURCE_GROUP: `rg-${namespace}`,
    };
    const step = stepWithConnection(
      { taskDirectory, inputs: { createResourceGroup: "true", computeClusters: clusters, ...inputs }, variables, timeoutMs: 240_000, signal, onLine },
      azure.connection,
      agentServiceConnection(azure.connection, "secret"),
    );
    return runTaskStep(step);
  }

  function changesOf(): string[] {
    return azure
      .requests()
      .filter((entry) => entry.target === "arm" && !["GET", "HEAD"].includes(entry.method) && !/checkNameAvailability/i.test(entry.path))
      .map((entry) => `${entry.method} ${entry.path}`);
  }

  async function assertConverged(namespace: string): Promise<void> {
    azure.clearRequests();
    const again = await runWorkspaceTask(namespace);
    assert.equal(again.result, "Succeeded", again.log);
    assert.match(again.log, /nothing to change/);
    assert.deepEqual(changesOf(), [], "a further run still had something to change");
  }

  it("two runs started together on the same names both succeed", async () => {
    const [first, second] = await Promise.all([runWorkspaceTask("e2etwins01"), runWorkspaceTask("e2etwins01")]);
    assert.equal(first.result, "Succeeded", first.log);
    assert.equal(second.result, "Succeeded", second.log);
    assert.equal(first.outputs.workspaceId, second.outputs.workspaceId);
    await assertConverged("e2etwins01");
  });

  it("a re-run right after a run cancelled while creating succeeds", async () => {
    const cancel = new AbortController();
    // Cancelled as soon as the first dependency exists: the others are still being created.
    const cancelled = await runWorkspaceTask("e2ecancel01", {}, cancel.signal, (line) => {
      if (/^(Storage account|Key vault|Log Analytics workspace|Container registry|Application Insights component) '[^']+': created/.test(line)) cancel.abort();
    });
    assert.equal(cancelled.result, "Canceled", cancelled.log);
    assert.doesNotMatch(cancelled.log, /Azure ML workspace '[^']+': created/, "the run was cancelled too late to leave anything half-made");

    const rerun = await runWorkspaceTask("e2ecancel01");
    assert.equal(rerun.result, "Succeeded", rerun.log);
    assert.match(rerun.log, /Azure ML workspace 'amle2ecancel01': created/);
    await assertConverged("e2ecancel01");
  });

  it("repairs a Log Analytics workspace a fault left Failed, on the next run", async () => {
    const namespace = "e2erepair01";
    azure.setFaults({
      rules: [{ kind: "failOperation", operationId: "Workspaces_CreateOrUpdate", pathContains: "/Microsoft.OperationalInsights/workspaces/", times: 1 }],
    });
    const failed = await runWorkspaceTask(namespace);
    assert.equal(failed.result, "Failed", failed.log);
    assert.match(failed.message ?? "", new RegExp(`Creating Log Analytics workspace 'la${namespace}' failed`));
    const logsPath = `/subscriptions/${azure.connection.subscriptionId}/resourceGroups/rg-${namespace}/providers/Microsoft.OperationalInsights/workspaces/la${namespace}?api-version=2022-10-01`;
    const left = await runClient<ArmGetReport>(azure, "armGet", [logsPath]);
    assert.equal(left.body.properties?.provisioningState, "Failed", "the fault should leave the workspace Failed");
    azure.setFaults(undefined);

    const repaired = await runWorkspaceTask(namespace);
    assert.equal(repaired.result, "Succeeded", repaired.log);
    assert.match(repaired.log, new RegExp(`Log Analytics workspace 'la${namespace}': repaired \\(was Failed\\)`));
    const now = await runClient<ArmGetReport>(azure, "armGet", [logsPath]);
    assert.equal(now.body.properties?.provisioningState, "Succeeded");
    await assertConverged(namespace);
  });
});
