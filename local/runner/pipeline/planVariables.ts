import { PipelineError } from "./pipelineError";
import { VariableEntry } from "./planTypes";
import { describeKind, isMapping, isSequence, keyText, PipelineNode, scalarText, valueOf } from "./yamlNodes";

/*
 * `variables:` in its two forms: a mapping of names to values, or a list of `- name/value`
 * (with `readonly`) and `- group`; variable templates are already expanded into the list.
 * https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/variables
 */

const variableName = /^[A-Za-z0-9_.\-\s]+$/;

function checkVariableName(name: string, node: PipelineNode): string {
  if (!variableName.test(name) || name.trim() === "") {
    throw new PipelineError(`'${name}' is not a valid variable name: use letters, digits, '.' and '_'`, node.at);
  }
  return name;
}

function valueText(node: PipelineNode | undefined, name: string): string {
  if (!node) return "";
  if (node.kind !== "scalar") throw new PipelineError(`the variable '${name}' must have a single value, not ${describeKind(node)}`, node.at);
  return scalarText(node.value);
}

export function readVariables(node: PipelineNode | undefined): VariableEntry[] {
  if (!node || (node.kind === "scalar" && node.value === null)) return [];
  if (isMapping(node)) {
    return node.entries.map((entry) => ({
      kind: "variable",
      name: checkVariableName(keyText(entry), entry.key),
      value: valueText(entry.value, keyText(entry)),
      readonly: false,
      at: entry.key.at,
    }));
  }
  if (!isSequence(node)) throw new PipelineError("'variables' must be a mapping (name: value) or a list (- name: / value:, - group:, - template:)", node.at);
  return node.items.map((item): VariableEntry => {
    if (!isMapping(item)) throw new PipelineError("each entry of 'variables' must be '- name: … value: …', '- group: …' or '- template: …'", item.at);
    const keys = item.entries.map(keyText);
    if (keys.includes("group")) {
      const extra = keys.filter((key) => key !== "group");
      if (extra.length > 0) throw new PipelineError(`a variable group entry takes only 'group', not '${extra[0]}'`, item.at);
      return { kind: "group", name: valueText(valueOf(item, "group"), "group"), at: item.at };
    }
    const extra = keys.filter((key) => !["name", "value", "readonly"].includes(key));
    if (extra.length > 0) throw new PipelineError(`'${extra[0]}' is not a property of a variable (name, value, readonly)`, item.at);
    const nameNode = valueOf(item, "name");
    if (!nameNode) throw new PipelineError("a variable needs 'name'", item.at);
    const name = checkVariableName(valueText(nameNode, "name"), nameNode);
    const readonlyNode = valueOf(item, "readonly");
    const readonlyText = readonlyNode ? valueText(readonlyNode, name).toLowerCase() : "false";
    return { kind: "variable", name, value: valueText(valueOf(item, "value"), name), readonly: readonlyText === "true", at: item.at };
  });
}
