import * as path from "node:path";
import { readReference } from "../../../common/src/azureml/referenceField";
import { loadYamlFile } from "../../../common/src/azureml/yamlFields";
import { hasControlCharacter } from "../../../common/src/text/printable";
import { checkCommandExpressions } from "./commandExpressions";
import { CommandJobSpec } from "./commandJobSpec";
import { readEnvironment } from "./jobEnvironment";
import { readInputs, readOutputs } from "./jobInputsOutputs";
import { readCompute, readDistribution, readIdentity, readQueueSettings, readResources, readServices, readTimeout } from "./jobSettings";

export type { CommandJobSpec } from "./commandJobSpec";

/** Every field `az ml` reads in a command job file (azure-ai-ml CommandJobSchema and BaseJobSchema). */
const commandJobFields = [
  "$schema",
  "type",
  "name",
  "display_name",
  "experiment_name",
  "description",
  "tags",
  "properties",
  "command",
  "code",
  "environment",
  "environment_variables",
  "distribution",
  "compute",
  "resources",
  "limits",
  "inputs",
  "outputs",
  "identity",
  "queue_settings",
  "services",
  "parent_job_name",
  // Read-only fields of a job as `az ml job show` prints it; az ml ignores them on create, so a
  // file saved from `show` can be submitted again.
  "id",
  "status",
  "creation_context",
  "log_files",
  "parameters",
];

export interface CommandJobOptions {
  /** az ml uses the name of the working directory; the task decides. Default: that name. */
  defaultExperimentName?: string;
}

function plainText(value: string | undefined, field: { error(problem: string): Error } | undefined): string | undefined {
  if (value !== undefined && field !== undefined && hasControlCharacter(value)) throw field.error("holds a line break or control character, which it may not.");
  return value;
}

/**
 * Reads a command job file as `az ml job create -f <file>` would, with every relative path
 * resolved against the file's folder. `inputName` names the task input that gave the path.
 */
export function readCommandJobFile(file: string, inputName: string, options: CommandJobOptions = {}): CommandJobSpec {
  const { origin, folder, root } = loadYamlFile(file, `Input '${inputName}'`, "a command job");
  const fields = root.fields(commandJobFields);
  const type = fields.optional("type");
  if (type !== undefined && type.text() !== "command") {
    throw type.error(`is ${JSON.stringify(type.text())}; this task runs only command jobs (type: command, the default).`);
  }
  const commandField = fields.required("command", " (the command the job runs)");
  const command = commandField.nonEmptyText();
  const inputs = readInputs(fields.optional("inputs"), folder);
  const outputs = readOutputs(fields.optional("outputs"), folder);
  checkCommandExpressions(commandField, command, Object.keys(inputs), Object.keys(outputs));

  const nameField = fields.optional("name");
  const displayField = fields.optional("display_name");
  const experimentField = fields.optional("experiment_name");
  const codeField = fields.optional("code");
  const experimentName = plainText(experimentField?.nonEmptyText(), experimentField);
  return {
    file: origin.file,
    folder,
    name: plainText(nameField?.nonEmptyText(), nameField),
    displayName: plainText(displayField?.nonEmptyText(), displayField),
    experimentName: experimentName ?? options.defaultExperimentName ?? path.basename(process.cwd()),
    experimentNameSource: experimentName === undefined ? "default" : "file",
    description: fields.optional("description")?.text(),
    tags: fields.optional("tags")?.textMap() ?? {},
    properties: fields.optional("properties")?.textMap() ?? {},
    command,
    commandLocation: commandField.where,
    code:
      codeField === undefined
        ? undefined
        : readReference(codeField, folder, ["localPath", "assetVersion", "assetLabel", "armId", "datastorePath", "storageUrl"], "folder"),
    environment: readEnvironment(fields.required("environment", " (a registered environment or an inline {image: …})"), folder),
    environmentVariables: fields.optional("environment_variables")?.textMap() ?? {},
    compute: readCompute(fields.optional("compute"), folder),
    resources: readResources(fields.optional("resources")),
    limits: readTimeout(fields.optional("limits")),
    inputs,
    outputs,
    distribution: readDistribution(fields.optional("distribution")),
    identity: readIdentity(fields.optional("identity")),
    queueSettings: readQueueSettings(fields.optional("queue_settings")),
    services: readServices(fields.optional("services")),
    parentJobName: fields.optional("parent_job_name")?.nonEmptyText(),
  };
}
