import * as fs from "node:fs";
import { displayPath, PipelineError } from "./pipelineError";
import { loadPipelineYaml } from "./yamlLoading";
import { describeKind, isMapping, keyText, PipelineNode, scalarText, valueOf } from "./yamlNodes";

/*
 * Variable groups live in the Azure DevOps library; locally they come from a file given with
 * --group-file (JSON or YAML):
 *
 *   my-group:
 *     plainVariable: value
 *     secretVariable: { value: s3cret, isSecret: true }
 */

export interface GroupVariable {
  name: string;
  value: string;
  secret: boolean;
}

export type VariableGroups = ReadonlyMap<string, GroupVariable[]>;

function readVariable(name: string, node: PipelineNode, group: string, file: string): GroupVariable {
  if (node.kind === "scalar") return { name, value: scalarText(node.value), secret: false };
  if (!isMapping(node))
    throw new PipelineError(
      `${displayPath(file)}: the variable '${name}' of group '${group}' must be a value or { value, isSecret }, not ${describeKind(node)}`,
      node.at,
    );
  for (const entry of node.entries) {
    if (!["value", "isSecret"].includes(keyText(entry))) {
      throw new PipelineError(`the variable '${name}' of group '${group}' takes 'value' and 'isSecret', not '${keyText(entry)}'`, entry.key.at);
    }
  }
  const value = valueOf(node, "value");
  const secret = valueOf(node, "isSecret");
  if (value && value.kind !== "scalar") throw new PipelineError(`the value of '${name}' in group '${group}' must be text`, value.at);
  return {
    name,
    value: value?.kind === "scalar" ? scalarText(value.value) : "",
    secret: secret?.kind === "scalar" && scalarText(secret.value).toLowerCase() === "true",
  };
}

export function readVariableGroups(file: string | undefined): VariableGroups {
  const groups = new Map<string, GroupVariable[]>();
  if (!file) return groups;
  if (!fs.existsSync(file)) throw new PipelineError(`--group-file ${displayPath(file)} does not exist.`);
  const root = loadPipelineYaml(file);
  if (!isMapping(root)) throw new PipelineError(`${displayPath(file)} must map each group's name to its variables`, root.at);
  for (const entry of root.entries) {
    const group = keyText(entry);
    if (!isMapping(entry.value)) throw new PipelineError(`the group '${group}' must map variable names to values`, entry.value.at);
    groups.set(
      group.toLowerCase(),
      entry.value.entries.map((variable) => readVariable(keyText(variable), variable.value, group, file)),
    );
  }
  return groups;
}
