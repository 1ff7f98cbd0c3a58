import * as fs from "node:fs";
import * as path from "node:path";
import { JobOutputResolver, WorkspaceStorage } from "../../arm/workspaceStorage";
import { ServingSource } from "../deploymentReferences";
import { BoundedLogFile } from "./boundedLogFile";

/** A deployment's files as its container sees them under /var/azureml-app. */
export interface DeploymentFolder {
  /** AML_APP_ROOT: the code version's files. */
  appRoot: string;
  /** AZUREML_ENTRY_SCRIPT, relative to appRoot. */
  entryScript: string;
  /** AZUREML_MODEL_DIR: `azureml-models/<name>/<version>`, holding the registered file or folder by its name. */
  modelDir?: string;
}

const preparedMarker = ".prepared";

function countFiles(target: string): { files: number; bytes: number } {
  const stat = fs.statSync(target);
  if (stat.isFile()) return { files: 1, bytes: stat.size };
  let files = 0;
  let bytes = 0;
  for (const entry of fs.readdirSync(target)) {
    const inner = countFiles(path.join(target, entry));
    files += inner.files;
    bytes += inner.bytes;
  }
  return { files, bytes };
}

/**
 * What Azure's storage initializer does before the inference server starts: the code version
 * into `code/`, the model version into `azureml-models/<name>/<version>/`, keeping the name of
 * the registered file or folder (NOTES §6), each step written to the StorageInitializer log.
 * A folder prepared before (a restart) is used as it is.
 */
export async function prepareDeploymentFolder(args: {
  root: string;
  source: ServingSource;
  storage: WorkspaceStorage;
  resolveJobOutput: JobOutputResolver;
  log: BoundedLogFile;
}): Promise<DeploymentFolder> {
  const { root, source, storage, resolveJobOutput, log } = args;
  const note = (text: string) => log.append(`${new Date().toISOString()} ${text}\n`);
  const folder: DeploymentFolder = { appRoot: path.join(root, "code"), entryScript: source.code.scoringScript };
  if (source.model) folder.modelDir = path.join(root, "azureml-models", source.model.name, source.model.version);
  if (fs.existsSync(path.join(root, preparedMarker))) {
    note(`Code and model are already in place in ${root}.`);
    return folder;
  }
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  try {
    note(`Downloading code ${source.code.codeId} from ${source.code.uri} to ${folder.appRoot}`);
    const code = countFiles(await storage.download(storage.locate(source.code.uri), folder.appRoot));
    note(`Downloaded ${code.files} code files (${code.bytes} bytes).`);
    if (source.model && folder.modelDir) {
      const location = storage.locate(source.model.uri, resolveJobOutput);
      const { isFile } = await storage.list(location);
      // A registered folder keeps its own name under the version folder; a file lands there by its name.
      const target = isFile || location.path === "" ? folder.modelDir : path.join(folder.modelDir, path.posix.basename(location.path));
      note(`Downloading model ${source.model.name}:${source.model.version} from ${source.model.uri} to ${target}`);
      const model = countFiles(await storage.download(location, target));
      note(`Downloaded ${model.files} model files (${model.bytes} bytes).`);
    }
  } catch (error) {
    note(`Download failed: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
  fs.writeFileSync(path.join(root, preparedMarker), new Date().toISOString());
  note("Storage initialization complete.");
  return folder;
}
