/*
 * The Mustache the Azure DevOps server applies to a data source binding's templates, for the
 * subset our bindings use (and in-box tasks use the same way):
 *
 * - `{{{path}}}` inserts a value as is, `{{path}}` HTML-escaped (Mustache's rule); a dotted path
 *   walks into objects (`endpoint.url`, `properties.computeType`); a missing value is empty;
 * - `{{isTokenPresent path}}` is `true` when the value at the path is a non-empty string, else
 *   `false` (the paging test of callbackRequiredTemplate);
 * - `{{#getTokenValue path}}…{{/getTokenValue}}` renders its block with the value at the path
 *   (a URL, e.g. `response.nextLink`) as the block's context, empty when there is none;
 * - `{{extractUrlQueryParameter %24skip}}`, inside such a block, is the named query parameter of
 *   that URL (the name URL-encoded in the template, `%24skip` for `$skip`), as it is written in
 *   the URL, so that it goes back into the next request's URL unchanged.
 *
 * Sources: Microsoft's data source authoring guide (microsoft/azure-pipelines-extensions,
 * docs/authoring/endpoints/dataSources.md: "The template essentially is a Mustache template"), and
 * the paging bindings of in-box tasks, which are the only documentation of the helpers
 * (microsoft/azure-pipelines-tasks, Tasks/AzureResourceManagerTemplateDeploymentV3/task.json,
 * Tasks/HelmDeployV1/task.json). Anything else (other helpers, plain sections) is refused here
 * rather than guessed.
 */

type Context = Record<string, unknown>;

interface Text {
  kind: "text";
  text: string;
}
interface Tag {
  kind: "tag";
  expression: string;
  raw: boolean;
}
interface Section {
  kind: "section";
  helper: string;
  argument: string;
  children: Node[];
}
type Node = Text | Tag | Section;

const TAG = /\{\{\{\s*([^}]*?)\s*\}\}\}|\{\{\s*([^}]*?)\s*\}\}/g;

function parse(template: string): Node[] {
  const root: Node[] = [];
  const stack: { section?: Section; nodes: Node[] }[] = [{ nodes: root }];
  let last = 0;
  for (const match of template.matchAll(TAG)) {
    const top = stack[stack.length - 1];
    if (match.index > last) top.nodes.push({ kind: "text", text: template.slice(last, match.index) });
    last = match.index + match[0].length;
    const raw = match[1] !== undefined;
    const expression = (match[1] ?? match[2]).trim();
    if (expression.startsWith("#")) {
      const [helper, ...rest] = expression.slice(1).trim().split(/\s+/);
      const section: Section = { kind: "section", helper, argument: rest.join(" "), children: [] };
      top.nodes.push(section);
      stack.push({ section, nodes: section.children });
    } else if (expression.startsWith("/")) {
      const name = expression.slice(1).trim();
      if (stack.length === 1 || top.section?.helper !== name) throw new Error(`template: {{/${name}}} closes no open {{#${name}}}`);
      stack.pop();
    } else {
      top.nodes.push({ kind: "tag", expression, raw });
    }
  }
  if (stack.length > 1) throw new Error(`template: {{#${stack[stack.length - 1].section?.helper}}} is never closed`);
  if (last < template.length) root.push({ kind: "text", text: template.slice(last) });
  return root;
}

function lookup(context: unknown, path: string): unknown {
  if (path === ".") return context;
  return path.split(".").reduce<unknown>((value, key) => (value !== null && typeof value === "object" ? (value as Context)[key] : undefined), context);
}

const asText = (value: unknown): string => (value === undefined || value === null ? "" : typeof value === "string" ? value : JSON.stringify(value));
const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char);

/** The value of query parameter `name` in `url`, as written there (still URL-encoded); empty when absent. */
function queryParameter(url: string, encodedName: string): string {
  const name = decodeURIComponent(encodedName);
  const query = url.includes("?") ? url.slice(url.indexOf("?") + 1) : "";
  for (const pair of query.split("&")) {
    const separator = pair.indexOf("=");
    const key = separator < 0 ? pair : pair.slice(0, separator);
    if (decodeURIComponent(key) === name) return separator < 0 ? "" : pair.slice(separator + 1);
  }
  return "";
}

function renderNodes(nodes: Node[], context: unknown): string {
  return nodes
    .map((node) => {
      if (node.kind === "text") return node.text;
      if (node.kind === "section") {
        if (node.helper !== "getTokenValue") throw new Error(`template: section {{#${node.helper}}} is not supported`);
        const token = lookup(context, node.argument);
        return typeof token === "string" && token ? renderNodes(node.children, token) : "";
      }
      const [first, ...rest] = node.expression.split(/\s+/);
      if (rest.length > 0) {
        if (first === "isTokenPresent") {
          const token = lookup(context, rest.join(" "));
          return typeof token === "string" && token !== "" ? "true" : "false";
        }
        if (first === "extractUrlQueryParameter") return queryParameter(asText(context), rest.join(" "));
        throw new Error(`template: helper '${first}' is not supported`);
      }
      const text = asText(lookup(context, first));
      return node.raw ? text : escapeHtml(text);
    })
    .join("");
}

/** Renders a template with the given context (see the rules above). */
export function renderTemplate(template: string, context: unknown): string {
  return renderNodes(parse(template), context);
}
