import { Exchange, sendJson } from "../../../http/exchange";
import { compileTemplate, matchTemplate, pathSegments } from "../../../http/pathTemplate";

const discoveryTemplate = compileTemplate("/azureml/{location}/discovery");

/**
 * A workspace's discoveryUrl: the Azure ML SDKs read the data-plane service URLs from it. They
 * all point back at this server under /azureml/{location}; later slices serve them.
 */
export function handleDiscoveryRequest(exchange: Exchange, baseUrl: string): boolean {
  const params = matchTemplate(discoveryTemplate, pathSegments(exchange.path));
  if (!params || exchange.method !== "GET") return false;
  const serviceUrl = `${baseUrl}/azureml/${params.location}`;
  sendJson(exchange, 200, {
    api: serviceUrl,
    catalog: serviceUrl,
    experimentation: serviceUrl,
    gallery: serviceUrl,
    history: serviceUrl,
    hyperdrive: serviceUrl,
    labeling: serviceUrl,
    modelmanagement: serviceUrl,
    pipelines: serviceUrl,
    studio: serviceUrl,
  });
  return true;
}
