import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { applyConfigurationToCommand, ConfigurationError, selectConfigurationSection, shellQuote } from "../../../tasks/common/src/configuration";
import { ConfigurationMapping } from "../../../tasks/common/src/configuration/configurationValue";
import { InputError } from "../../../tasks/common/src/errors/inputError";

const files = ["/repo/configuration/configuration-dev.yml"];
const location = "Input 'jobFile': /repo/jobs/train.yml:4";

describe("selectConfigurationSection", () => {
  const sectioned: ConfigurationMapping = {
    training: { alpha: 0.5, epochs: 10 },
    scoring: { threshold: 0.7 },
    shared_note: "x",
  };

  it("forwards only the section named, without the other scripts' values", () => {
    const chosen = selectConfigurationSection(sectioned, "training", files);
    assert.deepEqual(chosen.values, { alpha: 0.5, epochs: 10 });
    assert.equal(chosen.section, "training");
    assert.equal(chosen.description, "section 'training' of /repo/configuration/configuration-dev.yml");
  });

  it("forwards the whole file when it has no sections, whatever the input says", () => {
    const flat = { alpha: 0.5, layers: [64, 32], seed: null };
    assert.deepEqual(selectConfigurationSection(flat, undefined, files).values, flat);
    assert.deepEqual(selectConfigurationSection(flat, "training", files).values, flat);
    assert.equal(selectConfigurationSection(flat, "", files).section, undefined);
  });

  it("asks for the section when the file has sections and none is named", () => {
    assert.throws(
      () => selectConfigurationSection(sectioned, "  ", files),
      (error: unknown) =>
        error instanceof ConfigurationError &&
        error.message ===
          "The configuration /repo/configuration/configuration-dev.yml has sections (training, scoring): set input 'configurationSection' to the one meant for this job.",
    );
  });

  it("names the section and the file when the section is absent, with a suggestion", () => {
    assert.throws(
      () => selectConfigurationSection(sectioned, "trainig", files),
      /^ConfigurationError: Input 'configurationSection': the configuration \/repo\/configuration\/configuration-dev\.yml has no section 'trainig'; did you mean 'training'\?$/,
    );
    assert.throws(() => selectConfigurationSection(sectioned, "deploy", files), /has no section 'deploy'; it has training, scoring\.$/);
  });

  it("refuses a section name that is a single value, and never takes inherited properties for sections", () => {
    assert.throws(
      () => selectConfigurationSection(sectioned, "shared_note", files),
      /'shared_note' in the configuration .* is a single value or list, not a section/,
    );
    assert.throws(() => selectConfigurationSection(sectioned, "constructor", files), /has no section 'constructor'/);
    assert.throws(() => selectConfigurationSection(sectioned, "__proto__", files), /has no section '__proto__'/);
  });

  it("names every file of a merged configuration", () => {
    assert.throws(
      () => selectConfigurationSection(sectioned, "x", ["/c/configuration.yml", "/c/configuration-dev.yml"]),
      /\/c\/configuration\.yml over \/c\/configuration-dev\.yml/,
    );
  });
});

/** What a POSIX shell hands to a program for `command`: its arguments, one per entry. */
function argumentsSeenByShell(command: string, shell = "sh"): string[] {
  // `printf '%s\0'` prints every argument, NUL-terminated: no argument can hold a NUL.
  const output = execFileSync(shell, ["-c", command], { encoding: "utf8" });
  return output.split("\0").slice(0, -1);
}

const hostileValues = [
  "it's",
  "$(touch /tmp/pwned-by-config)",
  "`id`",
  "a; rm -rf /",
  "line one\nline two",
  "'; echo injected; '",
  "\\'",
  "$HOME and ${PATH}",
  "*",
  "-rf",
  "",
  "tab\there",
  "ünïcödé ✓",
  "a|b&c>d<e",
  "!event",
  "~",
];

