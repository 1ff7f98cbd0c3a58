import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import Ajv, { ErrorObject } from "ajv";
import { repositoryRoot } from "../../local/azure/paths";

/*
 * The official schema of azure-pipelines.yml (reference/schemas, draft-07; reference/SOURCES.md)
 * with this project's tasks added: its `task:` list holds only the in-box tasks. Azure reads
 * every scalar as text and converts it where the schema wants a boolean or a number, which ajv's
 * coerceTypes does; its patterns are not valid under the unicode flag; and it uses keywords
 * (ignoreCase, firstProperty…) that ajv's strict mode rejects. A task input's `aliases` (its
 * other names, which the editor's validation accepts) become properties of their own.
 */

interface TaskJson {
  name: string;
  version: { Major: number };
  inputs?: Array<{ name: string; aliases?: string[]; required?: boolean }>;
}

interface InputsSchema {
  properties?: Record<string, { aliases?: string[]; type?: string }>;
}

/** The parts of the schema that list the tasks: the names a step's `task:` may take, and each task's inputs. */
interface SchemaNode {
  definitions: { task: { anyOf: object[]; properties: { task: { anyOf: object[] } } } };
}

function addAliases(schema: SchemaNode): void {
  for (const task of schema.definitions.task.anyOf as Array<{ properties?: { inputs?: InputsSchema } }>) {
    const inputs = task.properties?.inputs?.properties ?? {};
    for (const input of Object.values(inputs)) for (const alias of input.aliases ?? []) inputs[alias] ??= input;
  }
}

function ourTasks(root: string): TaskJson[] {
  const tasksDir = join(root, "tasks");
  return readdirSync(tasksDir)
    .filter((folder) => existsSync(join(tasksDir, folder, "task.json")))
    .map((folder) => JSON.parse(readFileSync(join(tasksDir, folder, "task.json"), "utf8")) as TaskJson);
}

/** Adds a task the way the schema lists the in-box ones. */
function addTask(schema: SchemaNode, task: TaskJson): void {
  const reference = `${task.name}@${task.version.Major}`;
  const inputs: Record<string, { type: string }> = {};
  for (const input of task.inputs ?? []) for (const name of [input.name, ...(input.aliases ?? [])]) inputs[name] = { type: "string" };
  schema.definitions.task.properties.task.anyOf.push({ enum: [reference] });
  schema.definitions.task.anyOf.push({
    properties: { task: { pattern: `^${reference}$` }, inputs: { properties: inputs, additionalProperties: false } },
    required: ["task"],
  });
}

type Validate = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };
let compiled: Validate | undefined;

function validator(): Validate {
  if (compiled) return compiled;
  const root = repositoryRoot();
  const schema = JSON.parse(readFileSync(join(root, "reference", "schemas", "azure-pipelines.service-schema.json"), "utf8")) as SchemaNode;
  addAliases(schema);
  for (const task of ourTasks(root)) addTask(schema, task);
  compiled = new Ajv({ strict: false, unicodeRegExp: false, allErrors: false, coerceTypes: true }).compile(schema);
  return compiled;
}

/** The schema's complaints about a pipeline (a plain value, as YAML loads it); [] when it is valid. */
export function pipelineSchemaErrors(pipeline: unknown): string[] {
  const validate = validator();
  // coerceTypes converts in place: validate a copy.
  if (validate(structuredClone(pipeline))) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? ""} ${JSON.stringify(error.params)}`);
}
