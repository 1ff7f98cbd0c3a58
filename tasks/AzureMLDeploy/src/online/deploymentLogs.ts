import { redactSecrets } from "../../../common/src/errors/redact";
import { inLogGroup } from "../../../common/src/log/logGroup";
import { pipelineLogLine } from "../../../common/src/log/pipelineLogLine";
import type { DeploymentContainer, OnlineEndpointGateway } from "./onlineEndpointGateway";

/** How many lines of each container's log a failed deployment shows (az ml online-deployment get-logs -l). */
export const logTailLines = 200;

const containers: Array<{ container: DeploymentContainer; title: string }> = [
  { container: "InferenceServer", title: "inference server (the scoring script's output)" },
  { container: "StorageInitializer", title: "storage initializer (model and code download)" },
];

/**
 * Prints the container logs of a deployment that failed, in a log group: the inference server's
 * (where score.py's init() errors are) and the storage initializer's. A log that cannot be read
 * is a line saying so; it never hides the deployment's own failure.
 */
export async function printDeploymentLogs(
  endpoints: OnlineEndpointGateway,
  endpointName: string,
  deployment: string,
  log: (line: string) => void,
): Promise<void> {
  await inLogGroup(`Logs of deployment '${deployment}' (last ${logTailLines} lines of each container)`, async () => {
    for (const { container, title } of containers) {
      log(`----- ${container}: ${title} -----`);
      let content: string;
      try {
        content = await endpoints.getDeploymentLogs(endpointName, deployment, container, logTailLines);
      } catch (error) {
        log(`The ${container} log could not be read: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      const lines = redactSecrets(content).split(/\r?\n/);
      if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
      if (lines.length === 0) log("(empty)");
      for (const line of lines) log(pipelineLogLine(line));
    }
  });
}
