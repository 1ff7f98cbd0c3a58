/** One existing version of a registered model, as much as the gate needs of it. */
export interface ModelVersionInfo {
  /** The version (Azure ML's resource name under the model), e.g. `3`. */
  version: string;
  /** When it was created (`systemData.createdAt`); missing on some emulators and old assets. */
  createdAt?: Date;
  /** Mutable tags (`properties.tags`). */
  tags: Record<string, string>;
  /** Properties set at creation, immutable since (`properties.properties`). */
  properties: Record<string, string>;
  /** Archived versions are never the champion (as `@latest` skips them). */
  isArchived?: boolean;
  /** The job that produced it (`properties.jobName`), for the summary. */
  jobName?: string;
}

/** What the gate reads about a model. The assembly implements it over the Azure ML control plane. */
export interface ModelVersionSource {
  /** Every version of the model (all pages); an empty list when no model of that name exists yet. */
  listVersions(modelName: string): Promise<ModelVersionInfo[]>;
}
