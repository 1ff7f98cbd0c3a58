import * as path from "node:path";
import { JobWorkspace } from "./jobWorkspace";

/** Where the job runs, as Azure tells a job through its variables. */
export interface JobContext {
  subscriptionId?: string;
  resourceGroup?: string;
  workspaceName?: string;
  experimentName?: string;
  /** The workspace's MLflow tracking URI, when the local Azure serves one. */
  mlflowTrackingUri?: string;
}

const systemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * The whole environment of a job's process: a clean base (nothing leaks from the local Azure's
 * own environment, secrets included), the job's environment_variables, then what Azure ML sets:
 * run and workspace ids, AZURE_ML_INPUT_/AZURE_ML_OUTPUT_ paths, unbuffered Python. The folder
 * with `python`/`python3` is always first on PATH, even when the job sets its own PATH.
 */
export function jobEnvironment(args: {
  jobName: string;
  workspace: JobWorkspace;
  context?: JobContext;
  environmentVariables?: Record<string, string>;
  inputs: Record<string, string>;
  outputs: Record<string, string>;
}): Record<string, string> {
  const { jobName, workspace, context = {}, environmentVariables = {}, inputs, outputs } = args;
  const env: Record<string, string> = {
    HOME: process.env.HOME ?? workspace.root,
    LANG: "C.UTF-8",
    PATH: systemPath,
    ...environmentVariables,
  };
  env.PATH = [workspace.bin, env.PATH].filter(Boolean).join(path.delimiter);
  const optional: Record<string, string | undefined> = {
    AZUREML_ARM_SUBSCRIPTION: context.subscriptionId,
    AZUREML_ARM_RESOURCEGROUP: context.resourceGroup,
    AZUREML_ARM_WORKSPACE_NAME: context.workspaceName,
    AZUREML_ARM_PROJECT_NAME: context.experimentName,
    AZUREML_EXPERIMENT_NAME: context.experimentName,
    MLFLOW_EXPERIMENT_NAME: context.experimentName,
    MLFLOW_TRACKING_URI: context.mlflowTrackingUri,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) env[key] = value;
  env.AZUREML_RUN_ID = jobName;
  env.MLFLOW_RUN_ID = jobName;
  env.AZUREML_CR_EXECUTION_WORKING_DIR_PATH = workspace.code;
  env.PYTHONUNBUFFERED = "1";
  for (const [name, value] of Object.entries(inputs)) env[`AZURE_ML_INPUT_${name}`] = value;
  for (const [name, value] of Object.entries(outputs)) env[`AZURE_ML_OUTPUT_${name}`] = value;
  return env;
}
