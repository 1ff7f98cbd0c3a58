import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import type { MockTestRunner } from "azure-pipelines-task-lib/mock-test";
import { InMemoryAzureState, mutatingOperations } from "./inMemoryWorkspaceGateway";
import { resourceGroup, resourceId, WorkspaceTaskBed } from "./workspaceTaskBed";

// Item 14 of the hardening issue: resources another operation is still working on, resources
// left Failed, and changes Azure refuses while another operation runs. The task runs in a child
// process (MockTestRunner) on the in-memory Azure, into whose state each test writes what
// another client left behind.
const ids = {
  storageAccount: resourceId(resourceGroup, "Microsoft.Storage/storageAccounts", "samlopsdev01"),
  logAnalyticsWorkspace: resourceId(resourceGroup, "Microsoft.OperationalInsights/workspaces", "lamlopsdev01"),
};
const busy = { statusCode: 409, code: "AnotherOperationInProgress", message: "Another operation on this or dependent resource is in progress." };

describe("AzureMLWorkspace task converges on resources mid-operation or Failed (in-memory Azure)", function () {
  this.timeout(60_000);
  let bed: WorkspaceTaskBed;

  const writeState = (change: (state: InMemoryAzureState) => void): void => bed.writeState(change);
  const readState = (): InMemoryAzureState => bed.state();

  function mutations(since = 0): string[] {
    return bed
      .callsSince(since)
      .filter((call) => mutatingOperations.has(call.operation))
      .map((call) => `${call.operation} ${call.target.split("/").pop()}`);
  }

  const runTask = (): Promise<MockTestRunner> => runTaskWith({});
  const runTaskWith = (inputs: Record<string, string>): Promise<MockTestRunner> => bed.run({ inputs });

  function assertLogged(runner: MockTestRunner, ...lines: string[]): void {
    for (const line of lines) assert.ok(runner.stdout.includes(line), `missing log line: ${line}\n${runner.stdout}`);
  }

  beforeEach(() => {
    bed = WorkspaceTaskBed.create();
    writeState((state) => {
      state.resourceGroups[resourceGroup] = { location: "westeurope", tags: {}, provisioningState: "Succeeded" };
    });
  });

  afterEach(() => bed.remove());

  function storageAccountIn(state: InMemoryAzureState, provisioningState: string): void {
    state.resources[ids.storageAccount.toLowerCase()] = {
      kind: "storageAccount",
      name: "samlopsdev01",
      location: "westeurope",
      request: { location: "westeurope", tags: {} },
      provisioningState,
    };
  }

  it("waits for a resource another run is still creating, then uses it as found", async () => {
    writeState((state) => {
      storageAccountIn(state, "Creating");
      state.running = { [ids.storageAccount.toLowerCase()]: { reads: 2, then: "Succeeded" } };
    });
    const runner = await runTask();
    assert.ok(runner.succeeded, runner.stdout + runner.stderr);
    assertLogged(
      runner,
      "Storage account 'samlopsdev01' is Creating; waiting up to 10 min for that operation to finish.",
      "Storage account 'samlopsdev01' is now Succeeded.",
      "Storage account 'samlopsdev01': found",
      "Azure ML workspace 'amlmlopsdev01': created",
    );
    assert.ok(!mutations().some((call) => call.endsWith("samlopsdev01")), "the storage account another run is creating must not be created again");
  });

  it("waits for a workspace being deleted to go, then creates it", async () => {
    assert.ok((await runTask()).succeeded);
    writeState((state) => {
      const workspace = Object.values(state.workspaces)[0];
      workspace.provisioningState = "Deleting";
      state.running = { amlmlopsdev01: { reads: 2, then: "deleted" } };
    });
    const start = readState().calls.length;
    const runner = await runTask();
    assert.ok(runner.succeeded, runner.stdout);
    assertLogged(
      runner,
      "Azure ML workspace 'amlmlopsdev01' is Deleting; waiting up to 10 min",
      "Azure ML workspace 'amlmlopsdev01' is gone (it was Deleting).",
      "Azure ML workspace 'amlmlopsdev01': created",
    );
    assert.ok(mutations(start).includes("createWorkspace amlmlopsdev01"));
  });

  it("repairs a Log Analytics workspace left Failed, and uses it", async () => {
    writeState((state) => {
      state.resources[ids.logAnalyticsWorkspace.toLowerCase()] = {
        kind: "logAnalyticsWorkspace",
        name: "lamlopsdev01",
        location: "westeurope",
        request: { location: "westeurope", tags: {} },
        provisioningState: "Failed",
      };
    });
    const runner = await runTask();
    assert.ok(runner.succeeded, runner.stdout);
    assertLogged(runner, "Log Analytics workspace 'lamlopsdev01': repaired (was Failed)", "Application Insights component 'aimlopsdev01': created");
    assert.match(runner.stdout, /resources created, updated or repaired/);
    const state = readState();
    assert.equal(state.resources[ids.logAnalyticsWorkspace.toLowerCase()].provisioningState, "Succeeded");
    const summary = fs.readFileSync(/##vso\[task\.uploadsummary\](.*)/.exec(runner.stdout)?.[1].trim() ?? "", "utf8");
    assert.match(summary, /\| Log Analytics workspace \| lamlopsdev01 \| repaired \| was Failed \|/);
    assert.match(summary, /1 repaired/);
  });

  it("fails with one sentence naming a Failed resource it cannot repair, and creates no workspace", async () => {
    writeState((state) => {
      state.resources[ids.logAnalyticsWorkspace.toLowerCase()] = {
        kind: "logAnalyticsWorkspace",
        name: "lamlopsdev01",
        location: "westeurope",
        request: { location: "westeurope", tags: {} },
        provisioningState: "Failed",
      };
      state.faults = [
        {
          operation: "createDependency",
          target: ids.logAnalyticsWorkspace,
          times: 1,
          error: { statusCode: 400, code: "WorkspaceInvalidState", message: "The workspace is in a state that does not allow this operation." },
        },
      ];
    });
    const runner = await runTask();
    assert.ok(runner.failed, runner.stdout);
    assert.deepEqual(runner.errorIssues, [
      "Log Analytics workspace 'lamlopsdev01' is Failed, and repairing it failed (WorkspaceInvalidState, HTTP 400): The workspace is in a state that does not allow this operation.",
    ]);
    assert.ok(!mutations().some((call) => call.startsWith("createWorkspace")), "no workspace may be created on a broken dependency");
    assert.doesNotMatch(runner.stdout, /^\s+at /m, "no stack trace");
  });

  it("repairs a workspace left Failed on the dependencies it has, and a compute cluster left Failed", async () => {
    assert.ok((await runTask()).succeeded);
    writeState((state) => {
      Object.values(state.workspaces)[0].provisioningState = "Failed";
      Object.values(state.computes)[0].provisioningState = "Canceled";
    });
    const start = readState().calls.length;
    const runner = await runTask();
    assert.ok(runner.succeeded, runner.stdout);
    assertLogged(runner, "Azure ML workspace 'amlmlopsdev01': repaired (was Failed)", "Compute cluster 'cpu-cluster': repaired (was Canceled;");
    assert.deepEqual(mutations(start), ["createWorkspace amlmlopsdev01", "createCompute cpu-cluster"]);
    const state = readState();
    assert.equal(Object.values(state.workspaces)[0].storageAccount, ids.storageAccount);
    assert.equal(Object.values(state.computes)[0].provisioningState, "Succeeded");
  });

  describe("an existing workspace's resources are checked, not assumed", () => {
    const setState = (id: string, provisioningState: string) =>
      writeState((state) => {
        state.resources[id.toLowerCase()].provisioningState = provisioningState;
      });

    it("repairs the Log Analytics workspace of a workspace that exists, which earlier runs took as found", async () => {
      assert.ok((await runTask()).succeeded);
      setState(ids.logAnalyticsWorkspace, "Failed");
      const start = readState().calls.length;
      const runner = await runTask();
      assert.ok(runner.succeeded, runner.stdout);
      assertLogged(runner, "Log Analytics workspace 'lamlopsdev01': repaired (was Failed)", "Azure ML workspace 'amlmlopsdev01': found");
      assert.doesNotMatch(runner.stdout, /nothing to change/);
      assert.deepEqual(mutations(start), ["createDependency lamlopsdev01"]);
    });

    it("repairs a Failed storage account the workspace uses, when it is the one the settings name", async () => {
      assert.ok((await runTask()).succeeded);
      setState(ids.storageAccount, "Failed");
      const runner = await runTask();
      assert.ok(runner.succeeded, runner.stdout);
      assertLogged(runner, "Storage account 'samlopsdev01': repaired (was Failed)");
      assert.equal(readState().resources[ids.storageAccount.toLowerCase()].provisioningState, "Succeeded");
    });

    it("fails naming a Failed resource the workspace uses that the settings do not name, and changes nothing", async () => {
      assert.ok((await runTask()).succeeded);
      setState(ids.storageAccount, "Failed");
      const start = readState().calls.length;
      const runner = await runTaskWith({ storageAccount: "sanotused01" });
      assert.ok(runner.failed, runner.stdout);
      assert.deepEqual(runner.errorIssues, [
        "Storage account 'samlopsdev01', which workspace 'amlmlopsdev01' uses, is Failed; it is not the one this pipeline names (sanotused01), so the task does not re-provision it: repair it in Azure, then run the task again.",
      ]);
      assert.deepEqual(mutations(start), []);
    });

    it("reports a resource it may not read (a connection scoped to the workspace) as found, unchecked", async () => {
      assert.ok((await runTask()).succeeded);
      writeState((state) => {
        state.faults = [
          {
            operation: "getDependency",
            target: ids.storageAccount,
            times: 1,
            error: { statusCode: 403, code: "AuthorizationFailed", message: "The client does not have authorization." },
          },
        ];
      });
      const runner = await runTask();
      assert.ok(runner.succeeded, runner.stdout);
      assertLogged(runner, "Storage account 'samlopsdev01': found (used by the workspace)", "nothing to change");
    });
  });

  it("retries a change Azure refuses with 409 AnotherOperationInProgress, then succeeds", async () => {
    writeState((state) => {
      state.faults = [{ operation: "createWorkspace", target: "amlmlopsdev01", times: 2, error: busy }];
    });
    const runner = await runTask();
    assert.ok(runner.succeeded, runner.stdout);
    assertLogged(
      runner,
      "Azure ML workspace 'amlmlopsdev01' is busy with another operation (AnotherOperationInProgress); waiting for it, then trying again.",
      "Azure ML workspace 'amlmlopsdev01': created",
    );
    assert.equal(mutations().filter((call) => call === "createWorkspace amlmlopsdev01").length, 3);
  });

  it("does not retry a conflict that is not about another operation", async () => {
    writeState((state) => {
      state.faults = [
        {
          operation: "createWorkspace",
          target: "amlmlopsdev01",
          times: 1,
          error: { statusCode: 409, code: "InvalidResourceLocation", message: "The resource already exists in location 'eastus'." },
        },
      ];
    });
    const runner = await runTask();
    assert.ok(runner.failed, runner.stdout);
    assert.equal(mutations().filter((call) => call === "createWorkspace amlmlopsdev01").length, 1);
    assert.match(runner.errorIssues.join("\n"), /Creating workspace 'amlmlopsdev01' failed \(InvalidResourceLocation, HTTP 409\)/);
  });
});
