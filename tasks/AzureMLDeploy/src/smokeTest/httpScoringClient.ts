import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
} from "@azure/core-rest-pipeline";
import { maskSecret } from "../../../common/src/auth/secretMasking";
import type { AzureSession } from "../../../common/src/azure/azureSession";
import { describing } from "../../../common/src/errors/azureError";
import type { ScoringClient, ScoringRequest, ScoringResponse } from "./scoringClient";

/** The audience of Microsoft Entra tokens that aad_token endpoints take. */
export const machineLearningDataAudience = "https://ml.azure.com/.default";

// A new deployment may drop a first connection while its routes settle; more retries than this
// would only hide a failing scoring script behind minutes of back-off.
const retryOptions = { maxRetries: 2 };

/** Scoring requests over the session's transport: the agent's proxy (with its bypass list) and CA. */
export class HttpScoringClient implements ScoringClient {
  private readonly pipeline: Pipeline;
  private readonly httpClient: HttpClient;

  constructor(private readonly session: AzureSession) {
    this.httpClient = session.pipeline.httpClient ?? createDefaultHttpClient();
    this.pipeline = createPipelineFromOptions({ retryOptions });
  }

  score(request: ScoringRequest): Promise<ScoringResponse> {
    return describing(`Sending the sample request to ${request.uri}`, async () => {
      const headers = createHttpHeaders({
        Authorization: `Bearer ${request.credential}`,
        "Content-Type": request.contentType,
        Accept: "application/json, text/plain, */*",
        "azureml-model-deployment": request.deployment,
      });
      const sent = createPipelineRequest({ url: request.uri, method: "POST", headers, body: request.body });
      const response = await this.pipeline.sendRequest(this.httpClient, sent);
      return { status: response.status, body: response.bodyAsText ?? "" };
    });
  }

  entraToken(): Promise<string> {
    return describing("Getting a Microsoft Entra token for Azure ML endpoints", async () => {
      const token = await this.session.credential.getToken(machineLearningDataAudience);
      if (!token?.token) throw new Error("The service connection's identity got no token for https://ml.azure.com.");
      maskSecret(token.token);
      return token.token;
    });
  }
}
