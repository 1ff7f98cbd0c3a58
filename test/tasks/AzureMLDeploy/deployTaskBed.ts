import * as fs from "node:fs";
import * as path from "node:path";
import type { ModelVersion } from "@azure/arm-machinelearning";
import type { MockTestRunner } from "azure-pipelines-task-lib/mock-test";
import { runMockTask } from "../../support/mockTaskRun";
import { assetsStateFileVariable, emptyAssetsState, type InMemoryAssetsState, readAssetsState } from "../support/inMemoryAssetGateway";
import { connectionId, devAgentEnvironment } from "../support/devAgent";
import { changeStateFile, TaskBedFolder } from "../support/taskBedFolder";
import {
  type DeploymentScript,
  emptyEndpointsState,
  endpointsStateFileVariable,
  type InMemoryEndpointsState,
  readEndpointsState,
} from "./inMemoryOnlineEndpoints";
export { connectionId, servicePrincipalKey, workspaceId, workspaceName } from "../support/devAgent";

export interface Scenario {
  inputs?: Record<string, string>;
  variables?: Record<string, string>;
}

/** Microsoft's online endpoint samples (azureml-examples, kept as test fixtures), copied into each bed unchanged. */
const samples = path.join(__dirname, "../../../../test/unit/azureml/fixtures/azureml-examples/cli/endpoints/online");

/** The managed sample files, relative to the bed's folder. */
export const managedSample = {
  endpointFile: "online/managed/sample/endpoint.yml",
  blue: "online/managed/sample/blue-deployment.yml",
  green: "online/managed/sample/green-deployment.yml",
  registeredAssets: "online/managed/sample/blue-deployment-with-registered-assets.yml",
};

export const kubernetesSample = {
  endpointFile: "online/kubernetes/kubernetes-endpoint.yml",
  blue: "online/kubernetes/kubernetes-blue-deployment.yml",
  green: "online/kubernetes/kubernetes-green-deployment.yml",
};

/** A sample request for the samples' scikit-learn regression model. */
export const sampleRequest = "online/sample-request.json";

/**
 * The AzureMLDeploy task run with MockTestRunner on the in-memory Azure ML (assets, online
 * endpoints and their scoring route), as an agent would run it for the DEV environment, in a
 * sources folder holding Microsoft's online endpoint samples and a sample request.
 */
export class DeployTaskBed extends TaskBedFolder {
  private constructor() {
    super("azureml-deploy-task-");
  }

  static create(): DeployTaskBed {
    const bed = new DeployTaskBed();
    fs.cpSync(samples, path.join(bed.workDir, "online"), { recursive: true });
    bed.write(
      sampleRequest,
      JSON.stringify({
        data: [
          [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
          [10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
        ],
      }),
    );
    fs.writeFileSync(bed.assetsFile, JSON.stringify(emptyAssetsState()));
    fs.writeFileSync(bed.endpointsFile, JSON.stringify(emptyEndpointsState()));
    return bed;
  }

  get assetsFile(): string {
    return path.join(this.workDir, "assets-state.json");
  }

  get endpointsFile(): string {
    return path.join(this.workDir, "endpoints-state.json");
  }

  endpoints(): InMemoryEndpointsState {
    return readEndpointsState(this.endpointsFile);
  }

  changeEndpoints(change: (state: InMemoryEndpointsState) => void): void {
    changeStateFile(this.endpointsFile, readEndpointsState, change);
  }

  /** How a deployment of this name behaves from now on. */
  script(deployment: string, script: DeploymentScript): void {
    this.changeEndpoints((state) => (state.scripts[deployment] = script));
  }

  assets(): InMemoryAssetsState {
    return readAssetsState(this.assetsFile);
  }

  changeAssets(change: (state: InMemoryAssetsState) => void): void {
    changeStateFile(this.assetsFile, readAssetsState, change);
  }

  /** A model version registered earlier (the newest is the one added last). */
  addModel(name: string, version: string): void {
    this.changeAssets((state) => {
      const created = Math.max(0, ...Object.values(state.models).map((stored) => stored.created)) + 1;
      const body: ModelVersion = {
        properties: { modelUri: `azureml://jobs/train-${version}/outputs/artifacts/paths/outputs/model`, modelType: "custom_model" },
      };
      state.models[`${name}:${version}`] = { body, created };
    });
  }

  /** Every changing call to the online endpoints (and every scoring request): "putDeployment my-endpoint/blue". */
  endpointCalls(): string[] {
    return this.endpoints().calls.map((call) => `${call.operation} ${call.target}`);
  }

  /** Every call that changed an asset (created a version, uploaded a file). */
  assetChanges(): string[] {
    return this.assets()
      .calls.filter((call) => ["createEnvironment", "createCode", "createModel", "upload", "setMetadata"].includes(call.operation))
      .map((call) => `${call.operation} ${call.target}`);
  }

  /** The markdown summaries the task attached to the run. */
  summaries(): string[] {
    return this.summariesNamed("azureml-deploy-");
  }

  environment(scenario: Scenario = {}): Record<string, string> {
    return {
      ...devAgentEnvironment(this.workDir),
      [assetsStateFileVariable]: this.assetsFile,
      [endpointsStateFileVariable]: this.endpointsFile,
      DEPLOY_INPUTS: JSON.stringify({ azureSubscription: connectionId, ...scenario.inputs }),
      ...scenario.variables,
    };
  }

  run(scenario: Scenario = {}): Promise<MockTestRunner> {
    return runMockTask(path.join(__dirname, "deployScenario.js"), this.environment(scenario));
  }
}
