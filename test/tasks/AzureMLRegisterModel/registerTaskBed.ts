import * as fs from "node:fs";
import * as path from "node:path";
import type { JobBase } from "@azure/arm-machinelearning";
import type { MockTestRunner } from "azure-pipelines-task-lib/mock-test";
import type { JobOutputState } from "../../../tasks/common/src/jobs/jobGateway";
import { runMockTask } from "../../support/mockTaskRun";
import { emptyJobsState, type InMemoryJobsState, jobsStateFileVariable, readJobsState } from "../support/inMemoryJobGateway";
import { emptyModelsState, type InMemoryModelsState, modelsStateFileVariable, readModelsState, type StoredVersion } from "./inMemoryModelRegistry";
import { connectionId, devAgentEnvironment } from "../support/devAgent";
import { changeStateFile, TaskBedFolder } from "../support/taskBedFolder";
export { connectionId, subscriptionId, tenantId, servicePrincipalKey, resourceGroup, workspaceName, workspaceId } from "../support/devAgent";

export interface Scenario {
  inputs?: Record<string, string>;
  variables?: Record<string, string>;
}

/**
 * The AzureMLRegisterModel task run with MockTestRunner on the in-memory Azure ML (models, job
 * artifacts, uploads, and the job twin), as an agent would run it for the DEV environment:
 * NAMESPACE mlopsdev01, so workspace amlmlopsdev01 in rg-mlops-dev.
 */
export class RegisterTaskBed extends TaskBedFolder {
  private constructor() {
    super("azureml-register-task-");
  }

  static create(): RegisterTaskBed {
    const bed = new RegisterTaskBed();
    fs.writeFileSync(bed.modelsFile, JSON.stringify(emptyModelsState()));
    fs.writeFileSync(bed.jobsFile, JSON.stringify(emptyJobsState()));
    return bed;
  }

  get modelsFile(): string {
    return path.join(this.workDir, "models-state.json");
  }

  get jobsFile(): string {
    return path.join(this.workDir, "jobs-state.json");
  }

  models(): InMemoryModelsState {
    return readModelsState(this.modelsFile);
  }

  jobs(): InMemoryJobsState {
    return readJobsState(this.jobsFile);
  }

  changeModels(change: (state: InMemoryModelsState) => void): void {
    changeStateFile(this.modelsFile, readModelsState, change);
  }

  /** A job that ran (status Completed unless said otherwise), its outputs, and the metrics file it wrote under ./outputs. */
  addJob(name: string, options: { status?: string; outputs?: Record<string, JobOutputState>; metrics?: unknown } = {}): void {
    const status = options.status ?? "Completed";
    const submitted = { properties: { jobType: "Command", experimentName: "train" } } as unknown as JobBase;
    changeStateFile(this.jobsFile, readJobsState, (state) => {
      state.jobs[name] = { submitted, status, script: { statuses: [status], outputs: options.outputs ?? {} } };
    });
    if (options.metrics !== undefined) {
      this.changeModels((models) => (models.artifacts[`${name}/outputs/metrics.json`] = JSON.stringify(options.metrics)));
    }
  }

  /** A version registered earlier (by a previous run or by hand). */
  addVersion(model: string, version: string, stored: Partial<StoredVersion> = {}): void {
    this.changeModels((state) => {
      (state.models[model] ??= {})[version] = {
        modelUri: `azureml://jobs/old-${version}/outputs/artifacts/paths/outputs`,
        modelType: "custom_model",
        tags: {},
        properties: {},
        createdAt: new Date(Date.UTC(2025, 0, Number(version) || 1)).toISOString(),
        ...stored,
      };
    });
  }

  /** Every Azure call, jobs and models together. */
  azureCalls(): string[] {
    return [...this.jobs().calls, ...this.models().calls].map((call) => `${call.operation} ${call.target}`);
  }

  /** The markdown summaries the task attached to the run. */
  summaries(): string[] {
    return this.summariesNamed("azureml-register-model-");
  }

  environment(scenario: Scenario = {}): Record<string, string> {
    return {
      ...devAgentEnvironment(this.workDir),
      [modelsStateFileVariable]: this.modelsFile,
      [jobsStateFileVariable]: this.jobsFile,
      REGISTER_INPUTS: JSON.stringify({ azureSubscription: connectionId, ...scenario.inputs }),
      ...scenario.variables,
    };
  }

  run(scenario: Scenario = {}): Promise<MockTestRunner> {
    return runMockTask(path.join(__dirname, "registerScenario.js"), this.environment(scenario));
  }
}
