import { evaluateExpression, ExpressionContext } from "./expressions/evaluateExpression";
import { ExpressionValue, requireText } from "./expressions/expressionValues";
import { PipelineError } from "./pipelineError";
import { PipelineNode, scalar, ScalarNode, sequence } from "./yamlNodes";

/*
 * `${{ }}` in a value or a key, evaluated while the pipeline is expanded (compile time):
 * https://learn.microsoft.com/azure/devops/pipelines/process/template-expressions
 * A value that is one whole expression takes the expression's value (a mapping, a list, a
 * boolean…); an expression inside other text is converted to text.
 */

export interface TemplateExpressionPart {
  start: number;
  end: number;
  /** The text between `${{` and `}}`. */
  expression: string;
}

/** The `${{ … }}` spans of a text; `}}` inside a quoted string does not close one. */
export function findTemplateExpressions(text: string): TemplateExpressionPart[] {
  const parts: TemplateExpressionPart[] = [];
  let index = text.indexOf("${{");
  while (index >= 0) {
    let cursor = index + 3;
    let inString = false;
    let end = -1;
    while (cursor < text.length) {
      const char = text[cursor];
      if (char === "'") inString = !inString;
      else if (!inString && char === "}" && text[cursor + 1] === "}") {
        end = cursor + 2;
        break;
      }
      cursor++;
    }
    if (end < 0) return [...parts, { start: index, end: text.length, expression: "" }];
    parts.push({ start: index, end, expression: text.slice(index + 3, end - 2) });
    index = text.indexOf("${{", end);
  }
  return parts;
}

export function hasTemplateExpression(text: string): boolean {
  return text.includes("${{");
}

/** A value computed by an expression, as a node of the pipeline. */
export function valueToNode(value: ExpressionValue): PipelineNode {
  if (value.kind === "filtered") return sequence(value.items.map(valueToNode), value.at);
  if (value.kind === "version") return scalar(requireText(value, "the value"), value.at);
  return value;
}

function unclosed(node: ScalarNode): never {
  throw new PipelineError(`'${String(node.value)}' opens a template expression '\${{' that is never closed with '}}'`, node.at);
}

/**
 * Expands the `${{ }}` in a scalar. The node keeps its place; `context.at` should be its place
 * too, so that errors point at it.
 */
export function expandScalar(node: ScalarNode, context: ExpressionContext): PipelineNode {
  if (typeof node.value !== "string" || !hasTemplateExpression(node.value)) return node;
  const text = node.value;
  const parts = findTemplateExpressions(text);
  if (parts.some((part) => part.end === text.length && !text.endsWith("}}"))) unclosed(node);
  if (parts.length === 1 && text.trim() === text.slice(parts[0].start, parts[0].end)) {
    const value = valueToNode(evaluateExpression(parts[0].expression, context, "the template expression"));
    // The value moves to where the expression is written.
    return value.kind === "scalar" ? scalar(value.value, node.at) : value;
  }
  let result = "";
  let last = 0;
  for (const part of parts) {
    const value = evaluateExpression(part.expression, context, "the template expression");
    result += text.slice(last, part.start);
    try {
      result += requireText(value, `'\${{${part.expression}}}'`);
    } catch (error) {
      throw new PipelineError(`${(error as Error).message} It cannot be part of the text '${text}'.`, node.at);
    }
    last = part.end;
  }
  return scalar(result + text.slice(last), node.at);
}

/** The directives a key can hold: `${{ if x }}`, `${{ elseif x }}`, `${{ else }}`, `${{ each v in x }}`, `${{ insert }}`. */
export type Directive =
  { kind: "if" | "elseif"; condition: string } | { kind: "else" } | { kind: "each"; variable: string; collection: string } | { kind: "insert" };

export function directiveOf(key: string): Directive | undefined {
  const match = /^\s*\$\{\{\s*(if|elseif|else|each|insert)\b(.*)\}\}\s*$/s.exec(key);
  if (!match) return undefined;
  const rest = match[2].trim();
  switch (match[1]) {
    case "if":
    case "elseif":
      return { kind: match[1], condition: rest };
    case "else":
      return rest ? undefined : { kind: "else" };
    case "insert":
      return rest ? undefined : { kind: "insert" };
    default: {
      const each = /^([A-Za-z_][A-Za-z0-9_]*)\s+in\s+(.+)$/s.exec(rest);
      return each ? { kind: "each", variable: each[1], collection: each[2] } : undefined;
    }
  }
}
