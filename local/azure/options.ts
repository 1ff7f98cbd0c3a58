import { FaultSettings } from "./faults/faultRules";
import { ScopedWorkspace } from "./identity/directory";
import { Logger } from "./logging";

export interface LocalAzureOptions {
  /** Where everything is kept across restarts: identities, resources, Azurite's data, logs, connection.json. */
  stateDir: string;
  /** 0 (the default) takes any free port. */
  port?: number;
  /** Lifetime of access tokens; short values exercise token renewal. Default 3600. */
  tokenLifetimeSeconds?: number;
  /** Validate every ARM request and response against the swagger (default true). */
  strict?: boolean;
  faults?: FaultSettings;
  /** How long a long-running operation takes before it succeeds. Default 2. */
  provisioningSeconds?: number;
  /** Retry-After sent with long-running operations. Default 1. */
  retryAfterSeconds?: number;
  /** The workspace the "workspace-scoped" service principal is Contributor on. */
  scopedWorkspace?: ScopedWorkspace;
  /** Location used in connection.json as the default region. */
  location?: string;
  /** Echo the log to the console (the CLI does). */
  echoLog?: boolean;
  /** Replaces the file logger, e.g. to collect lines in a test. */
  logger?: Logger;
  /** The Python jobs run with (path or command); default LOCAL_AZURE_PYTHON, else one found (preferring one with scikit-learn). */
  python?: string;
}

export interface ResolvedOptions {
  stateDir: string;
  port: number;
  tokenLifetimeSeconds: number;
  strict: boolean;
  faults: FaultSettings | undefined;
  provisioningSeconds: number;
  retryAfterSeconds: number;
  scopedWorkspace: ScopedWorkspace | undefined;
  location: string;
  echoLog: boolean;
  python: string | undefined;
}

export function resolveOptions(options: LocalAzureOptions): ResolvedOptions {
  return {
    stateDir: options.stateDir,
    port: options.port ?? 0,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    strict: options.strict ?? true,
    faults: options.faults,
    provisioningSeconds: options.provisioningSeconds ?? 2,
    retryAfterSeconds: options.retryAfterSeconds ?? 1,
    scopedWorkspace: options.scopedWorkspace,
    location: options.location ?? "westeurope",
    echoLog: options.echoLog ?? false,
    python: options.python,
  };
}

/** `RESOURCE_GROUP/WORKSPACE`, as the command lines take the workspace the scoped principal may touch. */
export function parseScopedWorkspace(text: string): ScopedWorkspace {
  const [resourceGroupName, workspaceName] = text.split("/");
  if (!resourceGroupName || !workspaceName) throw new Error("--scoped-workspace needs RESOURCE_GROUP/WORKSPACE");
  return { resourceGroupName, workspaceName };
}
