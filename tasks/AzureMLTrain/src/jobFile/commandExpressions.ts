import { YamlField } from "../../../common/src/azureml/yamlFields";
import { quoted } from "../../../common/src/text/printable";

/*
 * `${{ inputs.x }}` and `${{ outputs.y }}` in a command are replaced on the compute at run time
 * (NOTES §3), so a misspelt name only shows up when the job fails in Azure. They are checked
 * here against the declared inputs and outputs instead. `${{ configuration.z }}` is ours: the
 * task replaces it before submitting (configurationSection.ts). Inside `$[[ … ]]`, an input
 * may be absent: Azure drops the whole segment then, so names there are not required to exist.
 */

/** `${{ <expression> }}`, spaces allowed inside the braces. */
export const expressionPattern = /\$\{\{\s*(.*?)\s*\}\}/g;
const optionalSegmentPattern = /\$\[\[(.*?)\]\]/gs;

export interface CommandExpression {
  namespace: "inputs" | "outputs" | "configuration";
  name: string;
  optional: boolean;
}

function parseExpression(field: YamlField, expression: string, optional: boolean): CommandExpression {
  const match = /^(inputs|outputs|configuration)\.([A-Za-z0-9_.-]+)$/.exec(expression);
  if (match === null) {
    throw field.error(
      `uses the expression ${quoted(`\${{${expression}}}`)}, which a command job cannot resolve; use \${{inputs.<name>}}, \${{outputs.<name>}} or \${{configuration.<name>}}.`,
    );
  }
  return { namespace: match[1] as CommandExpression["namespace"], name: match[2], optional };
}

function expressionsIn(field: YamlField, text: string, optional: boolean): CommandExpression[] {
  return [...text.matchAll(expressionPattern)].map((match) => parseExpression(field, match[1], optional));
}

/** Every expression of the command, each checked against `inputs` and `outputs`. */
export function checkCommandExpressions(field: YamlField, command: string, inputs: readonly string[], outputs: readonly string[]): CommandExpression[] {
  const optionalSegments = [...command.matchAll(optionalSegmentPattern)].map((match) => match[1]);
  const required = command.replace(optionalSegmentPattern, " ");
  const expressions = [...expressionsIn(field, required, false), ...optionalSegments.flatMap((segment) => expressionsIn(field, segment, true))];
  for (const expression of expressions) {
    if (expression.optional || expression.namespace === "configuration") continue;
    const declared = expression.namespace === "inputs" ? inputs : outputs;
    if (declared.includes(expression.name)) continue;
    const known = declared.length === 0 ? `the job declares no ${expression.namespace}` : `declared: ${declared.join(", ")}`;
    throw field.error(`uses \${{${expression.namespace}.${expression.name}}}, but '${expression.name}' is not in '${expression.namespace}' (${known}).`);
  }
  return expressions;
}
