import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MockTestRunner } from "azure-pipelines-task-lib/mock-test";
import { endpointEnvironment } from "../../../local/runner/agentEnvironment";
import { withEnvironment } from "../../support/processEnvironment";
import { emptyState, InMemoryAzureState, readState, stateFileVariable } from "./inMemoryWorkspaceGateway";

/*
 * One run of the AzureMLWorkspace task in a child process (MockTestRunner) against the in-memory
 * Azure, in a fresh job folder: the working folder, the agent's temp folder and the state file
 * of the in-memory Azure all live under `workDir`. Every variable the task reads is set here,
 * so a run does not depend on the environment the tests happen to run in.
 */
export const connectionId = "c0ffee00-0000-4000-8000-000000000001";
export const subscriptionId = "00000000-1111-4222-8333-444444444444";
export const servicePrincipalKey = "sp-key-that-must-never-be-printed";

export interface TaskRunScenario {
  inputs?: Record<string, string>;
  variables?: Record<string, string>;
}

export class WorkspaceTaskJob {
  readonly workDir: string;
  readonly stateFile: string;

  constructor() {
    this.workDir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "azureml-workspace-inputs-")));
    this.stateFile = path.join(this.workDir, "azure-state.json");
    fs.mkdirSync(path.join(this.workDir, "agent-temp"));
    const state: InMemoryAzureState = emptyState(subscriptionId);
    state.resourceGroups["rg-mlops-dev"] = { location: "westeurope", tags: {} };
    fs.writeFileSync(this.stateFile, JSON.stringify(state, null, 2));
  }

  path(...parts: string[]): string {
    return path.join(this.workDir, ...parts);
  }

  write(relative: string, content: string): string {
    const file = this.path(relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  }

  calls(): InMemoryAzureState["calls"] {
    return readState(this.stateFile).calls;
  }

  state(): InMemoryAzureState {
    return readState(this.stateFile);
  }

  async run(scenario: TaskRunScenario = {}): Promise<MockTestRunner> {
    const environment: Record<string, string> = {
      ...endpointEnvironment({
        id: connectionId,
        url: "https://management.azure.com/",
        scheme: "ServicePrincipal",
        parameters: { serviceprincipalid: "11111111-2222-4333-8444-555555555555", serviceprincipalkey: servicePrincipalKey, tenantid: "72f988bf-0000-4000-8000-000000000000", authenticationType: "spnKey" },
        data: { subscriptionId, subscriptionName: "MLOps Dev", environment: "AzureCloud", scopeLevel: "Subscription" },
      }),
      ENVIRONMENT: "DEV",
      NAMESPACE: "mlopsdev01",
      RESOURCE_GROUP: "rg-mlops-dev",
      LOCATION: "westeurope",
      SYSTEM_DEFAULTWORKINGDIRECTORY: this.workDir,
      AGENT_BUILDDIRECTORY: this.workDir,
      AGENT_TEMPDIRECTORY: this.path("agent-temp"),
      BUILD_SOURCESDIRECTORY: this.workDir,
      [stateFileVariable]: this.stateFile,
      WORKSPACE_INPUTS: JSON.stringify({ azureSubscription: connectionId, ...scenario.inputs }),
      ...scenario.variables,
    };
    const restore = withEnvironment(environment);
    try {
      const runner = new MockTestRunner(path.join(__dirname, "workspaceScenario.js"));
      runner.nodePath = process.execPath; // offline: never let MockTestRunner download Node.js
      await runner.runAsync();
      return runner;
    } finally {
      restore();
    }
  }

  remove(): void {
    fs.rmSync(this.workDir, { recursive: true, force: true });
  }
}
