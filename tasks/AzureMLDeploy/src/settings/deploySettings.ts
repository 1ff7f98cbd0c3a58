import * as path from "node:path";
import * as tl from "azure-pipelines-task-lib/task";
import type { ServiceConnection } from "../../../common/src/auth/serviceConnection";
import { readOnlineDeploymentFile, type OnlineDeploymentSpec } from "../../../common/src/azureml/onlineDeploymentFile";
import { onlineNamePattern, onlineNameRule, readOnlineEndpointFile, type OnlineEndpointSpec } from "../../../common/src/azureml/onlineEndpointFile";
import { InputError } from "../../../common/src/errors/inputError";
import { filePathInput, workingDirectory } from "../../../common/src/files/filePathInput";
import { readInputFile } from "../../../common/src/files/fileInputs";
import { checkOutputFolderPath } from "../../../common/src/files/outputPath";
import { jobOutputRoots } from "../../../common/src/settings/outputRoots";
import type { EnvironmentSettings } from "../../../common/src/settings/environmentSettings";
import type { ResourceReference } from "../../../common/src/settings/resourceReference";
import { firstValue, type SourcedValue } from "../../../common/src/settings/sourcedValue";
import { readConnection, readEnvironment, resolveWorkspace } from "../../../common/src/settings/workspaceTarget";
import { hasControlCharacter, quoted } from "../../../common/src/text/printable";
import { capitalized } from "../../../common/src/text/sentence";
import { chooseModel, type ModelChoice } from "./modelChoice";
import { readSmokeTestSettings, readTimeoutMinutes, readTrafficSettings, type SmokeTestSettings, type TrafficSettings } from "./rolloutSettings";

export const deployTargets = ["managedOnlineEndpoint", "kubernetesOnlineEndpoint", "dockerContext"] as const;
export type DeployTarget = (typeof deployTargets)[number];
export type OnlineTarget = Exclude<DeployTarget, "dockerContext">;

/** What the online targets need besides the deployment. */
export interface OnlineSettings {
  /** Input 'endpointName', else the endpoint file's `name`, else the deployment file's `endpoint_name`. */
  endpointName: SourcedValue;
  /** The endpoint file with its name overridden; absent without input 'endpointFile'. */
  endpoint?: OnlineEndpointSpec;
  traffic: TrafficSettings;
  /** Absent without input 'smokeTestRequestFile': the smoke test is then skipped, with a warning. */
  smokeTest?: SmokeTestSettings;
  /** How long the endpoint and the deployment are waited for (input 'timeoutMinutes'). */
  timeoutMinutes: number;
}

/** Where the Docker build context goes. */
export interface DockerContextSettings {
  /** The folder to write, absolute and checked: input 'contextPath', else `<Build.ArtifactStagingDirectory>/<artifact name>`. */
  contextPath: SourcedValue;
  /** Input 'artifactName': the pipeline artifact the folder is published as. */
  artifactName: string;
  /** Input 'smokeTestRequestFile''s content, for the context README's example request. */
  sampleRequest?: string;
}

interface SharedSettings {
  connection: ServiceConnection;
  environment: EnvironmentSettings;
  workspace: ResourceReference;
  /** The deployment file, with inputs 'deploymentName' and 'endpointName' applied. */
  deployment: OnlineDeploymentSpec;
  /** Input 'deploymentName', else the deployment file's `name`. */
  deploymentName: SourcedValue;
  /** Input 'model', else the file's `model`, else the last model registered in this job. */
  model: ModelChoice;
}

/** Everything the task does, read and checked before its first call to Azure. */
export type DeploySettings = OnlineDeploySettings | DockerContextDeploySettings;

export type OnlineDeploySettings = SharedSettings & { target: OnlineTarget; online: OnlineSettings };
export type DockerContextDeploySettings = SharedSettings & { target: "dockerContext"; docker: DockerContextSettings };

function nameInput(name: string, what: string): SourcedValue | undefined {
  const value = firstValue({ input: name });
  if (value && !onlineNamePattern.test(value.value)) {
    throw new InputError(`Input '${name}' is ${quoted(value.value)}, not a valid ${what} name: ${onlineNameRule}.`);
  }
  return value;
}

function readTarget(): DeployTarget {
  const given = tl.getInput("target", false)?.trim() || "managedOnlineEndpoint";
  const target = deployTargets.find((candidate) => candidate.toLowerCase() === given.toLowerCase());
  if (!target) throw new InputError(`Input 'target' is ${quoted(given)}; it takes ${deployTargets.join(", ")}.`);
  return target;
}

function readDeploymentFile(): OnlineDeploymentSpec {
  const file = filePathInput("deploymentFile");
  if (file === undefined) {
    throw new InputError("Input 'deploymentFile' is not set: give the path of the online deployment YAML (as `az ml online-deployment create -f` takes it).");
  }
  const spec = readOnlineDeploymentFile(file, "deploymentFile");
  // Api-version 2022-10-01, which the task speaks, has no place for these: refused rather than dropped.
  if (spec.dataCollector !== undefined) {
    throw new InputError(
      `Deployment file ${quoted(spec.file)} has 'data_collector', which the Azure ML API version the task uses (2022-10-01) cannot carry; remove it.`,
    );
  }
  if (spec.privateNetworkConnection === true) {
    throw new InputError(
      `Deployment file ${quoted(spec.file)} sets 'private_network_connection', which the Azure ML API version the task uses (2022-10-01) cannot carry; use 'egress_public_network_access: disabled'.`,
    );
  }
  return spec;
}

