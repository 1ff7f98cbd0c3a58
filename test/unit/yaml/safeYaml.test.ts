import * as assert from "node:assert/strict";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { defaultYamlLimits, loadYaml, YamlOrigin } from "../../../tasks/common/src/yaml/safeYaml";

const file: YamlOrigin = { name: "The configuration file /w/c.yml", positions: "file" };
const input: YamlOrigin = { name: "Input 'computeClusters'", positions: "input" };

/** The classic "billion laughs": `levels` anchors, each a list of `width` aliases to the one before. */
function yamlBomb(levels: number, width = 9): string {
  const lines = [`l0: &l0 [${Array(width).fill('"lol"').join(", ")}]`];
  for (let level = 1; level < levels; level++) {
    lines.push(
      `l${level}: &l${level} [${Array(width)
        .fill(`*l${level - 1}`)
        .join(", ")}]`,
    );
  }
  return lines.join("\n");
}

function refusal(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.doesNotMatch(error.message, /\n/, "one sentence on one line");
    return error.message;
  }
  assert.fail("expected a refusal");
}

describe("the YAML loader's limits", () => {
  it("refuses a YAML bomb before building it, naming the file and the line where it blows up", () => {
    const message = refusal(() => loadYaml(yamlBomb(9), file));
    assert.match(message, /^The configuration file \/w\/c\.yml:\d+ is refused: its aliases \(\*name\) expand to more than 1,000,000 values/);
  });

  it("refuses a bomb in an input the same way", () => {
    assert.match(
      refusal(() => loadYaml(yamlBomb(9), input)),
      /^Input 'computeClusters' line \d+ is refused: its aliases/,
    );
  });

  it("refuses a bomb hidden in merge keys", () => {
    const lines = ["a0: &a0 {k0: 1, k1: 2, k2: 3, k3: 4, k4: 5, k5: 6, k6: 7, k7: 8, k8: 9, k9: 10}"];
    for (let level = 1; level < 9; level++) {
      const aliases = Array.from({ length: 10 }, (_, index) => `x${index}: *a${level - 1}`).join(", ");
      lines.push(`a${level}: &a${level} {${aliases}}`);
    }
    assert.match(
      refusal(() => loadYaml(lines.join("\n"), file)),
      /expand to more than/,
    );
  });

  it("takes a document just under the expansion limit and counts what it expands to", () => {
    // 6 levels of 9: 9^6 = 531441 scalars, under the million.
    const loaded = loadYaml(yamlBomb(6), file);
    assert.equal(loaded.documents.length, 1);
  });

  it("refuses more aliases than the limit, even when they expand to little", () => {
    const lines = ["a: &a 1", "list:", ...Array.from({ length: defaultYamlLimits.maxAliases + 1 }, () => "  - *a")];
    assert.match(
      refusal(() => loadYaml(lines.join("\n"), file)),
      new RegExp(`holds more than ${defaultYamlLimits.maxAliases} aliases`),
    );
    const atLimit = ["a: &a 1", "list:", ...Array.from({ length: defaultYamlLimits.maxAliases }, () => "  - *a")];
    assert.equal(loadYaml(atLimit.join("\n"), file).documents.length, 1);
  });

  it("refuses nesting deeper than the limit, written out or through aliases", () => {
    const deep = "[".repeat(defaultYamlLimits.maxDepth + 1) + "]".repeat(defaultYamlLimits.maxDepth + 1);
    assert.match(
      refusal(() => loadYaml(deep, input)),
      /nests mappings and lists deeper than 64 levels/,
    );
    const chained = ["a0: &a0 [1]", ...Array.from({ length: 70 }, (_, index) => `a${index + 1}: &a${index + 1} [*a${index}]`)];
    assert.match(
      refusal(() => loadYaml(chained.join("\n"), input)),
      /with its aliases \(\*name\) followed, it nests deeper than 64 levels/,
    );
    const fine = "[".repeat(defaultYamlLimits.maxDepth - 1) + "]".repeat(defaultYamlLimits.maxDepth - 1);
    assert.equal(loadYaml(fine, input).documents.length, 1);
  });

  it("refuses a text longer than the limit, and takes one at the limit", () => {
    const padding = "# " + "x".repeat(defaultYamlLimits.maxCharacters);
    assert.match(
      refusal(() => loadYaml(`a: 1\n${padding}`, file)),
      /characters long; the task reads YAML of at most 1,048,576/,
    );
    const atLimit = "a: 1\n#" + "x".repeat(defaultYamlLimits.maxCharacters - 6);
    assert.equal(atLimit.length, defaultYamlLimits.maxCharacters);
    assert.deepEqual(loadYaml(atLimit, file).documents, [{ a: 1 }]);
  });

  it("refuses an alias inside its own anchor, which would make a loop", () => {
    assert.match(
      refusal(() => loadYaml("a: &a [1, *a]", file)),
      /^The configuration file \/w\/c\.yml:1 is refused: the alias \*a points into its own anchor &a, a loop\.$/,
    );
    assert.match(
      refusal(() => loadYaml("x: 1\na: &a\n  b:\n    c: *a\n", input)),
      /^Input 'computeClusters' line 4 is refused: the alias \*a points into its own anchor &a/,
    );
    // An anchor defined again inside: the alias means the newer, finished one.
    assert.deepEqual(loadYaml("a: &a [&a 1, *a]", file).documents, [{ a: [1, 1] }]);
  });

  it("keeps the core schema, merge keys and every document", () => {
    const loaded = loadYaml("base: &b {x: 1, y: true}\nrun:\n  <<: *b\n  y: false\nn: ~\n---\nsecond: 0x10\n", file);
    assert.deepEqual(loaded.documents, [{ base: { x: 1, y: true }, run: { x: 1, y: false }, n: null }, { second: 16 }]);
    assert.ok(loaded.events.length > 0);
  });

  it("reports a syntax error with the position in the origin's form, never quoting the source", () => {
    assert.match(
      refusal(() => loadYaml("a: 1\nb: [FkUnclosed", file)),
      /^The configuration file \/w\/c\.yml:\d+ \(column \d+\) is not valid YAML: /,
    );
    const message = refusal(() => loadYaml("a: 1\nb: [FkUnclosed", input));
    assert.match(message, /^Input 'computeClusters' line \d+ is not valid YAML: /);
    assert.doesNotMatch(message, /FkUnclosed/);
  });
});
