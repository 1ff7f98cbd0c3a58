import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalAzure, startLocalAzure } from "../../local/azure";
import { agentServiceConnection, stepWithConnection } from "../../local/runner/serviceConnections";
import { runTaskStep, TaskStep, TaskStepResult } from "../../local/runner/taskProcess";
import { pythonWithSklearn } from "../local/jobRunner/jobTestSupport";
import { ensureTaskBuilt } from "./builtTasks";

/** What a test may set on a step: extra variables (over the bed's), a line callback, a cancel signal, a time limit. */
export type MlStepOptions = Partial<Pick<TaskStep, "onLine" | "signal" | "timeoutMs" | "variables">>;

/** One Azure ML workspace on a local Azure of its own, made by the built AzureMLWorkspace task. */
export interface MlWorkspaceBed {
  azure: LocalAzure;
  /** The local Azure's state folder (its jobs run under `<stateDir>/jobs`). */
  stateDir: string;
  /** System.DefaultWorkingDirectory of every step: the sources' folder. */
  workDir: string;
  resourceGroup: string;
  workspaceName: string;
  /** The workspace's ARM id, as the AzureMLWorkspace task gave it. */
  workspaceId: string;
  /** The AmlCompute cluster the workspace task created. */
  clusterName: string;
  /** Runs a built task (build/tasks/<task>) on the workspace as the agent runs it, with the subscription's secret connection. */
  runTask(task: string, inputs: Record<string, string>, options?: MlStepOptions): Promise<TaskStepResult>;
  /** Stops the local Azure and removes its state and the sources' folder. */
  stop(): Promise<void>;
}

/**
 * Starts a local Azure (strict: every exchange checked against the swaggers) whose jobs run on a
 * Python with scikit-learn, and provisions a workspace with a `cpu-cluster` through the built
 * AzureMLWorkspace task, once per suite: the suites of the tasks that work in a workspace
 * (AzureMLTrain, AzureMLRegisterModel…) start from what a pipeline's first step leaves.
 */
export async function startMlWorkspaceBed(namespace: string): Promise<MlWorkspaceBed> {
  const python = pythonWithSklearn();
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-${namespace}-azure-`));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `e2e-${namespace}-sources-`));
  const resourceGroup = `rg-${namespace}`;
  const clusterName = "cpu-cluster";
  let azure: LocalAzure | undefined;
  const stop = async (): Promise<void> => {
    await azure?.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
    fs.rmSync(workDir, { recursive: true, force: true });
  };
  try {
    azure = await startLocalAzure({ stateDir, provisioningSeconds: 1, retryAfterSeconds: 1, python: python.executable });
    const started = azure;
    const runTask: MlWorkspaceBed["runTask"] = (task, inputs, options = {}) => {
      // Each step its own agent temp folder, as on an agent: task-lib keeps its input vault's key there.
      const agentTemp = fs.mkdtempSync(path.join(workDir, "agent-temp-"));
      const step = stepWithConnection(
        {
          taskDirectory: ensureTaskBuilt(task),
          inputs,
          timeoutMs: options.timeoutMs ?? 240_000,
          onLine: options.onLine,
          signal: options.signal,
          variables: {
            "System.DefaultWorkingDirectory": workDir,
            "Agent.TempDirectory": agentTemp,
            "Build.DefinitionName": "e2e-pipeline",
            ENVIRONMENT: "DEV",
            LOCATION: started.connection.location,
            NAMESPACE: namespace,
            RESOURCE_GROUP: resourceGroup,
            ...options.variables,
          },
        },
        started.connection,
        agentServiceConnection(started.connection, "secret"),
      );
      return runTaskStep(step);
    };
    const provisioned = await runTask("AzureMLWorkspace", {
      createResourceGroup: "true",
      computeClusters: `- name: ${clusterName}\n  size: Standard_DS3_v2\n  max_instances: 2`,
    });
    assert.equal(provisioned.result, "Succeeded", provisioned.log);
    return {
      azure: started,
      stateDir,
      workDir,
      resourceGroup,
      workspaceName: provisioned.outputs.workspaceName ?? "",
      workspaceId: provisioned.outputs.workspaceId ?? "",
      clusterName,
      runTask,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