function readEndpointFile(target: OnlineTarget): OnlineEndpointSpec | undefined {
  const file = filePathInput("endpointFile");
  if (file === undefined) return undefined;
  const spec = readOnlineEndpointFile(file, "endpointFile");
  const where = `Endpoint file ${quoted(spec.file)}`;
  if (spec.traffic !== undefined) {
    throw new InputError(
      `${where} sets 'traffic', but the task moves traffic itself, once the new deployment passed its smoke test: remove 'traffic' and set inputs 'trafficPercent' (and 'trafficSteps').`,
    );
  }
  if (Object.values(spec.mirrorTraffic ?? {}).some((percent) => percent > 0)) {
    throw new InputError(`${where} sets 'mirror_traffic', which the Azure ML API version the task uses (2022-10-01) cannot carry; remove it.`);
  }
  if (target === "kubernetesOnlineEndpoint" && spec.kind !== "kubernetes") {
    throw new InputError(
      `${where} has no 'compute', but input 'target' is kubernetesOnlineEndpoint: name the attached Kubernetes compute (compute: azureml:<name>).`,
    );
  }
  if (target === "managedOnlineEndpoint" && spec.kind !== "managed") {
    throw new InputError(
      `${where} names a 'compute', which makes a Kubernetes endpoint, but input 'target' is managedOnlineEndpoint; set it to kubernetesOnlineEndpoint.`,
    );
  }
  return spec;
}

function checkDeploymentKind(target: DeployTarget, deployment: OnlineDeploymentSpec): void {
  const where = `Deployment file ${quoted(deployment.file)}`;
  if (target === "kubernetesOnlineEndpoint" && deployment.kind !== "kubernetes") {
    throw new InputError(`${where} describes a managed deployment, but input 'target' is kubernetesOnlineEndpoint; write 'type: kubernetes' in it.`);
  }
  if (target === "managedOnlineEndpoint" && deployment.kind !== "managed") {
    throw new InputError(`${where} has 'type: kubernetes', but input 'target' is managedOnlineEndpoint; set it to kubernetesOnlineEndpoint.`);
  }
}

/** The endpoint: the input over both files; the two files must agree when both name it. */
function chooseEndpointName(endpoint: OnlineEndpointSpec | undefined, deployment: OnlineDeploymentSpec): SourcedValue {
  const input = nameInput("endpointName", "endpoint");
  if (input) return input;
  if (endpoint && endpoint.name !== deployment.endpointName) {
    throw new InputError(
      `Endpoint file ${quoted(endpoint.file)} names endpoint '${endpoint.name}', but deployment file ${quoted(deployment.file)} has endpoint_name '${deployment.endpointName}'; make them agree, or set input 'endpointName'.`,
    );
  }
  if (endpoint) return { value: endpoint.name, source: `the 'name' of endpoint file ${quoted(endpoint.file)}` };
  return { value: deployment.endpointName, source: `the 'endpoint_name' of deployment file ${quoted(deployment.file)}` };
}

function readDockerSettings(): DockerContextSettings {
  const artifactName = tl.getInput("artifactName", false)?.trim() || "scoring-image-context";
  if (hasControlCharacter(artifactName) || /[\\/:*?"<>|]/.test(artifactName)) {
    throw new InputError(`Input 'artifactName' is ${quoted(artifactName)}; an artifact name takes no control characters nor any of \\ / : * ? " < > |.`);
  }
  // Where pipelines stage what they publish; the working folder when the agent names none.
  const staging = tl.getVariable("Build.ArtifactStagingDirectory")?.trim() || workingDirectory();
  const given = firstValue({ input: "contextPath" }) ?? { value: path.join(staging, artifactName), source: "the default of input 'contextPath'" };
  const contextPath = { value: checkOutputFolderPath({ value: given.value, source: capitalized(given.source) }, jobOutputRoots()), source: given.source };
  const requestFile = filePathInput("smokeTestRequestFile");
  const sampleRequest = requestFile ? readInputFile({ path: requestFile, source: "Input 'smokeTestRequestFile'" }) : undefined;
  return { contextPath, artifactName, ...(sampleRequest !== undefined ? { sampleRequest } : {}) };
}

/** Reads and checks every input and file before the task makes a single call to Azure. */
export function readDeploySettings(): DeploySettings {
  const connection = readConnection();
  const environment = readEnvironment(connection);
  const workspace = resolveWorkspace(connection, environment);
  const target = readTarget();

  const file = readDeploymentFile();
  checkDeploymentKind(target, file);
  const deploymentName = nameInput("deploymentName", "deployment") ?? { value: file.name, source: `the 'name' of deployment file ${quoted(file.file)}` };
  const model = chooseModel(tl.getInput("model", false)?.trim() || undefined, file.model, file.file);

  if (target === "dockerContext") {
    const endpointName = nameInput("endpointName", "endpoint");
    const deployment = { ...file, name: deploymentName.value, ...(endpointName ? { endpointName: endpointName.value } : {}) };
    return { connection, environment, workspace, target, deployment, deploymentName, model, docker: readDockerSettings() };
  }
  const endpointFile = readEndpointFile(target);
  const endpointName = chooseEndpointName(endpointFile, file);
  const endpoint = endpointFile ? { ...endpointFile, name: endpointName.value } : undefined;
  const deployment = { ...file, name: deploymentName.value, endpointName: endpointName.value };
  const online: OnlineSettings = {
    endpointName,
    ...(endpoint ? { endpoint } : {}),
    traffic: readTrafficSettings(),
    smokeTest: readSmokeTestSettings(),
    timeoutMinutes: readTimeoutMinutes(),
  };
  return { connection, environment, workspace, target, deployment, deploymentName, model, online };
}
