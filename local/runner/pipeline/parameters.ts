import { parseNumber } from "./expressions/expressionValues";
import { PipelineError, Where } from "./pipelineError";
import { describeKind, entryOf, isMapping, isSequence, keyText, mapping, MappingNode, PipelineNode, scalar, scalarText, valueOf } from "./yamlNodes";

/*
 * `parameters:` of a pipeline (runtime parameters, given on the command line with --param) and
 * of templates (given by the `parameters:` of the template reference), with their types,
 * defaults and allowed values:
 * https://learn.microsoft.com/azure/devops/pipelines/process/runtime-parameters
 * https://learn.microsoft.com/azure/devops/pipelines/process/templates#parameter-data-types
 */

export const parameterTypes = [
  "string",
  "number",
  "boolean",
  "object",
  "step",
  "stepList",
  "job",
  "jobList",
  "deployment",
  "deploymentList",
  "stage",
  "stageList",
  "stringList",
] as const;
export type ParameterType = (typeof parameterTypes)[number];

export interface ParameterDeclaration {
  name: string;
  /** undefined for the old mapping form (`parameters: { name: default }`), which takes any value. */
  type?: ParameterType;
  default?: PipelineNode;
  values?: PipelineNode[];
  at: Where;
}

const declarationKeys = new Set(["name", "displayName", "type", "default", "values"]);

function text(node: PipelineNode | undefined, what: string, at: Where): string {
  if (!node || node.kind !== "scalar") throw new PipelineError(`${what} must be a plain value`, node?.at ?? at);
  return scalarText(node.value);
}

/** Reads `parameters:` of a pipeline or a template. */
export function readParameterDeclarations(node: PipelineNode | undefined, isTemplate: boolean): ParameterDeclaration[] {
  if (!node || (node.kind === "scalar" && node.value === null)) return [];
  if (isMapping(node)) {
    // The old form: each key a parameter, its value the default, no type.
    return node.entries.map((entry) => ({ name: keyText(entry), default: entry.value, at: entry.key.at }));
  }
  if (!isSequence(node)) throw new PipelineError("'parameters' must be a list of parameters (- name: …, type: …, default: …)", node.at);
  const seen = new Set<string>();
  return node.items.map((item) => {
    if (!isMapping(item)) throw new PipelineError("each entry of 'parameters' must be a mapping with 'name' and 'type'", item.at);
    for (const entry of item.entries) {
      if (!declarationKeys.has(keyText(entry))) {
        throw new PipelineError(`'${keyText(entry)}' is not a property of a parameter (name, displayName, type, default, values)`, entry.key.at);
      }
    }
    const name = text(valueOf(item, "name"), "A parameter's 'name'", item.at);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new PipelineError(`'${name}' is not a valid parameter name (letters, digits and '_')`, item.at);
    if (seen.has(name.toLowerCase())) throw new PipelineError(`the parameter '${name}' is declared twice`, item.at);
    seen.add(name.toLowerCase());
    const typeNode = valueOf(item, "type");
    const typeText = typeNode ? text(typeNode, `The 'type' of parameter '${name}'`, item.at) : "string";
    const type = parameterTypes.find((known) => known.toLowerCase() === typeText.toLowerCase());
    if (!type)
      throw new PipelineError(`the parameter '${name}' has the type '${typeText}', which is not one of ${parameterTypes.join(", ")}`, typeNode?.at ?? item.at);
    if (type === "stringList" && isTemplate)
      throw new PipelineError(`the parameter '${name}': 'stringList' is only for pipeline parameters; templates use 'object'`, item.at);
    const values = valueOf(item, "values");
    if (values && !isSequence(values)) throw new PipelineError(`the 'values' of parameter '${name}' must be a list`, values.at);
    return { name, type, default: valueOf(item, "default"), values: values && isSequence(values) ? values.items : undefined, at: item.at };
  });
}

function expectShape(declaration: ParameterDeclaration, value: PipelineNode, shape: "mapping" | "sequence"): void {
  const ok = shape === "mapping" ? isMapping(value) : isSequence(value) && value.items.every(isMapping);
  if (!ok) {
    throw new PipelineError(
      `the parameter '${declaration.name}' of type ${declaration.type} needs ${shape === "mapping" ? "a mapping" : "a list of mappings"}, not ${describeKind(value)}`,
      value.at,
    );
  }
}

