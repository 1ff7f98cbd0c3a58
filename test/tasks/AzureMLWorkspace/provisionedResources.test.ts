import * as assert from "node:assert/strict";
import { DependencyKind } from "../../../tasks/AzureMLWorkspace/src/settings/workspaceSettings";
import { DependencyRequest } from "../../../tasks/AzureMLWorkspace/src/provisioning/workspaceGateway";
import { InMemoryAzureState, mutatingOperations } from "./inMemoryWorkspaceGateway";
import { resourceGroup, resourceId, WorkspaceTaskBed } from "./workspaceTaskBed";

// What the task leaves in Azure, read from the in-memory Azure rather than from its log: each
// test here fails if one piece of the provisioning is dropped (a link of the workspace, a
// cluster's tier, the line for a reused resource, the warning on a cluster that differs).
describe("AzureMLWorkspace task: what it creates, reuses and warns about (in-memory Azure)", function () {
  this.timeout(60_000);
  let bed: WorkspaceTaskBed;

  beforeEach(() => (bed = WorkspaceTaskBed.create()));
  afterEach(() => bed.remove());

  const types: Record<DependencyKind, string> = {
    storageAccount: "Microsoft.Storage/storageAccounts",
    keyVault: "Microsoft.KeyVault/vaults",
    applicationInsights: "Microsoft.Insights/components",
    logAnalyticsWorkspace: "Microsoft.OperationalInsights/workspaces",
    containerRegistry: "Microsoft.ContainerRegistry/registries",
  };

  function onlyWorkspace(state: InMemoryAzureState) {
    const workspaces = Object.values(state.workspaces);
    assert.equal(workspaces.length, 1);
    return workspaces[0];
  }

  function existing(state: InMemoryAzureState, kind: DependencyKind, group: string, name: string): string {
    const id = resourceId(group, types[kind], name);
    const request: DependencyRequest = { location: "westeurope", tags: {} };
    state.resources[id.toLowerCase()] = { kind, name, location: "westeurope", request };
    return id;
  }

  it("links the workspace to the storage account, key vault, Application Insights and container registry it created", async () => {
    const runner = await bed.run();
    assert.ok(runner.succeeded, runner.stdout);

    const state = bed.state();
    const workspace = onlyWorkspace(state);
    const created = (kind: DependencyKind) => {
      const found = Object.entries(state.resources).filter(([, resource]) => resource.kind === kind);
      assert.equal(found.length, 1, `one ${kind} created`);
      return found[0][0];
    };
    assert.equal(workspace.storageAccount?.toLowerCase(), created("storageAccount"));
    assert.equal(workspace.keyVault?.toLowerCase(), created("keyVault"));
    assert.equal(workspace.applicationInsights?.toLowerCase(), created("applicationInsights"));
    assert.equal(workspace.containerRegistry, resourceId(resourceGroup, types.containerRegistry, "crmlopsdev01"));
    assert.equal(workspace.containerRegistry?.toLowerCase(), created("containerRegistry"));
  });

  it("creates a low_priority cluster as low priority and a cluster without a tier as dedicated", async () => {
    const clusters = ["- name: cheap-cpu", "  tier: low_priority", "  max_instances: 3", "- name: steady-cpu", "  max_instances: 1"].join("\n");
    const runner = await bed.run({ inputs: { computeClusters: clusters } });
    assert.ok(runner.succeeded, runner.stdout);

    const computes = Object.values(bed.state().computes);
    assert.deepEqual(computes.map((compute) => [compute.name, compute.tier, compute.maxInstances]).sort(), [
      ["cheap-cpu", "low_priority", 3],
      ["steady-cpu", "dedicated", 1],
    ]);
  });

  it("reuses an existing storage account, key vault, Application Insights and registry, says so for each, and links them", async () => {
    const ids = {} as Record<DependencyKind, string>;
    bed.writeState((state) => {
      ids.storageAccount = existing(state, "storageAccount", resourceGroup, "samlopsdev01");
      ids.keyVault = existing(state, "keyVault", resourceGroup, "kvmlopsdev01");
      ids.applicationInsights = existing(state, "applicationInsights", resourceGroup, "aimlopsdev01");
      ids.containerRegistry = existing(state, "containerRegistry", resourceGroup, "crmlopsdev01");
    });

    const runner = await bed.run();
    assert.ok(runner.succeeded, runner.stdout);

    for (const line of [
      `Storage account 'samlopsdev01': found (${resourceGroup})`,
      `Key vault 'kvmlopsdev01': found (${resourceGroup})`,
      `Application Insights component 'aimlopsdev01': found (${resourceGroup})`,
      `Container registry 'crmlopsdev01': found (${resourceGroup})`,
    ]) {
      assert.ok(runner.stdout.includes(line), `missing log line: ${line}\n${runner.stdout}`);
    }
    const created = bed.state().calls.filter((call) => call.operation === "createDependency");
    assert.deepEqual(created, [], "an existing dependency was created again (or a Log Analytics workspace made for an existing Application Insights)");
    const workspace = onlyWorkspace(bed.state());
    assert.deepEqual(
      [workspace.storageAccount, workspace.keyVault, workspace.applicationInsights, workspace.containerRegistry],
      [ids.storageAccount, ids.keyVault, ids.applicationInsights, ids.containerRegistry],
    );
  });

  it("reuses a storage account given by id in another resource group, says so, and creates the rest", async () => {
    let sharedId = "";
    bed.writeState((state) => {
      state.resourceGroups["rg-shared"] = { location: "westeurope", tags: {} };
      sharedId = existing(state, "storageAccount", "rg-shared", "sashared01");
    });

    const runner = await bed.run({ inputs: { storageAccount: sharedId } });
    assert.ok(runner.succeeded, runner.stdout);

    assert.ok(runner.stdout.includes("Storage account 'sashared01': found (rg-shared)"), runner.stdout);
    assert.ok(runner.stdout.includes("Key vault 'kvmlopsdev01': created"), runner.stdout);
    assert.equal(onlyWorkspace(bed.state()).storageAccount, sharedId);
    assert.ok(
      !bed.state().calls.some((call) => call.operation === "createDependency" && /storageAccounts/i.test(call.target)),
      "the given storage account was created",
    );
  });

  it("on a re-run, names each resource the existing workspace uses as found", async () => {
    assert.ok((await bed.run()).succeeded);
    const runner = await bed.run();
    assert.ok(runner.succeeded, runner.stdout);
    for (const line of [
      "Storage account 'samlopsdev01': found (used by the workspace)",
      "Key vault 'kvmlopsdev01': found (used by the workspace)",
      "Application Insights component 'aimlopsdev01': found (used by the workspace)",
      "Container registry 'crmlopsdev01': found (used by the workspace)",
    ]) {
      assert.ok(runner.stdout.includes(line), `missing log line: ${line}\n${runner.stdout}`);
    }
  });

  describe("an existing cluster whose size or tier differs from its description", () => {
    async function withExistingCluster(existingCluster: { size: string; tier: "dedicated" | "low_priority" }, description: string) {
      assert.ok((await bed.run({ inputs: { computeClusters: "- name: cpu-cluster\n  max_instances: 2" } })).succeeded);
      bed.writeState((state) => {
        const compute = Object.values(state.computes).find((candidate) => candidate.name === "cpu-cluster");
        assert.ok(compute);
        Object.assign(compute, existingCluster);
      });
      const start = bed.state().calls.length;
      const runner = await bed.run({ inputs: { computeClusters: description } });
      assert.ok(runner.succeeded, runner.stdout);
      const changes = bed.callsSince(start).filter((call) => mutatingOperations.has(call.operation));
      assert.deepEqual(changes, [], "Azure cannot change a cluster's size or tier: nothing may be attempted");
      return runner;
    }

    it("warns that the size cannot change, naming both sizes", async () => {
      const runner = await withExistingCluster(
        { size: "Standard_DS3_v2", tier: "dedicated" },
        "- name: cpu-cluster\n  size: Standard_NC6s_v3\n  max_instances: 2",
      );
      assert.ok(
        runner.warningIssues.some((warning) =>
          /Compute cluster 'cpu-cluster' exists with size 'Standard_DS3_v2', not 'Standard_NC6s_v3'.*cannot change a cluster's size/.test(warning),
        ),
        runner.stdout,
      );
      assert.match(runner.stdout, /##vso\[task\.issue type=warning[;\]].*Compute cluster 'cpu-cluster' exists with size/);
    });

    it("warns that the tier cannot change, naming both tiers", async () => {
      const runner = await withExistingCluster({ size: "Standard_DS3_v2", tier: "dedicated" }, "- name: cpu-cluster\n  tier: low_priority\n  max_instances: 2");
      assert.ok(
        runner.warningIssues.some((warning) =>
          /Compute cluster 'cpu-cluster' exists with tier 'dedicated', not 'low_priority'.*cannot change a cluster's tier/.test(warning),
        ),
        runner.stdout,
      );
    });

    it("does not warn when size and tier match, whatever their case", async () => {
      const runner = await withExistingCluster(
        { size: "standard_ds3_v2", tier: "dedicated" },
        "- name: cpu-cluster\n  size: Standard_DS3_v2\n  max_instances: 2",
      );
      assert.deepEqual(runner.warningIssues, []);
    });
  });
});
