/** A job input's value on the compute: a literal, or the local path of a materialised data input. */
export type JobInputValue = { kind: "literal"; value: string | number | boolean } | { kind: "path"; path: string };

export interface ExpressionValues {
  /** Declared inputs; undefined = an optional input given no value. */
  inputs: Record<string, JobInputValue | undefined>;
  /** Declared outputs and their local folders. */
  outputs: Record<string, string | undefined>;
}

type QuoteState = "none" | "single" | "double";

const expressionPattern = /\$\{\{\s*([^}]*?)\s*\}\}/g;
const optionalPattern = /\$\[\[([\s\S]*?)\]\]/g;
const plainWord = /^[A-Za-z0-9_.,:+=@%/-]+$/;

function lookUp(expression: string, values: ExpressionValues): { declared: boolean; value: string | undefined } {
  const match = /^(inputs|outputs)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression);
  if (!match)
    throw new Error(`The command's expression \${{${expression}}} is not one a command job can use (only \${{inputs.<name>}} and \${{outputs.<name>}}).`);
  const [, kind, name] = match;
  if (kind === "outputs") {
    return { declared: Object.hasOwn(values.outputs, name), value: values.outputs[name] };
  }
  const input = values.inputs[name];
  const value = input === undefined ? undefined : input.kind === "path" ? input.path : String(input.value);
  return { declared: Object.hasOwn(values.inputs, name), value };
}

/** The value written so the shell reads it back exactly, whatever quotes surround it. */
function quoted(value: string, state: QuoteState): string {
  if (state === "single") return value.replace(/'/g, "'\\''");
  if (state === "double") return value.replace(/[\\"$`]/g, "\\$&");
  return plainWord.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/** Drops each `$[[ … ]]` whose inputs or outputs have no value, and unwraps the others. */
function resolveOptionalSegments(command: string, values: ExpressionValues): string {
  return command.replace(optionalPattern, (_segment, inner: string) => {
    for (const [, expression] of inner.matchAll(expressionPattern)) {
      if (lookUp(expression, values).value === undefined) return "";
    }
    return inner;
  });
}

/** The shell's quoting state after reading `text` from `state`. */
function advance(state: QuoteState, text: string): QuoteState {
  let current = state;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (current === "single") {
      if (c === "'") current = "none";
    } else if (c === "\\") {
      i++;
    } else if (c === "'" && current === "none") {
      current = "single";
    } else if (c === '"') {
      current = current === "double" ? "none" : "double";
    }
  }
  return current;
}

/**
 * What the compute does to a command before running it: `$[[ … ]]` segments are dropped when an
 * optional input inside has no value, `${{inputs.x}}` becomes a literal's value or a data input's
 * local path, `${{outputs.y}}` the output's local folder. Values are quoted for where they land
 * (bare, in '…' or in "…") so that no value can change the command's shape.
 */
export function substituteCommand(command: string, values: ExpressionValues): string {
  const withOptionals = resolveOptionalSegments(command, values);
  let result = "";
  let state: QuoteState = "none";
  let last = 0;
  for (const match of withOptionals.matchAll(expressionPattern)) {
    const before = withOptionals.slice(last, match.index);
    state = advance(state, before);
    const { declared, value } = lookUp(match[1], values);
    if (!declared) throw new Error(`The command uses \${{${match[1]}}}, which the job does not declare.`);
    if (value === undefined)
      throw new Error(`The command uses \${{${match[1]}}}, which has no value; wrap it in $[[ … ]] to leave it out when it is not given.`);
    result += before + quoted(value, state);
    last = match.index + match[0].length;
  }
  return result + withOptionals.slice(last);
}
