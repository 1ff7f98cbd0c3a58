import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";
import * as yaml from "js-yaml";
import { keyText, type PipelineNode } from "../../../local/runner/pipeline/yamlNodes";
import { projectRoot, readTaskJson, taskFolders } from "../packaging/project";

/*
 * The official Azure Pipelines schema (reference/schemas/azure-pipelines.service-schema.json),
 * with our own tasks added: the schema lists Microsoft's tasks only, so each of ours becomes one
 * more `task` alternative built from its task.json (name@major, and exactly its inputs and
 * aliases), which also catches a misspelled input.
 */

type JsonSchema = Record<string, unknown>;

interface TaskDefinition {
  properties: { task: { anyOf: JsonSchema[] } };
  anyOf: JsonSchema[];
}

/** Our tasks the way the schema writes Microsoft's: the name among the known ones, and one alternative each for its inputs. */
function addOurTasks(task: TaskDefinition): void {
  for (const folder of taskFolders()) {
    const taskJson = readTaskJson(folder);
    const reference = `${taskJson.name}@${taskJson.version.Major}`;
    const inputNames = (taskJson.inputs ?? []).flatMap((input) => [input.name, ...(input.aliases ?? [])]);
    task.properties.task.anyOf.push({ enum: [reference] });
    task.anyOf.push({
      properties: {
        task: { pattern: `^${reference}$` },
        inputs: { type: "object", properties: Object.fromEntries(inputNames.map((name) => [name, { type: "string" }])), additionalProperties: false },
      },
      required: ["task"],
    });
  }
}

function schemaWithOurTasks(): JsonSchema {
  const schema = JSON.parse(readFileSync(join(projectRoot, "reference", "schemas", "azure-pipelines.service-schema.json"), "utf8")) as {
    definitions: { task: TaskDefinition };
  };
  addOurTasks(schema.definitions.task);
  return schema;
}

let ajv: Ajv | undefined;

/** A validator for the whole pipeline (no definition) or one of the schema's definitions (`stepsTemplate`…). */
export function pipelineValidator(definition?: string): ValidateFunction {
  if (!ajv) {
    // Its patterns are not valid under the unicode flag, and it uses keywords strict mode rejects.
    ajv = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true });
    ajv.addSchema(schemaWithOurTasks(), "pipeline");
  }
  const validate = ajv.getSchema(definition ? `pipeline#/definitions/${definition}` : "pipeline");
  if (!validate) throw new Error(`No definition '${definition}' in the pipeline schema`);
  return validate;
}

/** Azure Pipelines reads every scalar as a string, and the schema is written that way. */
export function loadPipelineYaml(file: string): unknown {
  return yaml.load(readFileSync(file, "utf8"), { schema: yaml.FAILSAFE_SCHEMA });
}

/** The errors worth reading: anyOf alternatives that failed for unrelated reasons are noise. */
export function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? ""} ${JSON.stringify(error.params)}`).join("\n");
}

/** A pipeline expanded by the local runner as Azure's parser hands it to the schema: every scalar text. */
export function asSchemaSees(node: PipelineNode): unknown {
  if (node.kind === "scalar") return node.value === null ? "" : String(node.value);
  if (node.kind === "sequence") return node.items.map(asSchemaSees);
  return Object.fromEntries(node.entries.map((entry) => [keyText(entry), asSchemaSees(entry.value)]));
}
