import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import Ajv, { ErrorObject } from "ajv";
import { repositoryRoot } from "../../local/azure/paths";

/*
 * The official schema of azure-pipelines.yml (reference/schemas, draft-07; reference/SOURCES.md)
 * with this project's tasks added: its `task:` list holds only the in-box tasks. Azure reads
 * every scalar as text and converts it where the schema wants a boolean or a number, which ajv's
 * coerceTypes does; its patterns are not valid under the unicode flag; and it uses keywords
 * (ignoreCase, firstProperty…) that ajv's strict mode rejects.
 */

interface TaskJson {
  name: string;
  version: { Major: number };
  inputs?: Array<{ name: string; aliases?: string[]; required?: boolean }>;
}

interface SchemaNode {
  definitions: Record<string, { anyOf?: unknown[] } & Record<string, unknown>>;
}

function ourTasks(root: string): unknown[] {
  const tasksDir = join(root, "tasks");
  return readdirSync(tasksDir)
    .filter((folder) => existsSync(join(tasksDir, folder, "task.json")))
    .map((folder) => {
      const task = JSON.parse(readFileSync(join(tasksDir, folder, "task.json"), "utf8")) as TaskJson;
      const inputs: Record<string, unknown> = {};
      for (const input of task.inputs ?? []) for (const name of [input.name, ...(input.aliases ?? [])]) inputs[name] = { type: "string" };
      return {
        properties: {
          task: { pattern: `^${task.name}@${task.version.Major}$` },
          inputs: { properties: inputs, additionalProperties: false },
        },
        required: ["task"],
      };
    });
}

let compiled: ((value: unknown) => boolean) & { errors?: ErrorObject[] | null } = undefined as never;

function validator() {
  if (compiled) return compiled;
  const root = repositoryRoot();
  const schema = JSON.parse(readFileSync(join(root, "reference", "schemas", "azure-pipelines.service-schema.json"), "utf8")) as SchemaNode;
  const task = schema.definitions.task;
  task.anyOf = [...(task.anyOf ?? []), ...ourTasks(root)];
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