/** The value converted to the declared type, or an error naming the parameter. */
function typed(declaration: ParameterDeclaration, value: PipelineNode): PipelineNode {
  const { name, type } = declaration;
  const needScalar = (): string => {
    if (value.kind !== "scalar") throw new PipelineError(`the parameter '${name}' of type ${type} needs a single value, not ${describeKind(value)}`, value.at);
    return scalarText(value.value);
  };
  switch (type) {
    case undefined:
    case "object":
      return value;
    case "string":
      return scalar(needScalar(), value.at);
    case "number": {
      const number = value.kind === "scalar" && typeof value.value === "number" ? value.value : parseNumber(needScalar());
      if (Number.isNaN(number)) throw new PipelineError(`the parameter '${name}' is a number; '${needScalar()}' is not one`, value.at);
      return scalar(number, value.at);
    }
    case "boolean": {
      if (value.kind === "scalar" && typeof value.value === "boolean") return value;
      const given = needScalar().toLowerCase();
      if (given !== "true" && given !== "false")
        throw new PipelineError(`the parameter '${name}' is a boolean; '${needScalar()}' is neither true nor false`, value.at);
      return scalar(given === "true", value.at);
    }
    case "step":
    case "job":
    case "deployment":
    case "stage":
      expectShape(declaration, value, "mapping");
      return value;
    case "stepList":
    case "jobList":
    case "deploymentList":
    case "stageList":
      if (value.kind === "scalar" && value.value === null) return { kind: "sequence", items: [], at: value.at };
      expectShape(declaration, value, "sequence");
      return value;
    case "stringList":
      if (value.kind === "scalar") return { kind: "sequence", items: [scalar(needScalar(), value.at)], at: value.at };
      if (!isSequence(value) || !value.items.every((item) => item.kind === "scalar")) {
        throw new PipelineError(`the parameter '${name}' of type stringList needs a list of values`, value.at);
      }
      return value;
  }
}

function checkAllowed(declaration: ParameterDeclaration, value: PipelineNode): void {
  if (!declaration.values) return;
  const allowed = declaration.values.map((item) => (item.kind === "scalar" ? scalarText(item.value) : ""));
  const given = value.kind === "sequence" ? value.items : [value];
  for (const item of given) {
    const itemText = item.kind === "scalar" ? scalarText(item.value) : undefined;
    const matches = itemText !== undefined && allowed.some((option) => option.toLowerCase() === itemText.toLowerCase());
    if (!matches) {
      throw new PipelineError(
        `the parameter '${declaration.name}' may only be ${allowed.map((option) => `'${option}'`).join(", ")}; '${itemText ?? describeKind(item)}' is not allowed`,
        item.at,
      );
    }
  }
}

/**
 * The `parameters` context: every declared parameter with its given value or its default,
 * converted to its type. An unknown given name and a missing required value are errors, as
 * when Azure Pipelines compiles the pipeline. `at` is where the values are given.
 */
export function bindParameters(declarations: ParameterDeclaration[], given: MappingNode | undefined, at: Where, what: string): MappingNode {
  for (const entry of given?.entries ?? []) {
    const name = keyText(entry);
    if (!declarations.some((declaration) => declaration.name.toLowerCase() === name.toLowerCase())) {
      const known = declarations.map((declaration) => declaration.name).join(", ");
      throw new PipelineError(`${what} has no parameter '${name}'${known ? ` (it has ${known})` : " (it declares none)"}`, entry.key.at);
    }
  }
  const bound = declarations.map((declaration) => {
    const supplied = given?.entries.find((entry) => keyText(entry).toLowerCase() === declaration.name.toLowerCase())?.value;
    const value = supplied ?? declaration.default;
    if (value === undefined)
      throw new PipelineError(`${what}: a value for the parameter '${declaration.name}' must be provided (it has no default)`, given?.at ?? at);
    const converted = typed(declaration, value);
    checkAllowed(declaration, converted);
    return { key: scalar(declaration.name, declaration.at), value: converted };
  });
  return mapping(bound, at);
}

/** `parameters:` given to a template reference: a mapping, or nothing. */
export function givenParameters(reference: MappingNode): MappingNode | undefined {
  const entry = entryOf(reference, "parameters");
  if (!entry || (entry.value.kind === "scalar" && entry.value.value === null)) return undefined;
  if (!isMapping(entry.value)) throw new PipelineError("the 'parameters' of a template reference must be a mapping of names to values", entry.value.at);
  return entry.value;
}
