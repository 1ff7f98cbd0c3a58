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
   * A secret authorization parameter. It is read from the ENDPOINT_AUTH_<id> JSON when the
   * agent gave it, because task-lib's parameter getter writes the value to the debug log
   * before the caller has had a chance to mask it.
   */
  secretAuthParameter(key: string): string | undefined {
    const parameters = tl.getEndpointAuthorization(this.id, true)?.parameters;
    if (!parameters) return this.authParameter(key);
    const name = Object.keys(parameters).find((candidate) => candidate.toLowerCase() === key.toLowerCase());
    return name === undefined ? undefined : present(parameters[name]);
  }

  data(key: string): string | undefined {
    return present(tl.getEndpointDataParameter(this.id, key, true));
  }
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}
