import { compileTemplate, matchTemplate } from "../../../http/pathTemplate";
import { JsonObject } from "../../../state/json";
import { workspaceId } from "../arm/workspaceIds";
import { dataPlaneErrors } from "./dataPlaneErrors";
import { DataPlaneRoute } from "./dataPlaneRoute";
import { RunRecord, RunStore } from "./runStore";
import { FileUrlSigner } from "./signedUrls";

/** How long the log file URLs run history hands out stay valid. */
export const logFileUrlLifetimeMs = 60 * 60 * 1000;

const workspacePath =
  "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.MachineLearningServices/workspaces/{workspaceName}";
const runDetailsTemplate = compileTemplate(`/history/v1.0${workspacePath}/runs/{runId}/details`);

/** A run as run-history.json's RunDetails declares it, each log file behind a fresh signed URL. */
export function runDetails(run: RunRecord, signer: FileUrlSigner, now: Date = new Date()): JsonObject {
  const expiresOn = new Date(now.getTime() + logFileUrlLifetimeMs);
  const logFiles: JsonObject = {};
  for (const [name, path] of Object.entries(run.logFiles)) logFiles[name] = signer.url(path, expiresOn);
  const details: JsonObject = { runId: run.runId, status: run.status, logFiles };
  if (run.target !== undefined) details.target = run.target;
  if (run.createdTimeUtc !== undefined) details.createdTimeUtc = run.createdTimeUtc;
  if (run.startTimeUtc !== undefined) details.startTimeUtc = run.startTimeUtc;
  if (run.endTimeUtc !== undefined) details.endTimeUtc = run.endTimeUtc;
  if (run.error !== undefined) details.error = { error: { code: run.error.code, message: run.error.message } };
  if (run.tags !== undefined) details.tags = { ...run.tags };
  if (run.properties !== undefined) details.properties = { ...run.properties };
  return details;
}

/** Run history (`{api}/history/v1.0/…`): what azure-ai-ml polls while it streams a job. */
export function runHistoryRoutes(runs: RunStore, signer: FileUrlSigner): DataPlaneRoute[] {
  return [
    {
      operationId: "Runs_GetDetails",
      method: "GET",
      match: (segments) => matchTemplate(runDetailsTemplate, segments),
      authentication: "bearer",
      inSwagger: true,
      handler: ({ params }) => {
        const run = runs.run(workspaceId(params), params.runId);
        if (!run) throw dataPlaneErrors.notFound(`Run ${params.runId} in workspace ${params.workspaceName}`);
        return { status: 200, body: runDetails(run, signer) };
      },
    },
  ];
}
