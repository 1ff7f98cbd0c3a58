import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { MockTestRunner } from "azure-pipelines-task-lib/mock-test";
import { InMemoryAzureState, mutatingOperations, readState } from "./inMemoryWorkspaceGateway";
import { clustersYaml, outputVariable, Scenario, servicePrincipalKey, subscriptionId, WorkspaceTaskBed } from "./workspaceTaskBed";

describe("AzureMLWorkspace task (MockTestRunner, in-memory Azure)", function () {
  this.timeout(60_000);
  let bed: WorkspaceTaskBed;
  let workDir: string;
  let stateFile: string;

  function writeState(change: (state: InMemoryAzureState) => void): void {
    bed.writeState(change);
  }

  function callsSince(start: number): InMemoryAzureState["calls"] {
    return bed.callsSince(start);
  }

  function runTask(scenario: Scenario = {}): Promise<MockTestRunner> {
    return bed.run(scenario);
  }

  beforeEach(() => {
    bed = WorkspaceTaskBed.create();
    workDir = bed.workDir;
    stateFile = bed.stateFile;
  });

  afterEach(() => bed.remove());

  it("creates the workspace and everything around it, one log line per resource", async () => {
    const runner = await runTask({ inputs: { writeConfigJson: "true", tags: "team=ml\ncostCenter=42" } });
    assert.ok(runner.succeeded, runner.stdout + runner.stderr);
    for (const line of [
      "Resource group 'rg-mlops-dev': found",
      "Storage account 'samlopsdev01': created",
      "Key vault 'kvmlopsdev01': created",
      "Log Analytics workspace 'lamlopsdev01': created",
      "Application Insights component 'aimlopsdev01': created",
      "Container registry 'crmlopsdev01': created",
      "Azure ML workspace 'amlmlopsdev01': created",
      "Compute cluster 'cpu-cluster': created",
    ]) {
      assert.ok(runner.stdout.includes(line), `missing log line: ${line}\n${runner.stdout}`);
    }

    const workspaceId = `/subscriptions/${subscriptionId}/resourceGroups/rg-mlops-dev/providers/Microsoft.MachineLearningServices/workspaces/amlmlopsdev01`;
    assert.equal(outputVariable(runner, "workspaceName"), "amlmlopsdev01");
    assert.equal(outputVariable(runner, "workspaceId"), workspaceId);
    assert.equal(outputVariable(runner, "workspaceLocation"), "westeurope");
    assert.equal(outputVariable(runner, "studioUrl"), `https://ml.azure.com/?wsid=${workspaceId}&tid=72f988bf-0000-4000-8000-000000000000`);
    assert.match(outputVariable(runner, "storageAccountId") ?? "", /Microsoft\.Storage\/storageAccounts\/samlopsdev01$/);

    const state = readState(stateFile);
    const workspace = Object.values(state.workspaces)[0];
    assert.deepEqual(workspace.tags, { team: "ml", costCenter: "42" });
    const insights = Object.values(state.resources).find((r) => r.kind === "applicationInsights");
    assert.match(insights?.request.logAnalyticsWorkspaceId ?? "", /Microsoft\.OperationalInsights\/workspaces\/lamlopsdev01$/);
    assert.equal(Object.values(state.resources).find((r) => r.kind === "keyVault")?.request.tenantId, "72f988bf-0000-4000-8000-000000000000");

    const configJson = JSON.parse(fs.readFileSync(path.join(workDir, ".azureml", "config.json"), "utf8")) as unknown;
    assert.deepEqual(configJson, { subscription_id: subscriptionId, resource_group: "rg-mlops-dev", workspace_name: "amlmlopsdev01" });

    const summaryCommand = /##vso\[task\.uploadsummary\](.*)/.exec(runner.stdout);
    assert.ok(summaryCommand, "no run summary uploaded");
    const summary = fs.readFileSync(summaryCommand[1].trim(), "utf8");
    assert.match(summary, /\| Storage account \| samlopsdev01 \| created \|/i);

    // The key is registered as a secret with the agent and never printed otherwise.
    assert.ok(runner.stdout.includes(`##vso[task.setsecret]${servicePrincipalKey}`), "service principal key not masked");
    assert.equal(runner.stdout.split(servicePrincipalKey).length - 1, 1, "service principal key printed");
  });

  it("changes nothing on a second run and says so", async () => {
    const first = await runTask();
    assert.ok(first.succeeded, first.stdout);
    const start = readState(stateFile).calls.length;

    const second = await runTask();
    assert.ok(second.succeeded, second.stdout);
    const changes = callsSince(start).filter((call) => mutatingOperations.has(call.operation));
    assert.deepEqual(changes, []);
    assert.ok(second.stdout.includes("Azure ML workspace 'amlmlopsdev01': found"), second.stdout);
    assert.ok(second.stdout.includes("Storage account 'samlopsdev01': found (used by the workspace)"), second.stdout);
    assert.ok(second.stdout.includes("Compute cluster 'cpu-cluster': found"), second.stdout);
    assert.ok(second.stdout.includes("nothing to change"), second.stdout);
    assert.equal(outputVariable(second, "workspaceId"), outputVariable(first, "workspaceId"));
  });

  it("updates what changed: the cluster's scale and the workspace's tags", async () => {
    assert.ok((await runTask()).succeeded);
    const start = readState(stateFile).calls.length;
    const runner = await runTask({
      inputs: { computeClusters: clustersYaml.replace("max_instances: 2", "max_instances: 6"), tags: "team=ml" },
    });
    assert.ok(runner.succeeded, runner.stdout);
    assert.ok(runner.stdout.includes("Compute cluster 'cpu-cluster': updated (0–2 nodes, idle 120s → 0–6 nodes, idle 120s)"), runner.stdout);
    assert.ok(runner.stdout.includes("Azure ML workspace 'amlmlopsdev01': updated (tags team)"), runner.stdout);
    assert.deepEqual(
      callsSince(start)
        .filter((call) => mutatingOperations.has(call.operation))
        .map((call) => call.operation),
      ["updateWorkspace", "updateComputeScale"],
    );
  });

  it("provisions the clusters of the environment's configuration file, merged over the base file", async () => {
    const folder = path.join(workDir, "configuration");
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, "configuration.yml"), "model_name: diabetes\ncompute_clusters:\n  - name: shared-cpu\n");
    fs.writeFileSync(path.join(folder, "configuration-dev.yml"), "compute_clusters:\n  - name: dev-cpu\n    max_instances: 1\n");
    const runner = await runTask({ inputs: { computeClusters: "" } });
    assert.ok(runner.succeeded, runner.stdout);
    assert.ok(runner.stdout.includes("Compute cluster 'dev-cpu': created (Standard_DS3_v2, 0–1 nodes, idle 120s)"), runner.stdout);
    assert.ok(!runner.stdout.includes("shared-cpu"), "a list in the environment's file replaces the base file's list");
  });

  it("creates the resource group when asked to", async () => {
    writeState((state) => {
      state.resourceGroups = {};
    });
    const runner = await runTask({ inputs: { createResourceGroup: "true" } });
    assert.ok(runner.succeeded, runner.stdout);
    assert.ok(runner.stdout.includes("Resource group 'rg-mlops-dev': created"), runner.stdout);
  });

  it("keeps the resources of an existing workspace and warns when the inputs name others", async () => {
    assert.ok((await runTask()).succeeded);
    const runner = await runTask({ inputs: { storageAccount: "sanotused01" } });
    assert.ok(runner.succeeded, runner.stdout);
    assert.ok(
      runner.warningIssues.some((w) => w.includes("uses storage account 'samlopsdev01', not 'sanotused01' from input 'storageAccount'")),
      runner.stdout,
    );
  });

  describe("bad input: one clear sentence, and nothing changed in Azure", () => {
    interface BadInputCase {
      title: string;
      scenario: Scenario;
      message: RegExp;
      prepare?: () => void;
      /** Calls that may be made before the input can be judged (reads only). */
      readsAllowed?: boolean;
    }
    const cases: BadInputCase[] = [
      {
        title: "an invalid NAMESPACE",
        scenario: { variables: { NAMESPACE: "MLOps-Dev" } },
        message:
          /STORAGEACCOUNT \(default 'sa' \+ variable NAMESPACE 'MLOps-Dev'\) gives 'saMLOps-Dev', which is not a valid storage account name: 3–24 lower-case letters and digits\./,
      },
      {
        title: "a missing service connection",
        scenario: { inputs: { azureSubscription: "" } },
        message: /azureSubscription/,
      },
      {
        title: "a service connection the agent does not know",
        scenario: { inputs: { azureSubscription: "not-a-connection" } },
        message: /not-a-connection/,
      },
      {
        title: "a secret in the environment's configuration file",
        scenario: {},
        prepare: () => {
          fs.mkdirSync(path.join(workDir, "configuration"), { recursive: true });
          fs.writeFileSync(
            path.join(workDir, "configuration", "configuration-dev.yml"),
            "model_name: diabetes\ntraining:\n  alpha: 0.5\n  storage_password: hunter2-do-not-print\n",
          );
        },
        message: /configuration-dev\.yml:4.*storage_password/,
      },
      {
        title: "a workspace name Azure refuses",
        scenario: { inputs: { workspaceName: "ws!" } },
        message: /Input 'workspaceName' gives 'ws!', which is not a valid Azure ML workspace name/,
      },
      {
        title: "a key vault name with a double hyphen",
        scenario: { variables: { KEYVAULT: "kv--dev" } },
        message: /Variable KEYVAULT gives 'kv--dev', which is not a valid key vault name/,
      },
      {
        title: "a container registry resource id of the wrong type",
        scenario: { inputs: { containerRegistry: `/subscriptions/${subscriptionId}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/crx12` } },
        message: /Input 'containerRegistry' gives .* which is not a container registry resource id/,
      },
      {
        title: "a lower-case ENVIRONMENT",
        scenario: { variables: { ENVIRONMENT: "dev" } },
        message: /Variable ENVIRONMENT is 'dev': it must be an upper-case name/,
      },
      {
        title: "no resource group anywhere",
        scenario: { without: ["RESOURCE_GROUP"] },
        message: /No resource group is set: give one in input 'resourceGroup', variable RESOURCE_GROUP, service connection/,
      },
      {
        title: "no NAMESPACE and no names",
        scenario: { without: ["NAMESPACE"] },
        message: /No Azure ML workspace name is set: .* or set NAMESPACE/,
      },
      {
        title: "a resource group name Azure refuses",
        scenario: { inputs: { resourceGroup: "rg/dev" } },
        message: /Input 'resourceGroup' gives 'rg\/dev', which is not a valid resource group name/,
      },
      {
        title: "a location that is not a region name",
        scenario: { inputs: { location: "west-europe" } },
        message: /Input 'location' gives 'west-europe', which is not a valid Azure region name/,
      },
      {
        title: "an Application Insights name with a slash",
        scenario: { inputs: { applicationInsights: "ai/dev" } },
        message: /Input 'applicationInsights' gives 'ai\/dev', which is not a valid Application Insights component name/,
      },
      {
        title: "a Log Analytics workspace name that is too short",
        scenario: { variables: { LOGANALYTICS: "la1" } },
        message: /Variable LOGANALYTICS gives 'la1', which is not a valid Log Analytics workspace name/,
      },
      {
        title: "a container registry name with a hyphen",
        scenario: { inputs: { containerRegistry: "cr-mlops-dev" } },
        message: /Input 'containerRegistry' gives 'cr-mlops-dev', which is not a valid container registry name: 5–50 letters and digits/,
      },
      {
        title: "an unknown container registry SKU",
        scenario: { inputs: { containerRegistrySku: "Free" } },
        message: /Input 'containerRegistrySku' is 'Free'; it must be one of Basic, Standard, Premium/,
      },
      {
        title: "a configuration file that does not exist",
        scenario: { inputs: { configurationFile: "configuration/missing.yml" } },
        message: /Input 'configurationFile': file '.*configuration\/missing\.yml' does not exist/,
      },
      {
        title: "a base configuration file that does not exist",
        scenario: { inputs: { configurationBaseFile: "configuration/shared.yml" } },
        message: /Input 'configurationBaseFile': file '.*configuration\/shared\.yml' does not exist/,
      },
      {
        title: "a config.json path that is a folder",
        scenario: { inputs: { writeConfigJson: "true", configJsonPath: "." } },
        message: /Input 'configJsonPath' is '\.', which is a folder/,
      },
      {
        title: "an unknown storage SKU",
        scenario: { inputs: { storageSku: "Premium_XYZ" } },
        message: /Input 'storageSku' is 'Premium_XYZ'; it must be one of Standard_LRS/,
      },
      {
        title: "a malformed tag line",
        scenario: { inputs: { tags: "team=ml\nno-equals-sign" } },
        message: /Input 'tags' line 2 is not 'key=value'/,
      },
      {
        title: "compute clusters that are not valid YAML",
        scenario: { inputs: { computeClusters: "- name: cpu\n  size: [unclosed" } },
        message: /Input 'computeClusters' line \d+ is not valid YAML/,
      },
      {
        title: "a compute cluster with an unknown key",
        scenario: { inputs: { computeClusters: "- name: cpu-cluster\n  max_nodes: 4" } },
        message: /unknown key 'max_nodes'/,
      },
      {
        title: "a compute cluster with fewer max than min instances",
        scenario: { inputs: { computeClusters: "- name: cpu-cluster\n  min_instances: 3\n  max_instances: 1" } },
        message: /max_instances \(1\) must be at least 1 and at least min_instances \(3\)/,
      },
      {
        title: "the same cluster twice",
        scenario: { inputs: { computeClusters: "- name: cpu-cluster\n- name: CPU-cluster" } },
        message: /Compute cluster 'CPU-cluster' is described twice/,
      },
      {
        title: "a compute clusters file that does not exist",
        scenario: { inputs: { computeClustersFile: "/nowhere/clusters.yml" } },
        message: /Input 'computeClustersFile': file '\/nowhere\/clusters\.yml' does not exist/,
      },
      {
        title: "a missing resource group without createResourceGroup",
        scenario: {},
        prepare: () => writeState((state) => (state.resourceGroups = {})),
        message: /Resource group 'rg-mlops-dev' \(from variable RESOURCE_GROUP\) does not exist .* set input 'createResourceGroup' to true/,
        readsAllowed: true,
      },
      {
        title: "a storage account name someone else owns",
        scenario: {},
        prepare: () => writeState((state) => (state.takenNames.storageAccount = ["samlopsdev01"])),
        message: /storage account name 'samlopsdev01' .* is not available \(AlreadyExists\).*nothing was created/,
        readsAllowed: true,
      },
      {
        title: "a storage account id that does not exist",
        scenario: {
          inputs: { storageAccount: `/subscriptions/${subscriptionId}/resourceGroups/rg-shared/providers/Microsoft.Storage/storageAccounts/sashared01` },
        },
        message: /The storage account '.*sashared01' given in input 'storageAccount' does not exist/,
        readsAllowed: true,
      },
    ];

    for (const badInput of cases) {
      it(`refuses ${badInput.title}`, async () => {
        badInput.prepare?.();
        const runner = await runTask(badInput.scenario);
        assert.ok(runner.failed, `expected failure\n${runner.stdout}`);
        const failure = runner.errorIssues.join("\n");
        assert.match(failure, badInput.message, runner.stdout);
        assert.doesNotMatch(failure, /\n\s+at /, "a stack trace in the failure message");
        assert.doesNotMatch(runner.stdout, /hunter2-do-not-print/, "a secret value was printed");
        const calls = readState(stateFile).calls;
        if (badInput.readsAllowed) {
          assert.deepEqual(
            calls.filter((call) => mutatingOperations.has(call.operation)),
            [],
          );
        } else {
          assert.deepEqual(calls, [], "the task called Azure before checking its input");
        }
      });
    }
  });
});
