import type { AssetGateway } from "../../../common/src/assets/assetGateway";
import { AssetResolver } from "../../../common/src/assets/assetResolver";
import { InputError } from "../../../common/src/errors/inputError";
import { inLogGroup } from "../../../common/src/log/logGroup";
import { resolveModel } from "../assets/resolveModel";
import type { EnvironmentSource } from "../dockerContext/environmentSource";
import type { ModelFileSource } from "../dockerContext/modelFileSource";
import { writeDockerContext } from "../dockerContext/writeDockerContext";
import type { DockerContextDeploySettings } from "../settings/deploySettings";
import type { DeploymentStrategy, DockerContextOutcome } from "./deploymentStrategy";

/** What the Docker context strategy talks to, and how it publishes. */
export interface DockerContextDependencies {
  assets: AssetGateway;
  models: ModelFileSource;
  environments: EnvironmentSource;
  /** Publishes a folder as a pipeline artifact (`##vso[artifact.upload]`). */
  publish: (folder: string, artifactName: string) => void;
  log: (line: string) => void;
}

/**
 * A Docker build context for teams that run their own platform: the deployment's scoring code
 * and environment, and its model downloaded from the workspace, written to a folder (see
 * writeDockerContext) and published as a pipeline artifact. The model must be a registered
 * version; a local model in the deployment file is registered first, as an online deployment
 * would register it, so that the image carries what the registry holds.
 */
export class DockerContextStrategy implements DeploymentStrategy {
  constructor(
    private readonly settings: DockerContextDeploySettings,
    private readonly dependencies: DockerContextDependencies,
  ) {}

  async deploy(): Promise<DockerContextOutcome> {
    const { settings, dependencies } = this;
    const { workspace } = settings;
    const log = dependencies.log;
    const model = await inLogGroup("Resolving the model", () =>
      resolveModel(settings.model, {
        gateway: dependencies.assets,
        resolver: new AssetResolver(dependencies.assets, workspace.id, log),
        workspaceId: workspace.id,
        workspaceName: workspace.name,
        log,
      }),
    );
    if (!model) {
      throw new InputError(
        "The Docker build context carries a registered model, and none is named: set input 'model', give the deployment file a 'model', or register one in an AzureMLRegisterModel step before this one.",
      );
    }
    if (model.name === undefined || model.version === undefined) {
      throw new InputError(
        `The model ${model.outcome} is not a version of workspace '${workspace.name}', which the Docker build context downloads the model from: register it there and name it <name>:<version>.`,
      );
    }
    const reference = { name: model.name, version: model.version };
    const written = await inLogGroup("Writing the Docker build context", () =>
      writeDockerContext(
        {
          contextPath: settings.docker.contextPath.value,
          deployment: settings.deployment,
          model: reference,
          ...(settings.docker.sampleRequest !== undefined ? { sampleRequest: settings.docker.sampleRequest } : {}),
        },
        { models: dependencies.models, environments: dependencies.environments, log },
      ),
    );
    dependencies.publish(written.contextPath, settings.docker.artifactName);
    log(`Published ${written.contextPath} as pipeline artifact '${settings.docker.artifactName}'.`);
    return {
      kind: "dockerContext",
      contextPath: written.contextPath,
      artifactName: settings.docker.artifactName,
      files: written.files,
      modelDir: written.modelDir,
      requirements: written.requirements,
      baseImage: written.baseImage,
      model: { ...reference, outcome: model.outcome },
    };
  }
}
