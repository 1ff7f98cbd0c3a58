import type { JobBase } from "@azure/arm-machinelearning";
import type { ServiceError } from "../errors/azureMLFailure";

/** A job's output, as the job resource lists it. */
export interface JobOutputState {
  /** uri_folder, uri_file, mlflow_model, custom_model… */
  type?: string;
  /** azureml://datastores/…/paths/… once the job has run; absent for a default output. */
  uri?: string;
}

/** What the tasks read of an Azure ML job. */
export interface JobState {
  name: string;
  /** The job's JobStatus: NotStarted … Running, Finalizing, Completed, Failed, Canceled… */
  status: string;
  jobType?: string;
  displayName?: string;
  experimentName?: string;
  /** The job's page in Azure ML studio (services.Studio.endpoint). */
  studioUrl?: string;
  outputs: Record<string, JobOutputState>;
  /** The service's own error, for a failed or canceled job. */
  error?: ServiceError;
}

/** What following a job reports, in order. */
export type JobEvent =
  | { type: "status"; status: string }
  /** The first lines of a log file are next. */
  | { type: "logFile"; file: string }
  | { type: "line"; file: string; text: string }
  | { type: "warning"; message: string };

export interface FollowOptions {
  /** Ends the following early (pipeline cancelled, timeout); the job itself is not touched. */
  signal?: AbortSignal;
}

/**
 * The Azure calls a task makes about jobs, and nothing else. `AzureJobGateway` makes them on
 * Azure ML; task tests use an in-memory twin.
 */
export interface JobGateway {
  /** Creates the job (Jobs_CreateOrUpdate); it is queued when this returns. */
  submit(name: string, job: JobBase): Promise<JobState>;
  /** The job, or undefined when there is none of that name. */
  get(name: string): Promise<JobState | undefined>;
  /**
   * Follows the job until it ends: its status changes and the new lines of its logs, as
   * `az ml job stream` prints them. Ends after the job's last status and the rest of its logs,
   * or when the signal aborts.
   */
  follow(name: string, options?: FollowOptions): AsyncIterable<JobEvent>;
  /** Asks Azure ML to cancel the job; does not wait for it to stop. */
  cancel(name: string): Promise<void>;
}
