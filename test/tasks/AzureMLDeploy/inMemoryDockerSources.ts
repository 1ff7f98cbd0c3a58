import * as fs from "node:fs";
import * as path from "node:path";
import type { AzureMLReference } from "../../../tasks/common/src/azureml/references";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import type { EnvironmentDefinition, EnvironmentSource } from "../../../tasks/AzureMLDeploy/src/dockerContext/environmentSource";
import type { DownloadedModel, ModelFileSource, ModelVersionReference } from "../../../tasks/AzureMLDeploy/src/dockerContext/modelFileSource";
import { assetsStateFileVariable, type InMemoryAssetsState, readAssetsState } from "../support/inMemoryAssetGateway";

function withState<T>(operation: string, target: string, read: (state: InMemoryAssetsState) => T): T {
  const file = process.env[assetsStateFileVariable];
  if (!file) throw new Error(`${assetsStateFileVariable} is not set`);
  const state = readAssetsState(file);
  state.calls.push({ operation, target });
  try {
    return read(state);
  } finally {
    fs.writeFileSync(file, JSON.stringify(state, null, 2));
  }
}

/**
 * The files of the in-memory workspace's model versions, in place of AzureModelFiles (same
 * constructor arguments, ignored). Uploads keep no content, so a version's files are one file
 * naming its modelUri, under the registered top folder name, as Azure ML lays a model out.
 */
export class InMemoryModelFiles implements ModelFileSource {
  constructor(...ignored: unknown[]) {
    void ignored;
  }

  async download(model: ModelVersionReference, folder: string): Promise<DownloadedModel> {
    await Promise.resolve();
    const modelUri = withState(
      "downloadModel",
      `${model.name}:${model.version}`,
      (state) => state.models[`${model.name}:${model.version}`]?.body.properties.modelUri,
    );
    if (!modelUri) throw new InputError(`Model ${model.name}:${model.version} does not exist in the workspace.`);
    const topName = modelUri.replace(/\/+$/, "").split("/").at(-1) ?? "model";
    const file = path.join(folder, topName, "model.bin");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, modelUri);
    return { topName, files: [`${topName}/model.bin`], bytes: fs.statSync(file).size };
  }
}

/** The in-memory workspace's environment versions, in place of AzureEnvironmentSource. */
export class InMemoryEnvironmentSource implements EnvironmentSource {
  constructor(...ignored: unknown[]) {
    void ignored;
  }

  async read(reference: AzureMLReference): Promise<EnvironmentDefinition> {
    await Promise.resolve();
    const key = reference.kind === "assetVersion" ? `${reference.name}:${reference.version}` : reference.text;
    const found = withState("readEnvironment", key, (state) => state.environments[key]?.body.properties);
    if (!found) throw new InputError(`Environment ${reference.text} does not exist in the workspace.`);
    return {
      description: reference.text,
      ...(found.image ? { image: found.image } : {}),
      ...(found.condaFile ? { condaFile: found.condaFile } : {}),
    };
  }
}
