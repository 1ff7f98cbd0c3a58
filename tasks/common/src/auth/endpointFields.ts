import * as taskLibInternal from "azure-pipelines-task-lib/internal";
import * as tl from "azure-pipelines-task-lib/task";

/**
 * One service endpoint's fields, read the way the agent hands them to a task
 * (ENDPOINT_URL_<id>, ENDPOINT_AUTH_<id>, ENDPOINT_AUTH_PARAMETER_<id>_<KEY>,
 * ENDPOINT_DATA_<id>_<KEY>). Blank values count as absent.
 */
export class EndpointFields {
  constructor(readonly id: string) {}

  url(): string | undefined {
    return present(tl.getEndpointUrl(this.id, true));
  }

  scheme(): string | undefined {
    return present(tl.getEndpointAuthorizationScheme(this.id, true));
  }

  authParameter(key: string): string | undefined {
    return present(tl.getEndpointAuthorizationParameter(this.id, key, true));
  }

  /**
   * A secret authorization parameter, read without printing it: task-lib's parameter getter
   * writes the value to the debug log before the caller has had a chance to mask it, and the
   * agent masks a multi-line value (a PEM) only whole, never line by line. So it comes from the
   * ENDPOINT_AUTH_<id> JSON, else from task-lib's vault, where task-lib keeps the
   * ENDPOINT_AUTH_PARAMETER_<id>_<KEY> variable (the getter minus its debug line).
   */
  secretAuthParameter(key: string): string | undefined {
    const parameters = this.authorization()?.parameters;
    if (!parameters) return present(taskLibInternal._vault.retrieveSecret(`ENDPOINT_AUTH_PARAMETER_${this.id}_${key.toUpperCase()}`));
    const name = Object.keys(parameters).find((candidate) => candidate.toLowerCase() === key.toLowerCase());
    return name === undefined ? undefined : present(parameters[name]);
  }

  // task-lib's error for a malformed ENDPOINT_AUTH_<id> quotes the whole value, secrets included.
  private authorization(): tl.EndpointAuthorization | undefined {
    try {
      return tl.getEndpointAuthorization(this.id, true);
    } catch {
      throw new Error(`The agent gave service connection '${this.id}' an authorization (ENDPOINT_AUTH_${this.id}) that is not valid JSON.`);
    }
  }

  data(key: string): string | undefined {
    return present(tl.getEndpointDataParameter(this.id, key, true));
  }
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
