import { compileTemplate, matchTemplate } from "../../../http/pathTemplate";
import { DataPlaneRoute } from "./dataPlaneRoute";

const discoveryTemplate = compileTemplate("/azureml/{location}/discovery");

/** A workspace's `properties.discoveryUrl` (real Azure: https://{region}.api.azureml.ms/discovery). */
export function discoveryUrl(baseUrl: string, location: string): string {
  return `${baseUrl}/azureml/${encodeURIComponent(location)}/discovery`;
}

/**
 * The discovery document: the Azure ML SDKs read the data-plane service URLs from it (`api` is
 * where run history is, `{api}/history/v1.0/…`). All of them are this server, whose data plane
 * serves them beside ARM.
 */
export function discoveryRoute(baseUrl: string): DataPlaneRoute {
  return {
    operationId: "Workspace_Discovery",
    method: "GET",
    match: (segments) => matchTemplate(discoveryTemplate, segments),
    authentication: "none",
    inSwagger: false,
    handler: () => ({
      status: 200,
      body: {
        api: baseUrl,
        catalog: baseUrl,
        experimentation: baseUrl,
        gallery: baseUrl,
        history: baseUrl,
        hyperdrive: baseUrl,
        labeling: baseUrl,
        modelmanagement: baseUrl,
        pipelines: baseUrl,
        studio: baseUrl,
      },
    }),
  };
}
