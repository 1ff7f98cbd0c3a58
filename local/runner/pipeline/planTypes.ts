import { Where } from "./pipelineError";

/*
 * The pipeline after compile time: stages → jobs → steps with their conditions, dependencies
 * and variables, still holding `$[ ]` and `$( )` for run time.
 */

export type VariableEntry = { kind: "variable"; name: string; value: string; readonly: boolean; at: Where } | { kind: "group"; name: string; at: Where };

export interface Condition {
  text: string;
  at: Where;
}

interface StepBase {
  /** The step's reference name (`name:`): output variables are `<name>.<variable>`. */
  name: string;
  displayName: string;
  condition?: Condition;
  continueOnError: boolean;
  enabled: boolean;
  timeoutInMinutes?: number;
  retryCountOnTaskFailure: number;
  /** `env:` as written, `$( )` still to expand. */
  env: Record<string, string>;
  at: Where;
}

export interface ScriptStep extends StepBase {
  kind: "script";
  shell: "bash" | "pwsh";
  script: string;
  workingDirectory?: string;
  failOnStderr: boolean;
  /** `Bash@3` with `targetType: filePath`: the file and its arguments instead of an inline script. */
  filePath?: string;
  arguments?: string;
}

export interface TaskStep extends StepBase {
  kind: "task";
  /** `AzureMLTrain@1`. */
  reference: string;
  /** The task's source folder (tasks/<Name>). */
  sourceDirectory: string;
  taskName: string;
  inputs: Record<string, string>;
  /** Inputs that name an Azure Resource Manager service connection. */
  connectionInputs: string[];
}

export interface CheckoutStep extends StepBase {
  kind: "checkout";
  repository: string;
}

export interface PublishStep extends StepBase {
  kind: "publish";
  path: string;
  artifact?: string;
}

export interface DownloadStep extends StepBase {
  kind: "download";
  /** undefined: every artifact of the run. */
  artifact?: string;
  /** Where the files go; undefined: `$(Pipeline.Workspace)/<artifact>`. */
  path?: string;
  patterns?: string;
}

export type PlannedStep = ScriptStep | TaskStep | CheckoutStep | PublishStep | DownloadStep;

/** A lifecycle hook of a deployment job, or the one list of steps of an ordinary job. */
export interface StepPhase {
  /** `deploy`, `on.failure`…; undefined for an ordinary job. */
  hook?: string;
  /** on.success runs when the hooks before succeeded, on.failure when they failed. */
  runs: "always" | "onSuccess" | "onFailure";
  steps: PlannedStep[];
}

export interface PlannedJob {
  name: string;
  displayName: string;
  kind: "job" | "deployment";
  dependsOn: string[];
  condition?: Condition;
  continueOnError: boolean;
  timeoutInMinutes?: number;
  variables: VariableEntry[];
  phases: StepPhase[];
  environment?: { name: string; resourceName?: string };
  at: Where;
}

export interface PlannedStage {
  name: string;
  displayName: string;
  dependsOn: string[];
  condition?: Condition;
  variables: VariableEntry[];
  jobs: PlannedJob[];
  at: Where;
}

export interface PipelinePlan {
  file: string;
  /** Pipeline-level variables. */
  variables: VariableEntry[];
  stages: PlannedStage[];
  /** One line each, printed before the run: what the runner accepts but does not do. */
  notices: string[];
}
