/**
 * The environment through which the Azure Pipelines agent hands a task its inputs, variables
 * and service connections.
 */
export interface AgentEndpoint {
  id: string;
  url: string;
  scheme: string;
  parameters: Record<string, string>;
  data: Record<string, string>;
}

/** `ENDPOINT_URL_<id>`, `ENDPOINT_AUTH_<id>` (JSON), `ENDPOINT_AUTH_SCHEME_<id>`, `ENDPOINT_AUTH_PARAMETER_<id>_<KEY>`, `ENDPOINT_DATA_<id>_<KEY>`. */
export function endpointEnvironment(endpoint: AgentEndpoint): Record<string, string> {
  const env: Record<string, string> = {
    [`ENDPOINT_URL_${endpoint.id}`]: endpoint.url,
    [`ENDPOINT_AUTH_${endpoint.id}`]: JSON.stringify({ scheme: endpoint.scheme, parameters: endpoint.parameters }),
    [`ENDPOINT_AUTH_SCHEME_${endpoint.id}`]: endpoint.scheme,
  };
  for (const [key, value] of Object.entries(endpoint.parameters)) {
    env[`ENDPOINT_AUTH_PARAMETER_${endpoint.id}_${key.toUpperCase()}`] = value;
  }
  for (const [key, value] of Object.entries(endpoint.data)) {
    env[`ENDPOINT_DATA_${endpoint.id}_${key.toUpperCase()}`] = value;
  }
  return env;
}

/** A pipeline variable as the agent exposes it: upper case, '.' and ' ' as '_'; secrets as SECRET_. */
export function variableEnvironmentName(name: string, secret = false): string {
  return `${secret ? "SECRET_" : ""}${name.replace(/[.\s]/g, "_").toUpperCase()}`;
}

/** An input as the agent exposes it: `INPUT_<NAME>`, with spaces as '_'. */
export function inputEnvironmentName(name: string): string {
  return `INPUT_${name.replace(/\s/g, "_").toUpperCase()}`;
}

/**
 * Variables of the host a process needs to run at all (find programs, a home and a temp folder,
 * a locale, Windows' system folders), matched in any case. Nothing an agent, a pipeline or a
 * developer's shell adds (pipeline variables, inputs, endpoints, proxies, CA files) passes.
 */
const hostEssentials = new Set([
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "LANG",
  "LC_ALL",
  "LC_CTYPE",
  "TZ",
  "TMPDIR",
  "TMP",
  "TEMP",
  "SYSTEMROOT",
  "SYSTEMDRIVE",
  "WINDIR",
  "COMSPEC",
  "PATHEXT",
  "USERPROFILE",
  "HOMEDRIVE",
  "HOMEPATH",
  "APPDATA",
  "LOCALAPPDATA",
  "PROGRAMDATA",
]);

/**
 * The environment an agent starts a task with before it adds the job's variables, inputs and
 * endpoints: only the host's essentials, taken from `source` (this process's environment by
 * default). The caller's pipeline-like variables never leak into the task.
 */
export function hostEnvironment(source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && hostEssentials.has(name.toUpperCase())) environment[name] = value;
  }
  return environment;
}

/** Names an agent or a pipeline sets, which a script must get from the job, not from the caller. */
const agentNames = /^(AGENT|SYSTEM|BUILD|RELEASE|PIPELINE|ENDPOINT|INPUT|SECRET|SECUREFILE|TF_BUILD|ENVIRONMENT_|STRATEGY_|COMMON_)/i;

/**
 * The environment a self-hosted agent starts a script with before it adds the job's variables:
 * the machine's own (tools, virtual environments, PATH), without anything an agent or a pipeline
 * would set, so that the caller's shell cannot pose as the job.
 */
export function scriptHostEnvironment(source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value !== undefined && !agentNames.test(name)) environment[name] = value;
  }
  return environment;
}
