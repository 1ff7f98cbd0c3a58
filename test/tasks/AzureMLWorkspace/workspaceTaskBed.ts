import * as fs from "node:fs";
import * as path from "node:path";
import type { MockTestRunner } from "azure-pipelines-task-lib/mock-test";
import { unescapeCommandText } from "../../../local/runner/loggingCommands";
import { runMockTask } from "../../support/mockTaskRun";
import { emptyState, InMemoryAzureState, readState, stateFileVariable } from "./inMemoryWorkspaceGateway";
import { connectionId, subscriptionId, resourceGroup, devAgentEnvironment } from "../support/devAgent";
import { TaskBedFolder } from "../support/taskBedFolder";
export { connectionId, subscriptionId, tenantId, servicePrincipalKey, resourceGroup } from "../support/devAgent";

export const clustersYaml = ["- name: cpu-cluster", "  size: Standard_DS3_v2", "  min_instances: 0", "  max_instances: 2"].join("\n");

export interface Scenario {
  inputs?: Record<string, string>;
  variables?: Record<string, string>;
  /** Environment variables to remove for this run (e.g. the service connection). */
  without?: string[];
}

/** The id a resource of the given provider type gets in a resource group of the test subscription. */
export function resourceId(group: string, type: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${group}/providers/${type}/${name}`;
}

/**
 * The AzureMLWorkspace task run with MockTestRunner on the in-memory Azure, the way a pipeline
 * agent would run it for the DEV environment (NAMESPACE mlopsdev01, resource group rg-mlops-dev,
 * which exists): a service principal connection, the pipeline variables of DESIGN §1, a working
 * folder of its own. Nothing of the caller's environment reaches the task.
 */
export class WorkspaceTaskBed extends TaskBedFolder {
  readonly stateFile = path.join(this.workDir, "azure-state.json");

  private constructor(private readonly computeClusters: string) {
    super("azureml-workspace-task-");
  }

  /** `computeClusters`: the clusters every run provisions unless its scenario says otherwise (default: one). */
  static create(options: { computeClusters?: string } = {}): WorkspaceTaskBed {
    const bed = new WorkspaceTaskBed(options.computeClusters ?? clustersYaml);
    bed.writeState((state) => {
      state.resourceGroups[resourceGroup] = { location: "westeurope", tags: {} };
    });
    return bed;
  }

  writeState(change: (state: InMemoryAzureState) => void): void {
    const state = fs.existsSync(this.stateFile) ? readState(this.stateFile) : emptyState(subscriptionId);
    change(state);
    fs.writeFileSync(this.stateFile, JSON.stringify(state, null, 2));
  }

  state(): InMemoryAzureState {
    return readState(this.stateFile);
  }

  /** A path inside the job's working folder. */
  path(...parts: string[]): string {
    return path.join(this.workDir, ...parts);
  }

  calls(): InMemoryAzureState["calls"] {
    return this.state().calls;
  }

  callsSince(start: number): InMemoryAzureState["calls"] {
    return this.state().calls.slice(start);
  }

  /** The environment the agent gives the task for this scenario. */
  environment(scenario: Scenario = {}): Record<string, string> {
    const environment: Record<string, string> = {
      ...devAgentEnvironment(this.workDir),
      LOCATION: "westeurope",
      [stateFileVariable]: this.stateFile,
      WORKSPACE_INPUTS: JSON.stringify({ azureSubscription: connectionId, computeClusters: this.computeClusters, ...scenario.inputs }),
      ...scenario.variables,
    };
    for (const name of scenario.without ?? []) delete environment[name];
    return environment;
  }

  run(scenario: Scenario = {}): Promise<MockTestRunner> {
    return runMockTask(path.join(__dirname, "workspaceScenario.js"), this.environment(scenario));
  }
}

/** An output variable the task set (##vso[task.setvariable …;isOutput=true]), unescaped. */
export function outputVariable(runner: MockTestRunner, name: string): string | undefined {
  const match = new RegExp(`##vso\\[task\\.setvariable variable=${name};isOutput=true;[^\\]]*\\](.*)`).exec(runner.stdout);
  return match ? unescapeCommandText(match[1].trim()) : undefined;
}
