import type { AzureMachineLearningWorkspaces } from "@azure/arm-machinelearning";
import type { OperationArguments, OperationSpec } from "@azure/core-client";

/*
 * @azure/arm-machinelearning 2.1.1 files its job input mappers under "AssetJobInput.<type>" and
 * its job output mappers under "AssetJobOutput.<type>", but its serializer looks a job's inputs
 * and outputs up under "JobInput.<type>" and "JobOutput.<type>". Finding nothing there, it falls
 * back to the base mapper, which knows only `jobInputType`/`jobOutputType` and `description`:
 * every data input loses its `uri` and `mode`, every output its `uri` and `mode`, on the way out
 * (Azure refuses the job: "Request is invalid and/or missing fields", Azure/azure-sdk-for-js#29328)
 * and on the way back (a job read back has outputs without URIs).
 *
 * The SDK keeps one table of discriminators for all its operations, reachable from any
 * operation's serializer: the missing entries are added, pointing at the SDK's own mappers,
 * before the client's first request.
 */

let repaired = false;

function addMissingEntries(discriminators: Record<string, unknown>): void {
  for (const key of Object.keys(discriminators)) {
    const match = /^Asset(JobInput|JobOutput)\.(.+)$/.exec(key);
    if (match === null) continue;
    const lookedUp = `${match[1]}.${match[2]}`;
    if (!(lookedUp in discriminators)) discriminators[lookedUp] = discriminators[key];
  }
}

/** Makes the client send and read job inputs and outputs whole (see above). */
export function repairJobIoDiscriminators(client: AzureMachineLearningWorkspaces): void {
  const send = client.sendOperationRequest.bind(client);
  client.sendOperationRequest = <T>(operationArguments: OperationArguments, operationSpec: OperationSpec): Promise<T> => {
    if (!repaired) {
      addMissingEntries(operationSpec.serializer.modelMappers.discriminators as Record<string, unknown>);
      repaired = true;
    }
    return send<T>(operationArguments, operationSpec);
  };
}
