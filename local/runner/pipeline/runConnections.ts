import { createHash } from "node:crypto";
import { LocalAzure, LocalAzureConnection, readConnectionFile, startLocalAzure } from "../../azure";
import { AgentEndpoint } from "../agentEnvironment";
import { agentServiceConnection, AgentServiceConnection, ConnectionFlavour } from "../serviceConnections";
import { SecretMasker } from "./secretMasker";

/*
 * The Azure Resource Manager service connections a run's task steps name (`azureSubscription:
 * my-connection`): each becomes an endpoint as the agent gives it (the input then holds the
 * endpoint's id), on the local Azure by default, which the run starts the first time a step
 * needs it and stops at the end, or on the Azure a connection file describes (a local Azure
 * already running, or a real subscription's credentials).
 */

export interface ConnectionSettings {
  /** connection.json of an Azure to use instead of starting a local one. */
  connectionFile?: string;
  /** How the connections authenticate, unless `flavours` names one. */
  flavour: ConnectionFlavour;
  /** Per connection name. */
  flavours?: Record<string, ConnectionFlavour>;
  /** The workspace the local Azure's workspace-scoped principal may touch (for the workspaceScoped flavour). */
  scopedWorkspace?: { resourceGroupName: string; workspaceName: string };
  /** Where a local Azure started by the run keeps its state. */
  localAzureStateDir: string;
  /** The Python the local Azure's jobs run with. */
  python?: string;
  /** Told when the local Azure starts and is ready. */
  onNotice(text: string): void;
}

export interface StepConnections {
  /** Connection name → the endpoint id the task's input is given. */
  ids: Map<string, string>;
  endpoints: AgentEndpoint[];
  variables: Record<string, string>;
  /** The client side's environment: the local Azure's CA and resolver, a managed identity's endpoint. */
  environment: Record<string, string>;
}

/** The agent gives tasks the endpoint's GUID; a stable one per connection name reads better in logs. */
function endpointId(name: string): string {
  const hex = createHash("sha256").update(`service-connection:${name}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Local Azures runs have started and not stopped yet, for a stop at once (a second Ctrl+C). */
const started = new Set<LocalAzure>();

/** Stops every local Azure a run started and has not stopped yet. */
export async function stopStartedAzures(): Promise<void> {
  const azures = [...started];
  started.clear();
  await Promise.allSettled(azures.map((azure) => azure.stop()));
}

export class RunConnections {
  private localAzure?: LocalAzure;
  private connection?: Promise<LocalAzureConnection>;

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly masker: SecretMasker,
  ) {}

  private async azure(forName: string): Promise<LocalAzureConnection> {
    this.connection ??= (async () => {
      if (this.settings.connectionFile) {
        const connection = readConnectionFile(this.settings.connectionFile);
        this.settings.onNotice(
          `service connections use ${connection.kind === "local-azure" ? "the local Azure" : "the Azure"} of ${this.settings.connectionFile}`,
        );
        return connection;
      }
      this.settings.onNotice(`starting the local Azure for the service connection '${forName}'…`);
      this.localAzure = await startLocalAzure({
        stateDir: this.settings.localAzureStateDir,
        python: this.settings.python,
        scopedWorkspace: this.settings.scopedWorkspace,
      });
      started.add(this.localAzure);
      this.settings.onNotice(`the local Azure is ready in ${this.localAzure.startupMs} ms at ${this.localAzure.connection.armUrl}`);
      return this.localAzure.connection;
    })();
    return await this.connection;
  }

  /** The endpoints of the connections a step names. */
  async forStep(names: string[]): Promise<StepConnections> {
    const result: StepConnections = { ids: new Map(), endpoints: [], variables: {}, environment: {} };
    for (const name of names) {
      const connection = await this.azure(name);
      const flavour = this.settings.flavours?.[name] ?? this.settings.flavour;
      const service: AgentServiceConnection = agentServiceConnection(connection, flavour, endpointId(name));
      for (const endpoint of service.endpoints) {
        for (const [key, value] of Object.entries(endpoint.parameters)) {
          if (/key|secret|token|certificate/i.test(key)) this.masker.add(value);
        }
        if (!result.endpoints.some((known) => known.id === endpoint.id)) result.endpoints.push(endpoint);
      }
      result.ids.set(name, service.connectionId);
      Object.assign(result.variables, service.variables);
      Object.assign(result.environment, connection.clientEnvironment, service.environment);
    }
    return result;
  }

  async stop(): Promise<void> {
    const azure = this.localAzure;
    this.localAzure = undefined;
    if (!azure) return;
    started.delete(azure);
    await azure.stop();
  }
}
