import { InputError } from "../../../common/src/errors/inputError";
import type { CommandJobSpec } from "../jobFile/commandJobSpec";

/*
 * What a job file may say that the task cannot submit: the Azure ML REST API the task speaks
 * (2022-10-01, what `@azure/arm-machinelearning` 2.1.1 sends) has no field for it, or the task
 * does not resolve that reference form. Refused by name before any call to Azure, rather than
 * dropped: a job that silently loses its queue settings or its output's asset name is not the
 * job its author wrote.
 */

function refuse(job: CommandJobSpec, where: string, problem: string): never {
  throw new InputError(`Input 'jobFile': ${job.file}${where}: ${problem}`);
}

function atLine(line: number): string {
  return `:${line}`;
}

/** Throws an InputError naming the first field of the job the task cannot submit as written. */
export function checkSubmittable(job: CommandJobSpec): void {
  if (job.compute.kind === "local") {
    refuse(
      job,
      "",
      "'compute: local' runs the job in Docker on the machine that submits it, which a pipeline task does not do; name a compute cluster or omit 'compute' for serverless compute.",
    );
  }
  if (job.code !== undefined && !["localPath", "assetVersion", "armId"].includes(job.code.kind)) {
    refuse(job, "", `'code' is ${job.code.text}; give a local folder or a registered code version (azureml:<name>:<version>).`);
  }
  const environment = job.environment;
  if (environment.kind === "reference" && environment.reference.kind === "assetLabel" && environment.reference.label !== "latest") {
    refuse(job, "", `'environment' uses the label '${environment.reference.label}'; only @latest is resolved, or give the version.`);
  }
  if (environment.kind === "inline" && environment.build !== undefined && environment.build.context.kind === "datastorePath") {
    refuse(job, "", "'environment.build.path' is a datastore path; give a local folder or a storage URL of the build context.");
  }
  for (const [name, input] of Object.entries(job.inputs)) {
    if (input.kind !== "data") continue;
    if (input.datastore !== undefined || input.pathOnCompute !== undefined) {
      refuse(job, atLine(input.line), `input '${name}' sets 'datastore' or 'path_on_compute', which this Azure ML API version cannot carry; remove it.`);
    }
    if (input.path.kind === "assetLabel") {
      refuse(job, atLine(input.line), `input '${name}' is ${input.path.text}; give the asset's version (azureml:<name>:<version>).`);
    }
  }
  for (const [name, output] of Object.entries(job.outputs)) {
    if (output.mode !== "rw_mount" && output.mode !== "upload") {
      refuse(job, atLine(output.line), `output '${name}' has mode '${output.mode}'; this Azure ML API version takes rw_mount or upload.`);
    }
    if (output.name !== undefined || output.version !== undefined) {
      refuse(
        job,
        atLine(output.line),
        `output '${name}' sets 'name' or 'version' (registering the output), which this Azure ML API version cannot carry; register it in a later step (AzureMLRegisterModel).`,
      );
    }
    if (output.path !== undefined && output.path.kind === "localPath") {
      refuse(
        job,
        atLine(output.line),
        `output '${name}' has a local path; an output's path is where Azure ML writes it: a datastore path (azureml://datastores/…) or a storage URL.`,
      );
    }
  }
  if (job.distribution?.type === "ray") refuse(job, "", "'distribution' of type ray is not in this Azure ML API version; use mpi, pytorch or tensorflow.");
  if (job.queueSettings !== undefined) refuse(job, "", "'queue_settings' is not in this Azure ML API version; remove it.");
  if (job.parentJobName !== undefined) refuse(job, "", "'parent_job_name' is for jobs inside a pipeline job; remove it.");
  if (job.resources.locations !== undefined || job.resources.maxInstanceCount !== undefined) {
    refuse(job, "", "'resources.locations' and 'resources.max_instance_count' are not in this Azure ML API version; remove them.");
  }
  for (const [name, service] of Object.entries(job.services)) {
    if (service.nodes !== undefined || service.sshPublicKeys !== undefined || service.logDir !== undefined) {
      refuse(job, "", `service '${name}' sets 'nodes', 'ssh_public_keys' or 'log_dir', which this Azure ML API version cannot carry; remove them.`);
    }
  }
}
