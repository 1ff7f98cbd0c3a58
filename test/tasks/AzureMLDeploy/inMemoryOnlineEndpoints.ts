import * as fs from "node:fs";
import type { OnlineDeployment, OnlineEndpoint } from "@azure/arm-machinelearning";
import type { ServiceError } from "../../../tasks/common/src/errors/azureMLFailure";
import type {
  ComputeInfo,
  DeploymentContainer,
  OnlineEndpointGateway,
  OperationStatus,
  ProvisioningOperation,
} from "../../../tasks/AzureMLDeploy/src/online/onlineEndpointGateway";
import type { ScoringClient, ScoringRequest, ScoringResponse } from "../../../tasks/AzureMLDeploy/src/smokeTest/scoringClient";

/** How a deployment behaves once created or updated, set by a test. */
export interface DeploymentScript {
  /** The states it goes through, one per poll of its operation (default: Succeeded at once). */
  states?: string[];
  /** Azure's error when the last state is Failed. */
  error?: ServiceError;
  /** What getLogs returns per container. */
  logs?: Partial<Record<DeploymentContainer, string>>;
  /** What its scoring route answers (default: 200 with a prediction). */
  response?: ScoringResponse;
}

export interface StoredDeployment {
  body: OnlineDeployment;
  provisioningState: string;
  /** States still to come, one per poll. */
  pending: string[];
}

export interface StoredEndpoint {
  /** The last body PUT, as sent (traffic kept apart). */
  body: OnlineEndpoint;
  provisioningState: string;
  pending: string[];
  traffic: Record<string, number>;
  keys: { primaryKey: string; secondaryKey: string };
  deployments: Record<string, StoredDeployment>;
}

/** The in-memory online endpoints, in a JSON file a task run (child process) and its test share. */
export interface InMemoryEndpointsState {
  location: string;
  computes: Record<string, { computeType: string; provisioningState?: string }>;
  endpoints: Record<string, StoredEndpoint>;
  /** Deployment name → how it behaves (whatever the endpoint). */
  scripts: Record<string, DeploymentScript>;
  /** Tokens handed out by getToken and entraToken, which the scoring route accepts. */
  tokens: string[];
  /** Every changing call (and every scoring request), in order, with the body sent. */
  calls: Array<{ operation: string; target: string; body?: unknown }>;
}

export const endpointsStateFileVariable = "IN_MEMORY_ENDPOINTS_STATE";

export function emptyEndpointsState(): InMemoryEndpointsState {
  return { location: "westeurope", computes: {}, endpoints: {}, scripts: {}, tokens: [], calls: [] };
}

export function readEndpointsState(file: string): InMemoryEndpointsState {
  return JSON.parse(fs.readFileSync(file, "utf8")) as InMemoryEndpointsState;
}

/** The key the twin gives an endpoint: recognisable in a log, so a test can tell it leaked. */
export function endpointKey(endpoint: string, which: "primary" | "secondary" = "primary"): string {
  return `${which}-key-of-${endpoint}-6f1c2d9e8b7a`;
}

export function scoringUri(endpoint: string, location = "westeurope"): string {
  return `https://${endpoint}.${location}.inference.ml.azure.com/score`;
}

/**
 * As the Azure gateway does, a refusal becomes an AzureOperationError naming the action. Imported
 * when called: task-lib (which the errors module loads) reads the task's inputs when it is first
 * loaded, and the scenario sets them only after importing this file.
 */
async function describing<T>(action: string, call: () => Promise<T>): Promise<T> {
  const errors = await import("../../../tasks/common/src/errors/azureError");
  return errors.describing(action, call);
}

function refused(statusCode: number, code: string, message: string): Error {
  return Object.assign(new Error(message), { statusCode, code });
}

const terminal = ["Succeeded", "Failed", "Canceled"];

function stateFile(): string {
  const file = process.env[endpointsStateFileVariable];
  if (!file) throw new Error(`${endpointsStateFileVariable} is not set`);
  return file;
}

