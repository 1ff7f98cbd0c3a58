import { readReference } from "./referenceField";
import { AzureMLReference } from "./references";
import { loadYamlFile } from "./yamlFields";

/* A model file as `az ml model create -f` reads it (reference-yaml-model.md, azure-ai-ml ModelSchema). */

export type ModelType = "custom_model" | "mlflow_model" | "triton_model";

export interface ModelSpec {
  file: string;
  folder: string;
  name: string;
  /** Omitted → the service numbers the version. */
  version?: string;
  /** A local file or folder (absolute), or where the model already is (datastore, job output, run…). */
  path?: AzureMLReference;
  type: ModelType;
  description?: string;
  tags: Record<string, string>;
  properties: Record<string, string>;
  /** Carried as written: per flavour, a mapping of settings. */
  flavors?: Record<string, unknown>;
  stage?: string;
}

// `id`, `creation_context` and `latest_version` are read-only (as `az ml model show` prints them): az ml ignores them.
const modelFields = [
  "$schema",
  "name",
  "version",
  "path",
  "type",
  "description",
  "tags",
  "properties",
  "flavors",
  "stage",
  "id",
  "creation_context",
  "latest_version",
];

/** Model names: letters, digits, '-', '_' and '.', starting with a letter or digit, at most 255 characters. */
const modelName = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;

export function readModelFile(file: string, inputName: string): ModelSpec {
  const { origin, folder, root } = loadYamlFile(file, `Input '${inputName}'`, "a model");
  const fields = root.fields(modelFields);
  const nameField = fields.required("name");
  const name = nameField.nonEmptyText();
  if (!modelName.test(name)) throw nameField.error("is not a valid model name: use letters, digits, '-', '_' and '.', starting with a letter or digit.");
  const pathField = fields.optional("path");
  const flavors = fields.optional("flavors");
  if (flavors !== undefined) flavors.entries("a mapping of flavour names to settings");
  const versionField = fields.optional("version");
  const version = versionField?.textOrNumber();
  if (versionField !== undefined && version !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(version)) {
    throw versionField.error("is not a valid version: use letters, digits, '.', '-' and '_'.");
  }
  return {
    file: origin.file,
    folder,
    name,
    version,
    path:
      pathField === undefined
        ? undefined
        : readReference(pathField, folder, ["localPath", "assetVersion", "armId", "datastorePath", "jobOutput", "registryAsset", "mlflowRun", "storageUrl"]),
    type: fields.optional("type")?.oneOf(["custom_model", "mlflow_model", "triton_model"] as const) ?? "custom_model",
    description: fields.optional("description")?.text(),
    tags: fields.optional("tags")?.textMap() ?? {},
    properties: fields.optional("properties")?.textMap() ?? {},
    flavors: flavors?.value as Record<string, unknown> | undefined,
    stage: fields.optional("stage")?.nonEmptyText(),
  };
}
