/*
 * The expression language of Azure Pipelines, shared by `${{ }}`, `$[ ]` and conditions:
 * https://learn.microsoft.com/azure/devops/pipelines/process/expressions
 * literals ('text' with '' for a quote, numbers, versions 1.2.3, true/false/null), named values
 * (`parameters`, `variables`, `dependencies`…), property access `a.b`, indexing `a['b']`,
 * `a[0]`, filtered arrays `a.*.b`, and function calls.
 */

export type ExpressionAst =
  | { type: "literal"; value: string | number | boolean | null }
  | { type: "version"; text: string }
  | { type: "name"; name: string }
  | { type: "property"; target: ExpressionAst; name: string }
  | { type: "index"; target: ExpressionAst; index: ExpressionAst }
  | { type: "wildcard"; target: ExpressionAst }
  | { type: "call"; name: string; args: ExpressionAst[] };

/** A syntax or evaluation error; the caller adds the file and line. */
export class ExpressionError extends Error {
  override readonly name = "ExpressionError";
}

type Token =
  | { kind: "string"; value: string; at: number }
  | { kind: "number"; value: number; at: number }
  | { kind: "version"; text: string; at: number }
  | { kind: "word"; text: string; at: number }
  | { kind: "punct"; text: "(" | ")" | "[" | "]" | "," | "." | "*"; at: number };

const wordPattern = /[A-Za-z_][A-Za-z0-9_-]*/y;
const numberPattern = /-?(?:\d+(?:\.\d+)*|\.\d+)/y;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    if (char === "'") {
      let value = "";
      let end = index + 1;
      for (;;) {
        if (end >= text.length) throw new ExpressionError(`Unterminated string starting at position ${index + 1} of '${text}'.`);
        if (text[end] === "'") {
          if (text[end + 1] === "'") {
            value += "'";
            end += 2;
            continue;
          }
          break;
        }
        value += text[end++];
      }
      tokens.push({ kind: "string", value, at: index });
      index = end + 1;
      continue;
    }
    if ("()[],*".includes(char) || (char === "." && !/\d/.test(text[index + 1] ?? ""))) {
      tokens.push({ kind: "punct", text: char as "(" | ")" | "[" | "]" | "," | "." | "*", at: index });
      index++;
      continue;
    }
    numberPattern.lastIndex = index;
    const number = numberPattern.exec(text);
    if (number && (/[\d.]/.test(char) || char === "-")) {
      const literal = number[0];
      const dots = (literal.match(/\./g) ?? []).length;
      if (dots >= 2) {
        if (dots > 3 || literal.startsWith("-") || literal.startsWith(".")) throw new ExpressionError(`'${literal}' is not a valid number or version.`);
        tokens.push({ kind: "version", text: literal, at: index });
      } else {
        tokens.push({ kind: "number", value: Number(literal), at: index });
      }
      index += literal.length;
      continue;
    }
    wordPattern.lastIndex = index;
    const word = wordPattern.exec(text);
    if (word) {
      tokens.push({ kind: "word", text: word[0], at: index });
      index += word[0].length;
      continue;
    }
    throw new ExpressionError(`Unexpected character '${char}' at position ${index + 1} of '${text}'.`);
  }
  return tokens;
}

class Parser {
  private next = 0;

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parseAll(): ExpressionAst {
    if (this.tokens.length === 0) throw new ExpressionError("The expression is empty.");
    const expression = this.expression();
    const extra = this.tokens[this.next];
    if (extra) throw this.unexpected(extra);
    return expression;
  }

  private expression(): ExpressionAst {
    let node = this.primary();
    for (;;) {
      const token = this.tokens[this.next];
      if (token?.kind !== "punct") return node;
      if (token.text === ".") {
        this.next++;
        const name = this.tokens[this.next++];
        if (name?.kind === "punct" && name.text === "*") node = { type: "wildcard", target: node };
        else if (name?.kind === "word") node = { type: "property", target: node, name: name.text };
        else throw this.unexpected(name);
      } else if (token.text === "[") {
        this.next++;
        const inside = this.tokens[this.next];
        if (inside?.kind === "punct" && inside.text === "*") {
          this.next++;
          node = { type: "wildcard", target: node };
        } else {
          node = { type: "index", target: node, index: this.expression() };
        }
        this.expect("]");
      } else {
        return node;
      }
    }
  }

  private primary(): ExpressionAst {
    const token = this.tokens[this.next++];
    if (!token) throw new ExpressionError(`The expression '${this.text}' ends too early.`);
    switch (token.kind) {
      case "string":
        return { type: "literal", value: token.value };
      case "number":
        return { type: "literal", value: token.value };
      case "version":
        return { type: "version", text: token.text };
      case "word": {
        const following = this.tokens[this.next];
        if (following?.kind === "punct" && following.text === "(") {
          this.next++;
          const args: ExpressionAst[] = [];
          const closing = this.tokens[this.next];
          if (closing?.kind === "punct" && closing.text === ")") {
            this.next++;
          } else {
            for (;;) {
              args.push(this.expression());
              const separator = this.tokens[this.next++];
              if (separator?.kind === "punct" && separator.text === ")") break;
              if (!(separator?.kind === "punct" && separator.text === ",")) throw this.unexpected(separator);
            }
          }
          return { type: "call", name: token.text, args };
        }
        const lower = token.text.toLowerCase();
        if (lower === "true" || lower === "false") return { type: "literal", value: lower === "true" };
        if (lower === "null") return { type: "literal", value: null };
        return { type: "name", name: token.text };
      }
      case "punct":
        throw this.unexpected(token);
    }
  }

  private expect(text: string): void {
    const token = this.tokens[this.next++];
    if (!(token?.kind === "punct" && token.text === text)) throw this.unexpected(token);
  }

  private unexpected(token: Token | undefined): ExpressionError {
    if (!token) return new ExpressionError(`The expression '${this.text}' ends too early.`);
    const shown = token.kind === "string" ? `'${token.value}'` : token.kind === "number" ? String(token.value) : token.text;
    return new ExpressionError(`Unexpected '${shown}' at position ${token.at + 1} of '${this.text}'.`);
  }
}

export function parseExpression(text: string): ExpressionAst {
  return new Parser(text, tokenize(text)).parseAll();
}
