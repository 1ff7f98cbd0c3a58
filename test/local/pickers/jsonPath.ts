/*
 * The JSONPath of a binding's resultSelector (`jsonpath:<expression>`), for the subset bindings
 * use: `$`, `.name`, `['name']`, `[n]`, `[*]`, and filters `[?(@.a.b == 'text')]` / `!=` on a
 * string, number, true, false or null. The server evaluates it with Json.NET's SelectTokens,
 * which reads these the same way; anything else is refused here rather than guessed.
 */

type Step =
  { kind: "name"; name: string } | { kind: "index"; index: number } | { kind: "all" } | { kind: "filter"; path: string[]; equal: boolean; value: unknown };

function literal(text: string): unknown {
  const quoted = /^'((?:[^'\\]|\\.)*)'$/.exec(text) ?? /^"((?:[^"\\]|\\.)*)"$/.exec(text);
  if (quoted) return quoted[1].replace(/\\(.)/g, "$1");
  if (text === "true" || text === "false") return text === "true";
  if (text === "null") return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  throw new Error(`jsonpath: '${text}' is not a literal`);
}

function parse(expression: string): Step[] {
  if (!expression.startsWith("$")) throw new Error(`jsonpath: '${expression}' does not start with $`);
  const steps: Step[] = [];
  let rest = expression.slice(1);
  while (rest) {
    let match: RegExpExecArray | null;
    if ((match = /^\.([A-Za-z_$][\w$-]*)/.exec(rest))) steps.push({ kind: "name", name: match[1] });
    else if ((match = /^\[\*\]|^\.\*/.exec(rest))) steps.push({ kind: "all" });
    else if ((match = /^\[(\d+)\]/.exec(rest))) steps.push({ kind: "index", index: Number(match[1]) });
    else if ((match = /^\['([^']*)'\]/.exec(rest))) steps.push({ kind: "name", name: match[1] });
    else if ((match = /^\[\?\(\s*@((?:\.[A-Za-z_$][\w$-]*)+)\s*(==|!=)\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^)\s]+)\s*\)\]/.exec(rest))) {
      steps.push({ kind: "filter", path: match[1].slice(1).split("."), equal: match[2] === "==", value: literal(match[3]) });
    } else throw new Error(`jsonpath: cannot read '${rest}' in '${expression}'`);
    rest = rest.slice(match[0].length);
  }
  return steps;
}

const children = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value !== null && typeof value === "object" ? Object.values(value as Record<string, unknown>) : [];

/** The values the expression selects from the document, in document order. */
export function selectJsonPath(document: unknown, expression: string): unknown[] {
  let current: unknown[] = [document];
  for (const step of parse(expression)) {
    current = current.flatMap((value): unknown[] => {
      switch (step.kind) {
        case "name":
          return value !== null && typeof value === "object" && !Array.isArray(value) && step.name in value
            ? [(value as Record<string, unknown>)[step.name]]
            : [];
        case "index":
          return Array.isArray(value) && step.index < value.length ? [value[step.index]] : [];
        case "all":
          return children(value);
        case "filter":
          return children(value).filter((item) => {
            const found = step.path.reduce<unknown>(
              (node, key) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined),
              item,
            );
            return (found === step.value) === step.equal;
          });
      }
    });
  }
  return current;
}
