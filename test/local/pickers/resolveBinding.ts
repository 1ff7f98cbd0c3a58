import type { DataSourceBinding } from "../../unit/packaging/project";
import { selectJsonPath } from "./jsonPath";
import { renderTemplate } from "./mustache";

/*
 * A data source binding resolved the way the Azure DevOps server resolves it when the classic
 * editor opens a pick list (the endpoint proxy, POST _apis/serviceendpoint/endpointproxy):
 *
 * 1. `$(name)` in the URL, the parameters and the selector is the current value of the task's input
 *    `name` (empty when it has none): "URL can also include variables that correspond to other
 *    task inputs" (microsoft/azure-pipelines-extensions, docs/authoring/endpoints/dataSources.md);
 * 2. the result is a Mustache template (./mustache.ts) over `endpoint.url` and `endpoint.<data>`
 *    (the connection's URL, `https://management.azure.com/` with its slash for AzureRM, and its
 *    data such as `subscriptionId`), the binding's parameters, and the paging context;
 * 3. the paging context starts as initialContextTemplate; after each response, while
 *    callbackRequiredTemplate renders `true` over `{ response }`, callbackContextTemplate over
 *    `{ response }` gives the next context and the URL is called again;
 * 4. resultSelector (`jsonpath:…`, ./jsonPath.ts) picks the items of each response, and
 *    resultTemplate, rendered over each item, gives its `{ "Value", "DisplayValue" }`.
 */

export interface PickerEndpoint {
  /** The service connection's URL as the server holds it. */
  url: string;
  /** Its data (`subscriptionId`…), as `endpoint.<name>` in templates. */
  data: Record<string, string>;
}

export interface PickerItem {
  Value: string;
  DisplayValue: string;
}

export type PickerFetch = (url: string) => Promise<{ status: number; body: unknown }>;

export interface PickerRequest {
  /** The task's input values as the editor holds them. */
  inputs: Record<string, string>;
  endpoint: PickerEndpoint;
  fetch: PickerFetch;
  /** A list longer than this many pages is an error (a paging template that never stops). */
  maxPages?: number;
}

/** `$(name)` replaced by the input's value, names compared without case as the agent and server do. */
export function substituteInputs(text: string, inputs: Record<string, string>): string {
  const byName = new Map(Object.entries(inputs).map(([name, value]) => [name.toLowerCase(), value]));
  return text.replace(/\$\(([^)]+)\)/g, (_whole, name: string) => byName.get(name.trim().toLowerCase()) ?? "");
}

function parseContext(text: string, template: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`the template ${template} gives ${JSON.stringify(text)}, which is not JSON`);
  }
}

function item(element: unknown, template: string | undefined): PickerItem {
  if (!template) return { Value: String(element), DisplayValue: String(element) };
  const rendered = renderTemplate(template, element);
  const parsed = parseContext(rendered, "resultTemplate") as Partial<PickerItem>;
  if (typeof parsed.Value !== "string" || typeof parsed.DisplayValue !== "string")
    throw new Error(`resultTemplate gives ${rendered}, not { Value, DisplayValue }`);
  return { Value: parsed.Value, DisplayValue: parsed.DisplayValue };
}

/** The items the pick list shows, and the URLs called for them. */
export async function resolveBinding(binding: DataSourceBinding, request: PickerRequest): Promise<{ items: PickerItem[]; urls: string[] }> {
  if (!binding.endpointUrl) throw new Error(`binding for '${binding.target}' names no endpointUrl (named data sources are not resolved here)`);
  const parameters = Object.fromEntries(Object.entries(binding.parameters ?? {}).map(([name, value]) => [name, substituteInputs(value, request.inputs)]));
  const endpoint = { url: request.endpoint.url, ...request.endpoint.data };
  const selector = binding.resultSelector ? renderTemplate(substituteInputs(binding.resultSelector, request.inputs), parameters) : undefined;
  if (selector !== undefined && !selector.startsWith("jsonpath:")) throw new Error(`resultSelector ${selector} is not jsonpath:`);
  let context = binding.initialContextTemplate
    ? parseContext(renderTemplate(substituteInputs(binding.initialContextTemplate, request.inputs), { ...parameters, endpoint }), "initialContextTemplate")
    : {};
  const items: PickerItem[] = [];
  const urls: string[] = [];
  for (let page = 1; ; page++) {
    if (page > (request.maxPages ?? 20)) throw new Error(`binding for '${binding.target}' still asks for another page after ${request.maxPages ?? 20}`);
    const url = renderTemplate(substituteInputs(binding.endpointUrl, request.inputs), { ...parameters, ...context, endpoint });
    urls.push(url);
    const response = await request.fetch(url);
    if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${JSON.stringify(response.body)}`);
    const selected = selector ? selectJsonPath(response.body, selector.slice("jsonpath:".length)) : [response.body].flat();
    items.push(...selected.map((element) => item(element, binding.resultTemplate)));
    const more = binding.callbackRequiredTemplate ? renderTemplate(binding.callbackRequiredTemplate, { response: response.body }).trim() : "false";
    if (more !== "true") break;
    if (!binding.callbackContextTemplate) throw new Error(`binding for '${binding.target}' asks for another page but has no callbackContextTemplate`);
    context = parseContext(renderTemplate(binding.callbackContextTemplate, { response: response.body }), "callbackContextTemplate");
  }
  return { items, urls };
}
