/** A registered model version, as the task resolved it (never `@latest`). */
export interface ModelVersionReference {
  name: string;
  version: string;
}

/** What a download put in the folder. */
export interface DownloadedModel {
  /**
   * The registered file or folder name (the last segment of the version's `modelUri`), kept as
   * Azure ML keeps it under AZUREML_MODEL_DIR: a model registered from folder `model/` lands in
   * `<folder>/model/…`, one registered from file `m.pkl` at `<folder>/m.pkl`.
   */
  topName: string;
  /** Every file written, relative to the folder, POSIX separators, sorted. */
  files: string[];
  bytes: number;
}

/** Downloads the files of a registered model version. `AzureModelFiles` reads them from the workspace's datastores. */
export interface ModelFileSource {
  /** Writes the version's files into `folder` (created if absent), under their registered top file or folder name. */
  download(model: ModelVersionReference, folder: string): Promise<DownloadedModel>;
}
