import { AzureMLReference } from "../../../common/src/azureml/references";
import type { JobEnvironment } from "../../../common/src/azureml/environmentField";

/*
 * A command job file as `az ml job create -f` reads it (reference-yaml-job-command.md, the
 * azure-ai-ml schemas): every field typed, defaults applied where the CLI applies them, local
 * paths absolute (resolved against the YAML file's folder). Nothing a user wrote is dropped:
 * what the task cannot act on is still carried, for the task to refuse in its own words.
 */

export interface CommandJobSpec {
  /** The job file, absolute. */
  file: string;
  /** Its folder, against which its relative paths were resolved. */
  folder: string;
  name?: string;
  displayName?: string;
  experimentName: string;
  /** `file` when written, `default` when taken from the caller (az ml: the working directory's name). */
  experimentNameSource: "file" | "default";
  description?: string;
  tags: Record<string, string>;
  properties: Record<string, string>;
  /** As written; `${{inputs.x}}`, `${{outputs.y}}` and `${{configuration.z}}` left in place. */
  command: string;
  /** `Input 'jobFile': /w/job.yml:5`, for errors about the command found later (configuration placeholders). */
  commandLocation: string;
  /** A local folder (uploaded as the job's working directory) or a registered code asset. */
  code?: AzureMLReference;
  environment: JobEnvironment;
  environmentVariables: Record<string, string>;
  compute: JobCompute;
  resources: JobResources;
  limits: { timeoutSeconds?: number };
  inputs: Record<string, JobInput>;
  outputs: Record<string, JobOutput>;
  distribution?: JobDistribution;
  identity?: JobIdentity;
  queueSettings?: { jobTier?: JobTier; priority?: JobPriority };
  services: Record<string, JobService>;
  parentJobName?: string;
}

export type { InlineEnvironment, JobEnvironment } from "../../../common/src/azureml/environmentField";

export type JobCompute =
  /** `compute` omitted: serverless compute picked by the service. */
  | { kind: "serverless" }
  /** `compute: local`: the user's own Docker, per az ml. */
  | { kind: "local" }
  /** `azureml:<name>`, a bare name, or `azureml:` + ARM id. */
  | { kind: "named"; name: string; text: string; resourceId?: string };

export interface JobResources {
  instanceCount: number;
  instanceType?: string;
  /** `<number><b|k|m|g>`; the service's default is `2g`. */
  shmSize?: string;
  dockerArgs?: string;
  locations?: string[];
  maxInstanceCount?: number;
  /** Carried as written. */
  properties?: Record<string, unknown>;
}

export type InputDataType = "uri_file" | "uri_folder" | "mlflow_model" | "custom_model" | "triton_model" | "mltable";
export type InputMode = "ro_mount" | "download" | "direct" | "eval_mount" | "eval_download";
export type OutputDataType = "uri_folder" | "uri_file" | "mlflow_model" | "custom_model" | "triton_model" | "mltable";
export type OutputMode = "rw_mount" | "upload" | "mount" | "direct";

export type JobInput =
  | { kind: "literal"; value: string | number | boolean; line: number }
  | {
      kind: "data";
      type: InputDataType;
      path: AzureMLReference;
      mode: InputMode;
      datastore?: string;
      pathOnCompute?: string;
      line: number;
    };

export interface JobOutput {
  type: OutputDataType;
  mode: OutputMode;
  /** Where the service writes it; default `<default datastore>/azureml/<job>/<output>/`. */
  path?: AzureMLReference;
  /** Registers the output as a data or model asset of this name. */
  name?: string;
  version?: string;
  line: number;
}

export type JobDistribution =
  | { type: "mpi"; processCountPerInstance?: number }
  | { type: "pytorch"; processCountPerInstance?: number }
  | { type: "tensorflow"; workerCount?: number; parameterServerCount?: number }
  | { type: "ray"; settings: Record<string, unknown> };

export type JobIdentity = { type: "user_identity" } | { type: "aml_token" } | { type: "managed"; clientId?: string; objectId?: string; resourceId?: string };

export type JobTier = "spot" | "basic" | "standard" | "premium" | "null";
export type JobPriority = "low" | "medium" | "high";

export interface JobService {
  type?: string;
  port?: number;
  nodes?: string;
  properties?: Record<string, unknown>;
  sshPublicKeys?: string;
  logDir?: string;
}
