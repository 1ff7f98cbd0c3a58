import { AssetResolver, assetId, type WorkspaceId } from "../../../common/src/assets/assetResolver";
import type { AssetGateway } from "../../../common/src/assets/assetGateway";
import { describeUpload } from "../../../common/src/upload/datastoreUpload";
import type { CommandJobSpec, JobCompute, JobInput } from "../jobFile/commandJobSpec";
import type { ResolvedJobAssets } from "./commandJobBody";

/** How the job's code and environment were found, for the log and the summary. */
export interface AssetOutcomes {
  /** "azureml:CliV2AnonymousEnvironment:0f3c… (reused)", "azureml:sklearn:3". */
  environment: string;
  /** "code asset 1b2c…:1 (uploaded: 12 files, 30.1 KiB)", or undefined when the job has no code. */
  code?: string;
}

/** The compute's ARM id; none for serverless compute, which the job then leaves to the service. */
export function computeIdFor(compute: JobCompute, workspaceId: WorkspaceId): string | undefined {
  if (compute.kind !== "named") return undefined;
  return compute.resourceId ?? `${workspaceId}/computes/${compute.name}`;
}

const owner = "The job's";

/**
 * Resolves the job's references to the ids and URIs the job body takes, uploading what is local
 * (code, inputs, a build context) to the workspace's default datastore, content-addressed, and
 * creating the code and environment versions that do not exist yet. Each step is one log line.
 */
export class JobAssetResolver {
  private readonly assets: AssetResolver;

  constructor(
    gateway: AssetGateway,
    private readonly workspaceId: WorkspaceId,
    private readonly log: (line: string) => void,
  ) {
    this.assets = new AssetResolver(gateway, workspaceId, log);
  }

  async resolve(job: CommandJobSpec): Promise<{ assets: ResolvedJobAssets; outcomes: AssetOutcomes }> {
    const code = job.code === undefined ? undefined : await this.assets.code(job.code, owner);
    const environment = await this.assets.environment(job.environment, owner);
    const inputUris: Record<string, string> = {};
    for (const [name, input] of Object.entries(job.inputs)) {
      if (input.kind === "data") inputUris[name] = await this.inputUri(name, input);
    }
    return {
      assets: { environmentId: environment.id, codeId: code?.id, computeId: computeIdFor(job.compute, this.workspaceId), inputUris },
      outcomes: { environment: environment.outcome, code: code?.outcome },
    };
  }

  private async inputUri(name: string, input: Extract<JobInput, { kind: "data" }>): Promise<string> {
    const reference = input.path;
    switch (reference.kind) {
      case "localPath": {
        const upload = await this.assets.upload(reference.path, `input '${name}' ('${reference.path}')`);
        this.log(describeUpload(upload.result, `Input '${name}'`, upload.location));
        return upload.uri;
      }
      case "assetVersion": {
        const collection = input.type.endsWith("_model") ? "models" : "data";
        return assetId(this.workspaceId, collection, reference.name, reference.version);
      }
      case "armId":
        return reference.id;
      default:
        return reference.text;
    }
  }
}
