import { LocalPathExpectation, readReference } from "../../../common/src/azureml/referenceField";
import { ReferenceKind } from "../../../common/src/azureml/references";
import { YamlField } from "../../../common/src/azureml/yamlFields";
import { InputDataType, InputMode, JobInput, JobOutput, OutputDataType, OutputMode } from "./commandJobSpec";

/*
 * Job inputs and outputs (reference-yaml-job-command.md "Job inputs"/"Job outputs", NOTES §3):
 * an input is a literal or {type (uri_folder), path, mode (ro_mount)}; an output is empty or
 * {type (uri_folder), mode (rw_mount), path}.
 */

const inputTypes: readonly InputDataType[] = ["uri_folder", "uri_file", "mlflow_model", "custom_model", "triton_model", "mltable"];
const inputModes: readonly InputMode[] = ["ro_mount", "download", "direct", "eval_mount", "eval_download"];
const outputTypes: readonly OutputDataType[] = ["uri_folder", "uri_file", "mlflow_model", "custom_model", "triton_model", "mltable"];
const outputModes: readonly OutputMode[] = ["rw_mount", "upload", "mount", "direct"];

const inputFields = ["type", "path", "mode", "datastore", "path_on_compute", "description"];
const outputFields = ["type", "mode", "path", "name", "version", "description"];

const dataPathKinds: readonly ReferenceKind[] = [
  "localPath",
  "assetVersion",
  "assetLabel",
  "armId",
  "datastorePath",
  "jobOutput",
  "registryAsset",
  "storageUrl",
  "mlflowRun",
];

/** Input and output names become `${{inputs.<name>}}` and environment variable suffixes. */
const portName = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkName(entry: YamlField, what: string): void {
  if (!portName.test(entry.key)) throw entry.error(`is not a valid ${what} name: use letters, digits and '_', not starting with a digit.`);
}

function localExpectation(type: InputDataType): LocalPathExpectation {
  if (type === "uri_file") return "file";
  if (type === "uri_folder" || type === "mltable") return "folder";
  return "file or folder";
}

function readInput(entry: YamlField, folder: string): JobInput {
  const value = entry.value;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return { kind: "literal", value, line: entry.line };
  if (!entry.isMapping()) throw entry.wrongType("a literal (text, number, true/false) or a mapping {type, path, mode}");
  const fields = entry.fields(inputFields);
  const type = fields.optional("type")?.oneOf(inputTypes) ?? "uri_folder";
  const mode = fields.optional("mode")?.oneOf(inputModes) ?? "ro_mount";
  if ((mode === "eval_mount" || mode === "eval_download") && type !== "mltable") {
    throw fields.required("mode").error(`'${mode}' is for mltable inputs only.`);
  }
  const path = readReference(fields.required("path"), folder, dataPathKinds, localExpectation(type));
  if (path.kind === "mlflowRun" && type !== "mlflow_model" && type !== "custom_model") {
    throw fields.required("path").error("is an MLflow run artifact (runs:/…), which only a model input takes.");
  }
  return {
    kind: "data",
    type,
    path,
    mode,
    datastore: fields.optional("datastore")?.nonEmptyText(),
    pathOnCompute: fields.optional("path_on_compute")?.nonEmptyText(),
    line: entry.line,
  };
}

export function readInputs(field: YamlField | undefined, folder: string): Record<string, JobInput> {
  const inputs: Record<string, JobInput> = {};
  if (field === undefined) return inputs;
  for (const entry of field.entries("a mapping of input names to inputs")) {
    checkName(entry, "input");
    if (entry.value === null) throw entry.error("is empty; give a literal value or {type, path, mode}.");
    Object.defineProperty(inputs, entry.key, { value: readInput(entry, folder), enumerable: true, writable: true, configurable: true });
  }
  return inputs;
}

function readOutput(entry: YamlField, folder: string): JobOutput {
  if (entry.value === null) return { type: "uri_folder", mode: "rw_mount", line: entry.line };
  const fields = entry.fields(outputFields, "empty or a mapping {type, mode, path}");
  const pathField = fields.optional("path");
  return {
    type: fields.optional("type")?.oneOf(outputTypes) ?? "uri_folder",
    mode: fields.optional("mode")?.oneOf(outputModes) ?? "rw_mount",
    path: pathField === undefined ? undefined : readReference(pathField, folder, ["datastorePath", "storageUrl"]),
    name: fields.optional("name")?.nonEmptyText(),
    version: fields.optional("version")?.textOrNumber(),
    line: entry.line,
  };
}

export function readOutputs(field: YamlField | undefined, folder: string): Record<string, JobOutput> {
  const outputs: Record<string, JobOutput> = {};
  if (field === undefined) return outputs;
  for (const entry of field.entries("a mapping of output names to outputs")) {
    checkName(entry, "output");
    Object.defineProperty(outputs, entry.key, { value: readOutput(entry, folder), enumerable: true, writable: true, configurable: true });
  }
  return outputs;
}
