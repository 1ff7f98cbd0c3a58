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

function replaceEnvironment(values: NodeJS.ProcessEnv): void {
  for (const name of Object.keys(process.env)) delete process.env[name];
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) process.env[name] = value;
  }
}