function update<T>(record: { operation: string; target: string; body?: unknown } | undefined, change: (state: InMemoryEndpointsState) => T): T {
  const file = stateFile();
  const state = readEndpointsState(file);
  if (record) state.calls.push(record);
  try {
    return change(state);
  } finally {
    fs.writeFileSync(file, JSON.stringify(state, null, 2));
  }
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A long-running operation: each poll moves the resource to its next scripted state. */
class ScriptedOperation implements ProvisioningOperation {
  constructor(private readonly advance: (state: InMemoryEndpointsState) => OperationStatus) {}

  async poll(): Promise<OperationStatus> {
    await Promise.resolve();
    return update(undefined, this.advance);
  }
}

/**
 * A stateful twin of Azure ML's online endpoints for task tests, in place of
 * AzureOnlineEndpointGateway (same constructor arguments, ignored). It refuses what Azure
 * refuses (traffic at creation, traffic that does not sum to 0 or 100 or names an unknown
 * deployment, deleting a deployment that takes traffic) and records every changing call.
 */
export class InMemoryOnlineEndpoints implements OnlineEndpointGateway {
  constructor(...ignored: unknown[]) {
    void ignored;
  }

  async workspaceLocation(): Promise<string> {
    await Promise.resolve();
    return update(undefined, (state) => state.location);
  }

  async getCompute(name: string): Promise<ComputeInfo | undefined> {
    await Promise.resolve();
    return update(undefined, (state) => {
      const compute = state.computes[name];
      if (!compute) return undefined;
      return { id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws/computes/${name}`, ...compute };
    });
  }

  private endpointView(name: string, stored: StoredEndpoint, location: string): OnlineEndpoint {
    const body = copy(stored.body);
    return {
      ...body,
      id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws/onlineEndpoints/${name}`,
      name,
      properties: {
        ...body.properties,
        traffic: { ...stored.traffic },
        provisioningState: stored.provisioningState,
        scoringUri: scoringUri(name, location),
        swaggerUri: scoringUri(name, location).replace(/\/score$/, "/swagger.json"),
      },
    };
  }

  async getEndpoint(name: string): Promise<OnlineEndpoint | undefined> {
    await Promise.resolve();
    return update(undefined, (state) => {
      const stored = state.endpoints[name];
      return stored ? this.endpointView(name, stored, state.location) : undefined;
    });
  }

  beginCreateOrUpdateEndpoint(name: string, body: OnlineEndpoint): Promise<ProvisioningOperation> {
    return describing(`Creating or updating online endpoint '${name}'`, async () => {
      await Promise.resolve();
      return update({ operation: "putEndpoint", target: name, body }, (state) => {
        if (!body.location) throw refused(400, "BadRequest", "location is required.");
        if (!body.properties?.authMode) throw refused(400, "BadRequest", "authMode is required.");
        const stored = state.endpoints[name];
        const traffic = body.properties.traffic ?? {};
        if (!stored && Object.keys(traffic).length > 0) throw refused(400, "BadArgument", "Traffic cannot be set when the endpoint is created.");
        const total = Object.values(traffic).reduce((sum, percent) => sum + percent, 0);
        if (total !== 0 && total !== 100) throw refused(400, "BadArgument", `Traffic adds up to ${total}; it must be 0 or 100.`);
        const unknown = Object.keys(traffic).find((deployment) => !stored?.deployments[deployment]);
        if (unknown) throw refused(400, "BadArgument", `Traffic names deployment '${unknown}', which does not exist.`);
        const { traffic: _sent, ...properties } = body.properties;
        void _sent;
        const kept = { ...copy(body), properties: copy(properties) as OnlineEndpoint["properties"] };
        if (stored) {
          stored.body = kept;
          stored.traffic = { ...traffic };
          stored.provisioningState = "Updating";
          stored.pending = ["Succeeded"];
        } else {
          state.endpoints[name] = {
            body: kept,
            provisioningState: "Creating",
            pending: ["Succeeded"],
            traffic: {},
            keys: { primaryKey: endpointKey(name), secondaryKey: endpointKey(name, "secondary") },
            deployments: {},
          };
        }
        return new ScriptedOperation((now) => {
          const endpoint = now.endpoints[name];
          endpoint.provisioningState = endpoint.pending.shift() ?? endpoint.provisioningState;
          return terminal.includes(endpoint.provisioningState) ? { done: true } : { done: false, retryAfterMs: 0 };
        });
      });
    });
  }

  async listDeployments(endpointName: string): Promise<OnlineDeployment[]> {
    await Promise.resolve();
    return update(undefined, (state) =>
      Object.keys(state.endpoints[endpointName]?.deployments ?? {}).map((name) => this.deploymentView(state, endpointName, name)),
    );
  }

  private deploymentView(state: InMemoryEndpointsState, endpointName: string, name: string): OnlineDeployment {
    const stored = state.endpoints[endpointName].deployments[name];
    const body = copy(stored.body);
    return { ...body, name, properties: { ...body.properties, provisioningState: stored.provisioningState } };
  }

  async getDeployment(endpointName: string, name: string): Promise<OnlineDeployment | undefined> {
    await Promise.resolve();
    return update(undefined, (state) => (state.endpoints[endpointName]?.deployments[name] ? this.deploymentView(state, endpointName, name) : undefined));
  }

  beginCreateOrUpdateDeployment(endpointName: string, name: string, body: OnlineDeployment): Promise<ProvisioningOperation> {
    return describing(`Creating or updating deployment '${name}' of online endpoint '${endpointName}'`, async () => {
      await Promise.resolve();
      return update({ operation: "putDeployment", target: `${endpointName}/${name}`, body }, (state) => {
        const endpoint = state.endpoints[endpointName];
        if (!endpoint) throw refused(404, "NotFound", `Online endpoint '${endpointName}' does not exist.`);
        if (!body.location) throw refused(400, "BadRequest", "location is required.");
        const script = state.scripts[name] ?? {};
        const existing = endpoint.deployments[name];
        endpoint.deployments[name] = {
          body: copy(body),
          provisioningState: existing ? "Updating" : "Creating",
          pending: [...(script.states ?? ["Succeeded"])],
        };
        return new ScriptedOperation((now) => {
          const deployment = now.endpoints[endpointName].deployments[name];
          deployment.provisioningState = deployment.pending.shift() ?? deployment.provisioningState;
          if (deployment.provisioningState === "Failed") return { done: true, failed: now.scripts[name]?.error ?? {} };
          return terminal.includes(deployment.provisioningState) ? { done: true } : { done: false, retryAfterMs: 0 };
        });
      });
    });
  }

  beginDeleteDeployment(endpointName: string, name: string): Promise<ProvisioningOperation> {
    return describing(`Deleting deployment '${name}' of online endpoint '${endpointName}'`, async () => {
      await Promise.resolve();
      return update({ operation: "deleteDeployment", target: `${endpointName}/${name}` }, (state) => {
        const endpoint = state.endpoints[endpointName];
        if (!endpoint?.deployments[name]) throw refused(404, "NotFound", `Deployment '${name}' does not exist.`);
        if ((endpoint.traffic[name] ?? 0) > 0) throw refused(400, "BadArgument", `Deployment '${name}' takes traffic and cannot be deleted.`);
        endpoint.deployments[name].provisioningState = "Deleting";
        return new ScriptedOperation((now) => {
          delete now.endpoints[endpointName].deployments[name];
          delete now.endpoints[endpointName].traffic[name];
          return { done: true };
        });
      });
    });
  }

  async getDeploymentLogs(endpointName: string, name: string, container: DeploymentContainer, tail: number): Promise<string> {
    await Promise.resolve();
    return update({ operation: "getLogs", target: `${endpointName}/${name}/${container}/${tail}` }, (state) => {
      const text = state.scripts[name]?.logs?.[container] ?? "";
      return text.split("\n").slice(-tail).join("\n");
    });
  }

  async listKeys(endpointName: string): Promise<{ primaryKey?: string; secondaryKey?: string }> {
    await Promise.resolve();
    return update(undefined, (state) => {
      const endpoint = state.endpoints[endpointName];
      if (endpoint.body.properties.authMode !== "Key") throw refused(400, "BadArgument", "The endpoint does not use key authentication.");
      return { ...endpoint.keys };
    });
  }

  async getToken(endpointName: string): Promise<{ accessToken?: string }> {
    await Promise.resolve();
    return update(undefined, (state) => {
      const token = `aml-token-for-${endpointName}-${state.tokens.length + 1}-0a9b8c7d`;
      state.tokens.push(token);
      return { accessToken: token };
    });
  }
}

/**
 * The scoring route of the in-memory endpoints, in place of HttpScoringClient: a request is
 * refused (401) without the endpoint's key or a token it handed out, answers 404 for a
 * deployment that is not Succeeded, and otherwise gives the deployment's scripted response.
 */
export class InMemoryScoringClient implements ScoringClient {
  constructor(...ignored: unknown[]) {
    void ignored;
  }

  async score(request: ScoringRequest): Promise<ScoringResponse> {
    await Promise.resolve();
    return update({ operation: "score", target: `${request.uri} ${request.deployment}`, body: request.body }, (state) => {
      const entry = Object.entries(state.endpoints).find(([name]) => scoringUri(name, state.location) === request.uri);
      if (!entry) throw refused(404, "NotFound", `No endpoint answers ${request.uri}.`);
      const [, endpoint] = entry;
      const accepted = [endpoint.keys.primaryKey, endpoint.keys.secondaryKey, ...state.tokens];
      if (!accepted.includes(request.credential)) return { status: 401, body: "" };
      const deployment = endpoint.deployments[request.deployment];
      if (!deployment || deployment.provisioningState !== "Succeeded") {
        return { status: 404, body: JSON.stringify({ message: `No deployment '${request.deployment}'.` }) };
      }
      return state.scripts[request.deployment]?.response ?? { status: 200, body: "[11055.97, 4503.27]" };
    });
  }

  async entraToken(): Promise<string> {
    await Promise.resolve();
    return update(undefined, (state) => {
      const token = `entra-token-${state.tokens.length + 1}-4f3e2d1c`;
      state.tokens.push(token);
      return token;
    });
  }
}
