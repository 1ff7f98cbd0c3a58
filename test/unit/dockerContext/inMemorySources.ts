import * as fs from "node:fs";
import * as path from "node:path";
import type { AzureMLReference } from "../../../tasks/common/src/azureml/references";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import type { EnvironmentDefinition, EnvironmentSource } from "../../../tasks/AzureMLDeploy/src/dockerContext/environmentSource";
import type { DownloadedModel, ModelFileSource, ModelVersionReference } from "../../../tasks/AzureMLDeploy/src/dockerContext/modelFileSource";

/** Registered model versions whose files are a local file or folder, downloaded by copying, as the registry keeps the top name. */
export class LocalModelFiles implements ModelFileSource {
  readonly downloads: string[] = [];

  constructor(private readonly registered: Record<string, string>) {}

  download(model: ModelVersionReference, folder: string): Promise<DownloadedModel> {
    const label = `${model.name}:${model.version}`;
    const source = this.registered[label];
    if (source === undefined) return Promise.reject(new InputError(`Model ${label} does not exist.`));
    this.downloads.push(label);
    const topName = path.basename(source);
    fs.mkdirSync(folder, { recursive: true });
    fs.cpSync(source, path.join(folder, topName), { recursive: true });
    const files = fs
      .readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
      .sort();
    const bytes = files.reduce((sum, file) => sum + fs.statSync(path.join(folder, file)).size, 0);
    return Promise.resolve({ topName, files, bytes });
  }
}

/** Registered environments by the reference text that names them. */
export class KnownEnvironments implements EnvironmentSource {
  readonly reads: string[] = [];

  constructor(private readonly known: Record<string, EnvironmentDefinition>) {}

  read(reference: AzureMLReference): Promise<EnvironmentDefinition> {
    this.reads.push(reference.text);
    const found = this.known[reference.text];
    return found ? Promise.resolve(found) : Promise.reject(new InputError(`Environment '${reference.text}' does not exist.`));
  }
}
