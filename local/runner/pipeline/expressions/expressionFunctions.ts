import { Where } from "../pipelineError";
import { PipelineNode, scalar, sequence, toPlain } from "../yamlNodes";
import { ExpressionError } from "./expressionSyntax";
import { compareValues, ExpressionValue, isCollection, requireText, toBoolean, toText, valuesEqual } from "./expressionValues";
import { formatText } from "./formatFunction";

/** Arguments are evaluated on demand, so that `and`, `or`, `coalesce`, `in` and `iif` short-circuit. */
export type Argument = () => ExpressionValue;

export interface ExpressionFunction {
  minArgs: number;
  maxArgs: number;
  call(args: Argument[], at: Where): ExpressionValue;
}

const many = Number.POSITIVE_INFINITY;

function bool(value: boolean, at: Where): PipelineNode {
  return scalar(value, at);
}

function text(value: string, at: Where): PipelineNode {
  return scalar(value, at);
}

function ordering(name: string, test: (order: number) => boolean): ExpressionFunction {
  return {
    minArgs: 2,
    maxArgs: 2,
    call: ([left, right], at) => {
      const a = left();
      const b = right();
      const order = compareValues(a, b);
      if (order === undefined) throw new ExpressionError(`${name}: '${toText(b) ?? b.kind}' cannot be compared with '${toText(a) ?? a.kind}'.`);
      return bool(test(order), at);
    },
  };
}

function stringTest(test: (haystack: string, needle: string) => boolean): ExpressionFunction {
  return {
    minArgs: 2,
    maxArgs: 2,
    call: ([left, right], at) => {
      const haystack = toText(left());
      const needle = toText(right());
      return bool(haystack !== undefined && needle !== undefined && test(haystack.toUpperCase(), needle.toUpperCase()), at);
    },
  };
}

function elementsOf(value: ExpressionValue): ExpressionValue[] | undefined {
  if (value.kind === "sequence" || value.kind === "filtered") return value.items;
  if (value.kind === "mapping") return value.entries.map((entry) => entry.value);
  return undefined;
}

/** The functions of the expression language, with the argument counts the expressions page gives. */
export const builtInFunctions: Record<string, ExpressionFunction> = {
  and: {
    minArgs: 2,
    maxArgs: many,
    call: (args, at) =>
      bool(
        args.every((arg) => toBoolean(arg())),
        at,
      ),
  },
  or: {
    minArgs: 2,
    maxArgs: many,
    call: (args, at) =>
      bool(
        args.some((arg) => toBoolean(arg())),
        at,
      ),
  },
  not: { minArgs: 1, maxArgs: 1, call: ([arg], at) => bool(!toBoolean(arg()), at) },
  xor: { minArgs: 2, maxArgs: 2, call: ([a, b], at) => bool(toBoolean(a()) !== toBoolean(b()), at) },
  eq: { minArgs: 2, maxArgs: 2, call: ([a, b], at) => bool(valuesEqual(a(), b()), at) },
  ne: { minArgs: 2, maxArgs: 2, call: ([a, b], at) => bool(!valuesEqual(a(), b()), at) },
  gt: ordering("gt", (order) => order > 0),
  ge: ordering("ge", (order) => order >= 0),
  lt: ordering("lt", (order) => order < 0),
  le: ordering("le", (order) => order <= 0),
  in: {
    minArgs: 1,
    maxArgs: many,
    call: ([left, ...rest], at) => {
      const value = left();
      return bool(
        rest.some((arg) => valuesEqual(value, arg())),
        at,
      );
    },
  },
  notin: {
    minArgs: 1,
    maxArgs: many,
    call: ([left, ...rest], at) => {
      const value = left();
      return bool(!rest.some((arg) => valuesEqual(value, arg())), at);
    },
  },
  contains: stringTest((haystack, needle) => haystack.includes(needle)),
  startswith: stringTest((haystack, needle) => haystack.startsWith(needle)),
  endswith: stringTest((haystack, needle) => haystack.endsWith(needle)),
  containsvalue: {
    minArgs: 2,
    maxArgs: 2,
    call: ([collection, wanted], at) => {
      const items = elementsOf(collection());
      const value = wanted();
      // Each item is converted to the type of the value looked for.
      return bool(items?.some((item) => valuesEqual(value, item)) ?? false, at);
    },
  },
  coalesce: {
    minArgs: 2,
    maxArgs: many,
    call: (args, at) => {
      for (const arg of args) {
        const value = arg();
        if (isCollection(value) || (toText(value) ?? "") !== "") return value;
      }
      return scalar(null, at);
    },
  },
  iif: { minArgs: 3, maxArgs: 3, call: ([test, yes, no]) => (toBoolean(test()) ? yes() : no()) },
  format: {
    minArgs: 1,
    maxArgs: many,
    call: ([template, ...rest], at) =>
      text(
        formatText(
          requireText(template(), "format's first argument"),
          rest.map((arg) => arg()),
        ),
        at,
      ),
  },
  join: {
    minArgs: 2,
    maxArgs: 2,
    call: ([separator, collection], at) => {
      const value = collection();
      const items = value.kind === "sequence" || value.kind === "filtered" ? value.items : undefined;
      // Not an array: the value itself as text; inside one, a mapping or a sequence is ''.
      if (!items) return text(toText(value) ?? "", at);
      return text(items.map((item) => toText(item) ?? "").join(requireText(separator(), "join's separator")), at);
    },
  },
  length: {
    minArgs: 1,
    maxArgs: 1,
    call: ([arg], at) => {
      const value = arg();
      if (value.kind === "sequence" || value.kind === "filtered") return scalar(value.items.length, at);
      if (value.kind === "mapping") return scalar(value.entries.length, at);
      return scalar((toText(value) ?? "").length, at);
    },
  },
  lower: { minArgs: 1, maxArgs: 1, call: ([arg], at) => text(requireText(arg(), "lower's argument").toLowerCase(), at) },
  upper: { minArgs: 1, maxArgs: 1, call: ([arg], at) => text(requireText(arg(), "upper's argument").toUpperCase(), at) },
  trim: { minArgs: 1, maxArgs: 1, call: ([arg], at) => text(requireText(arg(), "trim's argument").trim(), at) },
  replace: {
    minArgs: 3,
    maxArgs: 3,
    call: ([source, find, replacement], at) => {
      const from = requireText(find(), "replace's second argument");
      const value = requireText(source(), "replace's first argument");
      return text(from === "" ? value : value.split(from).join(requireText(replacement(), "replace's third argument")), at);
    },
  },
  split: {
    minArgs: 2,
    maxArgs: 2,
    call: ([source, delimiters], at) => {
      const value = requireText(source(), "split's first argument");
      const separator = requireText(delimiters(), "split's second argument");
      return sequence(
        (separator === "" ? [value] : value.split(separator)).map((part) => text(part, at)),
        at,
      );
    },
  },
  converttojson: {
    minArgs: 1,
    maxArgs: 1,
    call: ([arg], at) => {
      return text(JSON.stringify(plainOf(arg()), null, 2), at);
    },
  },
};

function plainOf(value: ExpressionValue): unknown {
  if (value.kind === "version") return toText(value);
  if (value.kind === "filtered") return value.items.map(plainOf);
  return toPlain(value);
}
