import { Directory } from "../identity/directory";
import { Logger } from "../logging";
import { ResourceStore } from "../state/resourceStore";
import { OperationScheduler } from "./longRunningOperations";
import { StorageBackend } from "../storage/storageBackend";
import { MachineLearningJobs } from "../services/machinelearning/jobs/machineLearningJobs";
import { OnlineServing } from "../services/machinelearning/online/serving/onlineServing";

/** What every resource provider gets: the state, the clock of long-running operations, and the storage behind it. */
export interface ArmServices {
  readonly store: ResourceStore;
  readonly operations: OperationScheduler;
  readonly directory: Directory;
  readonly storage: StorageBackend;
  /** Azure ML's command jobs, run on this machine. */
  readonly jobs: MachineLearningJobs;
  /** Azure ML's online deployments, served by processes on this machine. */
  readonly serving: OnlineServing;
  readonly baseUrl: string;
  readonly log: Logger;
}