describe("applyConfigurationToCommand", () => {
  it("appends the whole section as --name value when the command has no placeholder", () => {
    const applied = applyConfigurationToCommand("python train.py --data ${{inputs.data}}", { alpha: 0.5, name: "diabetes model", early_stop: false }, location);
    assert.equal(applied.command, "python train.py --data ${{inputs.data}} --alpha 0.5 --name 'diabetes model' --early_stop false");
    assert.deepEqual(applied.placeholders, []);
    assert.deepEqual(applied.appended, ["--alpha", "0.5", "--name", "diabetes model", "--early_stop", "false"]);
  });

  it("appends to the command's last line, not after a block scalar's final line break", () => {
    assert.equal(applyConfigurationToCommand("echo start\npython train.py\n", { alpha: 1 }, location).command, "echo start\npython train.py --alpha 1");
  });

  it("leaves the command alone when the section is empty", () => {
    assert.equal(applyConfigurationToCommand("python train.py\n", {}, location).command, "python train.py\n");
  });

  it("replaces placeholders (spaces allowed, dotted for nested values) and then appends nothing", () => {
    const section = { alpha: 0.5, optimizer: { lr: 0.01 }, layers: [64, 32], unused: "x" };
    const applied = applyConfigurationToCommand(
      "python train.py --alpha ${{configuration.alpha}} --lr ${{ configuration.optimizer.lr }} --layers ${{configuration.layers}} --out ${{outputs.model}}",
      section,
      location,
    );
    assert.equal(applied.command, "python train.py --alpha 0.5 --lr 0.01 --layers 64 32 --out ${{outputs.model}}");
    assert.deepEqual(applied.placeholders, ["alpha", "optimizer.lr", "layers"]);
    assert.deepEqual(applied.appended, []);
  });

  it("refuses a placeholder the section does not hold, naming it and the command", () => {
    assert.throws(
      () => applyConfigurationToCommand("python t.py --a ${{configuration.alpah}}", { alpha: 1, beta: 2 }, location),
      (error: unknown) =>
        error instanceof InputError &&
        error.message === `${location}: the command uses \${{configuration.alpah}}, which the configuration forwarded does not hold; did you mean 'alpha'?`,
    );
    assert.throws(() => applyConfigurationToCommand("t ${{configuration.zzz}}", { alpha: 1 }, location), /does not hold \(it has alpha\)\.$/);
    assert.throws(() => applyConfigurationToCommand("t ${{configuration.x}}", {}, location), /\(the configuration forwarded is empty\)\.$/);
    assert.throws(() => applyConfigurationToCommand("t ${{configuration.toString}}", { a: 1 }, location), /does not hold/);
  });

  it("refuses a placeholder on a null value or a whole mapping", () => {
    assert.throws(
      () => applyConfigurationToCommand("t ${{configuration.seed}}", { seed: null }, location),
      /\$\{\{configuration\.seed\}\} is null in the configuration/,
    );
    assert.throws(() => applyConfigurationToCommand("t ${{configuration.opt}}", { opt: { lr: 1 } }, location), /is a section of values, not one value/);
  });

  it("refuses values holding Azure ML expressions, which Azure would expand even inside quotes", () => {
    assert.throws(() => applyConfigurationToCommand("t", { path: "${{outputs.secret}}" }, location), /holds '\$\{\{' or '\$\[\['/);
    assert.throws(() => applyConfigurationToCommand("t ${{configuration.p}}", { p: "$[[--x]]" }, location), /holds '\$\{\{' or '\$\[\['/);
    assert.throws(() => applyConfigurationToCommand("t", { "${{inputs.x}}": 1 }, location), /holds '\$\{\{' or '\$\[\['/);
  });

  for (const value of hostileValues) {
    it(`gives the script ${JSON.stringify(value)} exactly, as one argument, whether appended or placed`, () => {
      const appended = applyConfigurationToCommand("printf '%s\\0'", { value }, location).command;
      const expectedAppended = value.startsWith("-") ? [`--value=${value}`] : ["--value", value];
      assert.deepEqual(argumentsSeenByShell(appended), expectedAppended);
      const placed = applyConfigurationToCommand("printf '%s\\0' ${{configuration.value}} end", { value }, location).command;
      assert.deepEqual(argumentsSeenByShell(placed), [value, "end"]);
      // Azure ML runs the command with bash, which reads single quotes as sh does.
      assert.deepEqual(argumentsSeenByShell(placed, "bash"), [value, "end"]);
    });
  }

  it("quotes hostile keys too: a key is one argument, never shell syntax", () => {
    const command = applyConfigurationToCommand("printf '%s\\0'", { "a; touch /tmp/pwned-by-key": 1, "$(id)": 2 }, location).command;
    assert.deepEqual(argumentsSeenByShell(command), ["--a; touch /tmp/pwned-by-key", "1", "--$(id)", "2"]);
  });

  it("refuses a placeholder where a quoted value could escape: quotes, comments, here-documents, after a backslash", () => {
    const section = { x: "$(id)" };
    const refusedAt: [string, RegExp][] = [
      ['echo "${{configuration.x}}"', /stands in double quotes; write it as a word of its own, unquoted/],
      ["echo '${{configuration.x}}'", /stands in single quotes/],
      ["echo $'a ${{configuration.x}}'", /stands in single quotes/],
      ["python t.py # uses ${{configuration.x}}", /stands in comment/],
      ["cat <<EOF\n${{configuration.x}}\nEOF", /stands in here-document/],
      ["echo \\${{configuration.x}}", /stands after a backslash/],
    ];
    for (const [command, message] of refusedAt) {
      assert.throws(
        () => applyConfigurationToCommand(command, section, location),
        (error: unknown) => error instanceof InputError && message.test(error.message),
        command,
      );
    }
  });

  it("accepts a placeholder glued to other text, after closed quotes, or after a here-string", () => {
    const section = { x: "a b" };
    assert.deepEqual(argumentsSeenByShell(applyConfigurationToCommand("printf '%s\\0' --x=${{configuration.x}}", section, location).command), ["--x=a b"]);
    assert.deepEqual(argumentsSeenByShell(applyConfigurationToCommand("printf '%s\\0' \"q\"#not-a-comment ${{configuration.x}}", section, location).command), [
      "q#not-a-comment",
      "a b",
    ]);
    // A here-string (bash) is not a here-document: the word after it is on the same line.
    assert.equal(applyConfigurationToCommand("cat <<< hi; echo ${{configuration.x}}", section, location).command, "cat <<< hi; echo 'a b'");
  });

  it("refuses to append to a command that ends in a comment, an open quote, a here-document or a backslash", () => {
    const cases: [string, RegExp][] = [
      ["python t.py # train\n", /ends in comment, so the configuration's arguments cannot be appended/],
      ["python t.py 'open", /ends in single quotes/],
      ["python - <<EOF\nprint(1)\nEOF\n", /ends in here-document/],
      ["python t.py \\\n", /ends with a backslash/],
    ];
    for (const [command, message] of cases) {
      assert.throws(
        () => applyConfigurationToCommand(command, { a: 1 }, location),
        (error: unknown) => error instanceof InputError && message.test(error.message),
        command,
      );
    }
  });

  it("writes list items as separate words", () => {
    const command = applyConfigurationToCommand("printf '%s\\0' ${{configuration.layers}}", { layers: [64, "a b", { k: "v" }] }, location).command;
    assert.deepEqual(argumentsSeenByShell(command), ["64", "a b", '{"k":"v"}']);
  });
});

describe("shellQuote", () => {
  it("leaves plainly safe words bare and quotes everything else", () => {
    assert.equal(shellQuote("0.5"), "0.5");
    assert.equal(shellQuote("--alpha"), "--alpha");
    assert.equal(shellQuote("a/b.csv"), "a/b.csv");
    assert.equal(shellQuote(""), "''");
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(shellQuote("a b"), "'a b'");
    assert.equal(shellQuote("~"), "'~'");
  });
});
