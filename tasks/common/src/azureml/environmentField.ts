import { readReference } from "./referenceField";
import { AzureMLReference } from "./references";
import { YamlField } from "./yamlFields";

/*
 * An `environment` field as az ml reads it in a job or an online deployment
 * (reference-yaml-environment.md): a reference, or an anonymous environment written inline.
 */

export type JobEnvironment =
  /** azureml:<name>:<version>, azureml:<name>@latest, ARM id, or azureml://registries/…/environments/… */
  { kind: "reference"; reference: AzureMLReference } | InlineEnvironment;

/** An anonymous environment written inside a job or deployment: never a name or version. */
export interface InlineEnvironment {
  kind: "inline";
  /** Exactly one of `image` and `build`. */
  image?: string;
  build?: { context: AzureMLReference; dockerfilePath: string };
  /** Only with `image`: a file (absolute path) or the conda specification written inline. */
  condaFile?: { kind: "file"; path: string } | { kind: "inline"; specification: unknown };
  osType: "linux" | "windows";
  description?: string;
  tags: Record<string, string>;
  /** Carried as written (custom inference containers only). */
  inferenceConfig?: unknown;
}

const inlineFields = ["$schema", "name", "version", "image", "conda_file", "build", "os_type", "inference_config", "description", "tags", "properties"];

/** `environment`: a reference to a registered environment, or one written inline (reference-yaml-environment.md). */
export function readEnvironment(field: YamlField, folder: string): JobEnvironment {
  if (field.type === "text") {
    const reference = readReference(field, folder, ["assetVersion", "assetLabel", "armId", "registryAsset", "resource"]);
    if (reference.kind === "resource") {
      throw field.error(
        `names the environment '${reference.name}' without a version; write azureml:${reference.name}@latest or azureml:${reference.name}:<version>.`,
      );
    }
    if (reference.kind === "registryAsset" && reference.collection !== "environments") {
      throw field.error(`points at registry ${reference.collection}, not environments.`);
    }
    if (reference.kind === "armId" && reference.collection.toLowerCase() !== "environments") {
      throw field.error(`is a resource id of '${reference.collection}', not of an environment.`);
    }
    return { kind: "reference", reference };
  }
  return readInlineEnvironment(field, folder);
}

function readInlineEnvironment(field: YamlField, folder: string): InlineEnvironment {
  const fields = field.fields(inlineFields, "an environment reference (text) or an inline environment (a mapping)");
  for (const key of ["name", "version"]) {
    const written = fields.optional(key);
    if (written !== undefined) {
      throw written.error(
        "is not allowed in an inline environment, which is anonymous; register the environment and write azureml:<name>:<version>, or drop the field.",
      );
    }
  }
  const image = fields.optional("image")?.nonEmptyText();
  const buildField = fields.optional("build");
  if (image !== undefined && buildField !== undefined) throw field.error("has both 'image' and 'build'; an environment takes one of them.");
  if (image === undefined && buildField === undefined) throw field.error("needs 'image' (a Docker image) or 'build' (a Docker build context).");
  const environment: InlineEnvironment = {
    kind: "inline",
    image,
    osType: fields.optional("os_type")?.oneOf(["linux", "windows"] as const) ?? "linux",
    description: fields.optional("description")?.text(),
    tags: fields.optional("tags")?.textMap() ?? {},
    inferenceConfig: fields.optional("inference_config")?.value,
  };
  if (buildField !== undefined) {
    const build = buildField.fields(["path", "dockerfile_path"]);
    const context = readReference(build.required("path"), folder, ["localPath", "storageUrl", "datastorePath"], "folder");
    environment.build = { context, dockerfilePath: build.optional("dockerfile_path")?.nonEmptyText() ?? "Dockerfile" };
  }
  const conda = fields.optional("conda_file");
  if (conda !== undefined) {
    if (image === undefined) throw conda.error("goes only with 'image'; with 'build', install packages in the Dockerfile.");
    if (conda.type === "text") {
      const reference = readReference(conda, folder, ["localPath"], "file");
      environment.condaFile = { kind: "file", path: reference.kind === "localPath" ? reference.path : reference.text };
    } else if (conda.isMapping()) {
      environment.condaFile = { kind: "inline", specification: conda.value };
    } else {
      throw conda.wrongType("a path to a conda file, or the conda specification as a mapping");
    }
  }
  return environment;
}
