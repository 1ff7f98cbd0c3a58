import { LocalAzureConnection } from "./connection/connectionInfo";

/**
 * The environment for a child process (a task, a test client) that talks to the local Azure:
 * the caller's environment plus NODE_EXTRA_CA_CERTS and the *.localhost preload, appended to
 * any NODE_OPTIONS already set.
 */
export function clientProcessEnvironment(connection: LocalAzureConnection, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...base };
  for (const [name, value] of Object.entries(connection.clientEnvironment)) {
    environment[name] = name === "NODE_OPTIONS" && base.NODE_OPTIONS ? `${base.NODE_OPTIONS} ${value}` : value;
  }
  return environment;
}
