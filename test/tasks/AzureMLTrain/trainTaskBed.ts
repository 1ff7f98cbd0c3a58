import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { MockTestRunner } from "azure-pipelines-task-lib/mock-test";
import { hostEnvironment } from "../../../local/runner/agentEnvironment";
import { runMockTask } from "../../support/mockTaskRun";
import { assetsStateFileVariable, emptyAssetsState, InMemoryAssetsState, readAssetsState } from "../support/inMemoryAssetGateway";
import { emptyJobsState, InMemoryJobsState, jobsStateFileVariable, readJobsState, ScriptedJob } from "../support/inMemoryJobGateway";
import { connectionId, devAgentEnvironment } from "../support/devAgent";
import { changeStateFile, TaskBedFolder } from "../support/taskBedFolder";
export { connectionId, subscriptionId, tenantId, servicePrincipalKey, resourceGroup, workspaceId } from "../support/devAgent";

export const trainingJob = [
  "$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json",
  "command: python train.py --data ${{inputs.training_data}}",
  "code: src",
  "environment: azureml:sklearn:3",
  "compute: azureml:cpu-cluster",
  "inputs:",
  "  training_data:",
  "    type: uri_folder",
  "    path: data",
  "tags:",
  "  team: ml",
].join("\n");

export interface Scenario {
  inputs?: Record<string, string>;
  variables?: Record<string, string>;
}

/**
 * The AzureMLTrain task run with MockTestRunner on the in-memory Azure ML, the way a pipeline
 * agent would run it for the DEV environment of build 42 of pipeline "Churn training": a service
 * principal connection, DESIGN §1's variables, a sources folder holding `ml/job.yml`, its `src`
 * code folder and `data` input. Nothing of the caller's environment reaches the task.
 */
export class TrainTaskBed extends TaskBedFolder {
  private constructor() {
    super("azureml-train-task-");
  }

  static create(scripts?: Record<string, ScriptedJob>): TrainTaskBed {
    const bed = new TrainTaskBed();
    fs.writeFileSync(bed.jobsFile, JSON.stringify(emptyJobsState(scripts)));
    fs.writeFileSync(bed.assetsFile, JSON.stringify(emptyAssetsState()));
    bed.write("ml/job.yml", trainingJob);
    bed.write("ml/src/train.py", "print('training')\n");
    bed.write("ml/data/iris.csv", "a,b\n1,2\n");
    return bed;
  }

  get jobsFile(): string {
    return path.join(this.workDir, "jobs-state.json");
  }

  get assetsFile(): string {
    return path.join(this.workDir, "assets-state.json");
  }

  jobs(): InMemoryJobsState {
    return readJobsState(this.jobsFile);
  }

  assets(): InMemoryAssetsState {
    return readAssetsState(this.assetsFile);
  }

  writeAssets(change: (state: InMemoryAssetsState) => void): void {
    changeStateFile(this.assetsFile, readAssetsState, change);
  }

  /** The environment the agent gives the task for this scenario. */
  environment(scenario: Scenario = {}): Record<string, string> {
    return {
      ...devAgentEnvironment(this.workDir),
      BUILD_BUILDID: "42",
      BUILD_BUILDNUMBER: "20261130.1",
      BUILD_DEFINITIONNAME: "Churn training",
      BUILD_SOURCEVERSION: "3f2a9c1d0e",
      SYSTEM_COLLECTIONURI: "https://dev.azure.com/contoso/",
      SYSTEM_TEAMPROJECT: "MLOps",
      [jobsStateFileVariable]: this.jobsFile,
      [assetsStateFileVariable]: this.assetsFile,
      TRAIN_INPUTS: JSON.stringify({ azureSubscription: connectionId, jobFile: "ml/job.yml", ...scenario.inputs }),
      ...scenario.variables,
    };
  }

  run(scenario: Scenario = {}): Promise<MockTestRunner> {
    return runMockTask(path.join(__dirname, "trainScenario.js"), this.environment(scenario));
  }

  /**
   * Runs the task in a child process of its own and sends it `signal` once its log shows
   * `waitFor`, as the agent does when the pipeline is cancelled. Resolves with its output.
   */
  runAndSignal(signal: NodeJS.Signals, waitFor: string, scenario: Scenario = {}): Promise<{ stdout: string; code: number | null }> {
    const child = spawn(process.execPath, [path.join(__dirname, "trainScenario.js")], {
      env: { ...hostEnvironment(process.env), ...this.environment(scenario) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let sent = false;
    return new Promise((resolve, reject) => {
      const guard = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`the task did not end after ${signal}:\n${stdout}`));
      }, 30_000);
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (!sent && stdout.includes(waitFor)) {
          sent = true;
          child.kill(signal);
        }
      });
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(guard);
        resolve({ stdout, code });
      });
    });
  }
}
