import { hostEnvironment } from "../../local/runner/agentEnvironment";

/**
 * Replaces this process's whole environment with the host's essentials (PATH, HOME, a temp
 * folder…) and `values`, and returns a function that puts the previous environment back. A test
 * that runs a task or reads settings starts from what it sets itself: variables of the shell or
 * agent running the tests (NAMESPACE, SYSTEM_OIDCREQUESTURI, AGENT_PROXYURL, HTTPS_PROXY…) are
 * gone until the function is called.
 */
export function withEnvironment(values: Record<string, string>): () => void {
  const previous = { ...process.env };
  replaceEnvironment({ ...hostEnvironment(previous), ...values });
  return () => replaceEnvironment(previous);
}

/** Variables that steer the test run itself: E2E_CONNECTION_FILE (a real subscription), coverage, terminal colours. */
export function isTestControl(name: string): boolean {
  return /^(E2E_\w+|NODE_V8_COVERAGE|FORCE_COLOR|NO_COLOR|TERM|COLORTERM)$/.test(name);
}

function replaceEnvironment(values: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(process.env)) delete process.env[name];
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) process.env[name] = value;
  }
}
