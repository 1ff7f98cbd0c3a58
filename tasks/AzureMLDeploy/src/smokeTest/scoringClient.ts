/** One request to an online endpoint's scoring URI. */
export interface ScoringRequest {
  uri: string;
  /** Sent as `azureml-model-deployment`: the deployment answers even at 0 % traffic (NOTES §7). */
  deployment: string;
  /** The endpoint key or a token, sent as `Authorization: Bearer …`. */
  credential: string;
  body: string;
  contentType: string;
}

export interface ScoringResponse {
  status: number;
  body: string;
}

/**
 * The calls the smoke test makes outside Azure ML's control plane: the scoring request itself,
 * and, for endpoints that take Microsoft Entra tokens, a token of the service connection's
 * identity for Azure ML. `HttpScoringClient` makes them; task tests answer from the in-memory
 * endpoints.
 */
export interface ScoringClient {
  score(request: ScoringRequest): Promise<ScoringResponse>;
  /** A Microsoft Entra token for `https://ml.azure.com` (aad_token endpoints), registered with the agent's masker. */
  entraToken(): Promise<string>;
}
