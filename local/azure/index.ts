export { startLocalAzure, LocalAzure } from "./startLocalAzure";
export { LocalAzureOptions } from "./options";
export {
  LocalAzureConnection,
  ServicePrincipalConnection,
  WorkloadIdentityConnection,
  ManagedIdentityConnection,
  StorageConnection,
} from "./connection/connectionInfo";
export { FaultRule, FaultSettings, FaultKind, FaultTarget } from "./faults/faultRules";
export { Violation, ValidationIssue, ValidationCounts } from "./validation/swaggerValidator";
export { RequestLogEntry } from "./http/requestLog";
export { clientProcessEnvironment } from "./clientEnvironment";
export { readConnectionFile } from "./connection/readConnectionFile";
export { RunStore, RunRecord, RunStatus, RunError, InMemoryRunStore } from "./services/machinelearning/dataplane/runStore";
export { FileUrlSigner } from "./services/machinelearning/dataplane/signedUrls";
