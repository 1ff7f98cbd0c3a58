export type PathParameters = Record<string, string>;

export interface CompiledTemplate {
  readonly template: string;
  readonly segments: readonly string[];
}

export function compileTemplate(template: string): CompiledTemplate {
  return { template, segments: template.split("/").filter((segment) => segment.length > 0) };
}

export function pathSegments(path: string): string[] {
  return path.split("/").filter((segment) => segment.length > 0);
}

/**
 * Matches a swagger-style template ("/subscriptions/{subscriptionId}/…") against a path.
 * Literal segments compare case-insensitively, as ARM does.
 */
export function matchTemplate(compiled: CompiledTemplate, segments: readonly string[]): PathParameters | undefined {
  if (compiled.segments.length !== segments.length) return undefined;
  const parameters: PathParameters = {};
  for (let index = 0; index < segments.length; index++) {
    const expected = compiled.segments[index];
    const actual = segments[index];
    if (expected.startsWith("{") && expected.endsWith("}")) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
      parameters[expected.slice(1, -1)] = decoded;
    } else if (expected.toLowerCase() !== actual.toLowerCase()) {
      return undefined;
    }
  }
  return parameters;
}
