import * as tl from "azure-pipelines-task-lib/task";

/** The pipeline run that submits a job, so that the job in studio leads back to it. */
export interface PipelineRun {
  buildId?: string;
  buildNumber?: string;
  definitionName?: string;
  /** The commit built (Build.SourceVersion). */
  commit?: string;
  repository?: string;
  /** The run's results page: `<collection><project>/_build/results?buildId=<id>`. */
  runUrl?: string;
  releaseName?: string;
  releaseUrl?: string;
  releaseEnvironment?: string;
}

function variable(name: string): string | undefined {
  return tl.getVariable(name)?.trim() || undefined;
}

/** The run's results page, when the agent gives the collection, the project and the build id. */
export function buildResultsUrl(collectionUri: string | undefined, project: string | undefined, buildId: string | undefined): string | undefined {
  if (!collectionUri || !project || !buildId) return undefined;
  const base = collectionUri.endsWith("/") ? collectionUri : `${collectionUri}/`;
  return `${base}${encodeURIComponent(project)}/_build/results?buildId=${encodeURIComponent(buildId)}`;
}

export function readPipelineRun(): PipelineRun {
  const buildId = variable("Build.BuildId");
  return {
    buildId,
    buildNumber: variable("Build.BuildNumber"),
    definitionName: variable("Build.DefinitionName"),
    commit: variable("Build.SourceVersion"),
    repository: variable("Build.Repository.Name"),
    runUrl: buildResultsUrl(variable("System.CollectionUri"), variable("System.TeamProject"), buildId),
    releaseName: variable("Release.ReleaseName"),
    releaseUrl: variable("Release.ReleaseWebUrl"),
    releaseEnvironment: variable("Release.EnvironmentName"),
  };
}

/** The job's tags for the run (names under `azure_pipelines.`, so they never collide with the file's own). */
export function pipelineTags(run: PipelineRun): Record<string, string> {
  const tags: Record<string, string | undefined> = {
    "azure_pipelines.build_id": run.buildId,
    "azure_pipelines.build_number": run.buildNumber,
    "azure_pipelines.pipeline": run.definitionName,
    "azure_pipelines.commit": run.commit,
    "azure_pipelines.repository": run.repository,
    "azure_pipelines.run_url": run.runUrl,
    "azure_pipelines.release": run.releaseName,
    "azure_pipelines.release_url": run.releaseUrl,
    "azure_pipelines.release_stage": run.releaseEnvironment,
  };
  return Object.fromEntries(Object.entries(tags).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
