import * as assert from "node:assert/strict";
import { evaluateExpression, ExpressionContext } from "../../../../local/runner/pipeline/expressions/evaluateExpression";
import { toText } from "../../../../local/runner/pipeline/expressions/expressionValues";
import { findTemplateExpressions } from "../../../../local/runner/pipeline/compileTimeExpressions";
import { PipelineError } from "../../../../local/runner/pipeline/pipelineError";
import { fromPlain, toPlain } from "../../../../local/runner/pipeline/yamlNodes";

const at = { file: "/pipelines/p.yml", line: 7 };

function context(values: Record<string, unknown> = {}): ExpressionContext {
  return { at, named: new Map(Object.entries(values).map(([name, value]) => [name.toLowerCase(), fromPlain(value, at)])) };
}

function text(expression: string, values: Record<string, unknown> = {}): string | undefined {
  return toText(evaluateExpression(expression, context(values)));
}

describe("pipeline runner: the expression language", () => {
  it("compares with the right operand converted to the left one's type, strings ignoring case", () => {
    assert.equal(text("eq('ABC', 'abc')"), "True");
    assert.equal(text("eq(1, '1.0')"), "True");
    assert.equal(text("eq(true, 'false')"), "True", "any non-empty string is true");
    assert.equal(text("eq(false, '')"), "True");
    assert.equal(text("eq(2, 'two')"), "False", "a failed conversion is not equal");
    assert.equal(text("ne(2, 'two')"), "True");
    assert.equal(text("eq(variables.missing, '')", { variables: {} }), "True", "a dictionary miss is null, equal to ''");
    assert.equal(text("gt(10, '9')"), "True");
    assert.equal(text("lt('a', 'B')"), "True");
    assert.equal(text("ge(1.2.3, '1.2')"), "True", "versions compare by their parts");
    assert.throws(() => text("gt(1, 'x')"), /cannot be compared/);
  });

  it("has the logical functions, which short-circuit", () => {
    assert.equal(text("and(true, eq(1, 1), not(false))"), "True");
    assert.equal(text("or(false, 0, '')"), "False");
    // The second argument would fail if evaluated.
    assert.equal(text("or(true, gt(1, 'x'))"), "True");
    assert.equal(text("and(false, gt(1, 'x'))"), "False");
    assert.equal(text("xor(true, false)"), "True");
    assert.equal(text("in('B', 'a', 'b')"), "True");
    assert.equal(text("notIn('d', 'a', 'b')"), "True");
    assert.equal(text("iif(eq(1, 2), 'yes', 'no')"), "no");
  });

  it("has the string functions", () => {
    assert.equal(text("contains('ABCDE', 'bcd')"), "True");
    assert.equal(text("startsWith('refs/heads/main', 'REFS/')"), "True");
    assert.equal(text("endsWith('model.pkl', '.PKL')"), "True");
    assert.equal(text("lower('MiXeD')"), "mixed");
    assert.equal(text("upper('MiXeD')"), "MIXED");
    assert.equal(text("replace('a-b-c', '-', '_')"), "a_b_c");
    assert.equal(text("length('fabrikam')"), "8");
    assert.equal(text("coalesce(variables.none, '', 'fallback')", { variables: {} }), "fallback");
    assert.equal(text("format('{0} {1} {{literal}}', 'Hello', 42)"), "Hello 42 {literal}");
    assert.equal(text("format('{0:yyyyMMdd-HHmm}', '2024-03-05T07:08:09Z')"), "20240305-0708");
    assert.equal(text("'It''s'"), "It's");
  });

  it("has the collection functions, with property, index and filtered access", () => {
    const values = { p: { list: ["x", "y"], map: { a: "1", B: "2" }, items: [{ id: 1 }, { id: 2 }] } };
    assert.equal(text("join(';', parameters.list)", { parameters: values.p }), "x;y");
    assert.equal(text("join(',', 'single')"), "single");
    assert.equal(text("length(parameters.map)", { parameters: values.p }), "2");
    assert.equal(text("parameters.map.b", { parameters: values.p }), "2", "properties are matched ignoring case");
    assert.equal(text("parameters['map']['a']", { parameters: values.p }), "1");
    assert.equal(text("parameters.list[1]", { parameters: values.p }), "y");
    assert.equal(text("join('+', parameters.items.*.id)", { parameters: values.p }), "1+2");
    assert.equal(text("containsValue(parameters.list, 'Y')", { parameters: values.p }), "True");
    assert.equal(text("containsValue(parameters.map, '3')", { parameters: values.p }), "False");
    assert.deepEqual(toPlain(evaluateExpression("split('a,b,,c', ',')", context()) as never), ["a", "b", "", "c"]);
    assert.equal(text("split('a/b/c', '/')[2]"), "c");
    assert.deepEqual(JSON.parse(text("convertToJson(parameters.map)", { parameters: values.p }) ?? ""), { a: "1", B: "2" });
  });

  it("refuses a wrong argument count, an unknown function or value, and bad syntax, naming the file and line", () => {
    const refused = (expression: string, pattern: RegExp) =>
      assert.throws(
        () => text(expression, { variables: {} }),
        (error: unknown) => error instanceof PipelineError && error.where?.line === 7 && pattern.test(error.message),
      );
    refused("eq(1)", /eq\(\) takes 2 arguments, not 1/);
    refused("noSuch(1)", /Unrecognized function: 'noSuch'/);
    refused("parameters.x", /Unrecognized value: 'parameters'/);
    refused("eq(1, 2", /ends too early/);
    refused("'open", /Unterminated string/);
    refused("eq(1, 2) extra", /Unexpected 'extra'/);
  });

  it("finds ${{ }} in text, a '}}' inside a quoted string not closing it", () => {
    const parts = findTemplateExpressions("a ${{ format('{0}}}', 1) }} b ${{ parameters.x }}");
    assert.deepEqual(
      parts.map((part) => part.expression.trim()),
      ["format('{0}}}', 1)", "parameters.x"],
    );
  });
});
