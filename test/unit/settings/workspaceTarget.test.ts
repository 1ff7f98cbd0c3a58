import * as assert from "node:assert/strict";
import { endpointEnvironment, type AgentEndpoint } from "../../../local/runner/agentEnvironment";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { readConnection, readEnvironment, resolveWorkspace } from "../../../tasks/common/src/settings/workspaceTarget";
import { loadTaskEnvironment, silenceTaskLib } from "../../support/taskLibEnvironment";

const SUBSCRIPTION = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
let endpointCounter = 0;

function endpoint(data: Record<string, string> = {}): AgentEndpoint {
  endpointCounter += 1;
  return {
    id: `5ca1ab1e-0000-4000-8000-${String(endpointCounter).padStart(12, "0")}`,
    url: "https://management.azure.com/",
    scheme: "ServicePrincipal",
    parameters: {
      tenantid: "72f988bf-0000-4000-8000-000000000000",
      serviceprincipalid: "11111111-2222-4333-8444-555555555555",
      serviceprincipalkey: "sp-key-target",
    },
    data: { environment: "AzureCloud", scopeLevel: "Subscription", subscriptionId: SUBSCRIPTION, ...data },
  };
}

describe("the workspace target every task reads: connection → environment → workspace", () => {
  let restore: (() => void) | undefined;
  let unsilence: () => void;
  before(() => (unsilence = silenceTaskLib()));
  after(() => unsilence());
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  /** Loads a task environment with the connection as input 'azureSubscription', plus inputs and variables. */
  function given(agentEndpoint: AgentEndpoint, inputs: Record<string, string>, variables: Record<string, string> = {}): void {
    const inputVariables = Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]));
    restore = loadTaskEnvironment({ INPUT_AZURESUBSCRIPTION: agentEndpoint.id, ...endpointEnvironment(agentEndpoint), ...inputVariables, ...variables });
  }

  function target(): { name: string; source: string; resourceGroup: string; id: string } {
    const connection = readConnection();
    const environment = readEnvironment(connection);
    const workspace = resolveWorkspace(connection, environment);
    return { name: workspace.name, source: workspace.source, resourceGroup: workspace.resourceGroup, id: workspace.id };
  }

  const scoped = { scopeLevel: "AzureMLWorkspace", mlWorkspaceName: "amlscoped", resourceGroupName: "rg-scoped" };

  it("takes the workspace from input 'workspaceName' first", () => {
    given(endpoint(scoped), { workspaceName: "amlinput" }, { AMLWORKSPACE: "amlvariable", NAMESPACE: "ns01" });
    assert.deepEqual(target(), {
      name: "amlinput",
      source: "input 'workspaceName'",
      resourceGroup: "rg-scoped",
      id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-scoped/providers/Microsoft.MachineLearningServices/workspaces/amlinput`,
    });
  });

  it("then from variable AMLWORKSPACE", () => {
    given(endpoint(scoped), {}, { AMLWORKSPACE: "amlvariable", NAMESPACE: "ns01" });
    assert.equal(target().source, "variable AMLWORKSPACE");
  });

  it("then from a workspace-scoped connection, in its resource group", () => {
    const agentEndpoint = endpoint(scoped);
    given(agentEndpoint, {}, { NAMESPACE: "ns01" });
    assert.deepEqual(
      { ...target(), id: undefined },
      { name: "amlscoped", source: `service connection '${agentEndpoint.id}'`, resourceGroup: "rg-scoped", id: undefined },
    );
  });

  it("else 'aml' + NAMESPACE, saying so", () => {
    given(endpoint(), {}, { NAMESPACE: "ns01", RESOURCE_GROUP: "rg-variable" });
    assert.deepEqual(
      { ...target(), id: undefined },
      { name: "amlns01", source: "AMLWORKSPACE (default 'aml' + variable NAMESPACE 'ns01')", resourceGroup: "rg-variable", id: undefined },
    );
  });

  it("takes the resource group from input 'resourceGroup', then RESOURCE_GROUP, then the connection", () => {
    given(endpoint(scoped), { resourceGroup: "rg-input" }, { RESOURCE_GROUP: "rg-variable" });
    assert.equal(target().resourceGroup, "rg-input");
    restore?.();
    given(endpoint(scoped), {}, { RESOURCE_GROUP: "rg-variable" });
    assert.equal(target().resourceGroup, "rg-variable");
  });

  it("names every place it looked when no workspace is set", () => {
    const agentEndpoint = endpoint();
    given(agentEndpoint, {}, { RESOURCE_GROUP: "rg-1" });
    assert.throws(target, {
      name: "InputError",
      message: `No Azure ML workspace name is set: give one in input 'workspaceName', variable AMLWORKSPACE, service connection '${agentEndpoint.id}', or set NAMESPACE so that it defaults to 'aml<NAMESPACE>'.`,
    });
  });

  it("refuses a resource id for the workspace, pointing at 'resourceGroup'", () => {
    given(
      endpoint(),
      { workspaceName: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-1/providers/Microsoft.MachineLearningServices/workspaces/aml1` },
      { RESOURCE_GROUP: "rg-1" },
    );
    assert.throws(target, {
      name: "InputError",
      message: "Input 'workspaceName' must be a workspace name, not a resource id; set the resource group with 'resourceGroup'.",
    });
  });

  it("refuses a workspace name Azure would refuse, naming where it came from", () => {
    given(endpoint(), {}, { RESOURCE_GROUP: "rg-1", AMLWORKSPACE: "aml_bad!" });
    assert.throws(
      target,
      (error: unknown) =>
        error instanceof InputError && error.message.startsWith("Variable AMLWORKSPACE gives 'aml_bad!', which is not a valid Azure ML workspace name"),
    );
  });

  it("fails in one sentence without a connection, or with one that names no subscription", () => {
    restore = loadTaskEnvironment({});
    assert.throws(readConnection, { message: "Input 'azureSubscription' is required: set it to an Azure Resource Manager service connection." });
    restore();
    const agentEndpoint = endpoint({ subscriptionId: "", scopeLevel: "ManagementGroup" });
    given(agentEndpoint, {}, { RESOURCE_GROUP: "rg-1" });
    assert.throws(() => readEnvironment(readConnection()), {
      name: "InputError",
      message: `The service connection '${agentEndpoint.id}' names no subscription; use a connection scoped to a subscription or a workspace.`,
    });
  });
});
