import * as assert from "node:assert/strict";
import { closest, editDistance, loadYamlFile } from "../../../tasks/common/src/azureml/yamlFields";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { YamlFolder } from "./yamlFixtures";

describe("closest (did you mean)", () => {
  const jobFields = ["command", "code", "compute", "environment", "environment_variables", "display_name", "experiment_name", "inputs", "outputs", "limits"];

  it("finds typos, case and separator differences, and shortened names", () => {
    assert.equal(closest("enviroment", jobFields), "environment");
    assert.equal(closest("comand", jobFields), "command");
    assert.equal(closest("Inputs", jobFields), "inputs");
    assert.equal(closest("display-name", jobFields), "display_name");
    assert.equal(closest("experimentName", jobFields), "experiment_name");
    assert.equal(closest("environment_variable", jobFields), "environment_variables");
    assert.equal(closest("limit", jobFields), "limits");
  });

  it("suggests nothing when nothing is close", () => {
    assert.equal(closest("zzzzzz", jobFields), undefined);
    assert.equal(closest("", jobFields), undefined);
    assert.equal(closest("x".repeat(500), jobFields), undefined);
    assert.equal(closest("a", []), undefined);
  });

  it("measures edits", () => {
    assert.equal(editDistance("kitten", "sitting"), 3);
    assert.equal(editDistance("", "abc"), 3);
    assert.equal(editDistance("same", "same"), 0);
  });
});

describe("loadYamlFile and its fields", () => {
  let folder: YamlFolder;
  beforeEach(() => (folder = new YamlFolder()));
  afterEach(() => folder.remove());

  function load(text: string) {
    return loadYamlFile(folder.write("f.yml", text), "Input 'jobFile'", "a command job");
  }

  it("gives nested keys their own lines, and keys brought by an alias the line of the key that holds the alias", () => {
    const root = load("a: 1\nnested:\n  first: x\n  second:\n    deep: true\nshared: &s {k: 1}\ncopy: *s\n");
    const [a, nested, , copy] = root.root.entries();
    assert.deepEqual([a.path, a.line], ["a", 1]);
    const [first, second] = nested.entries();
    assert.deepEqual([first.path, first.line, second.line], ["nested.first", 3, 4]);
    assert.deepEqual([second.entries()[0].path, second.entries()[0].line], ["nested.second.deep", 5]);
    assert.deepEqual([copy.entries()[0].path, copy.entries()[0].line], ["copy.k", 7]);
  });

  it("reads typed values and refuses the wrong type in one sentence", () => {
    const { root } = load("count: 3\nratio: 0.5\nflag: true\nname: n\nquoted_number: '3'\n");
    const fields = root.fields(["count", "ratio", "flag", "name", "quoted_number"]);
    assert.equal(fields.required("count").integer(), 3);
    assert.equal(fields.required("ratio").number(), 0.5);
    assert.equal(fields.required("flag").boolean(), true);
    assert.equal(fields.required("name").text(), "n");
    assert.equal(fields.required("quoted_number").textOrNumber(), "3");
    assert.throws(() => fields.required("ratio").integer(), /f\.yml:2: field 'ratio' is a number; it must be a whole number\.$/);
    assert.throws(() => fields.required("flag").text(), /f\.yml:3: field 'flag' is true or false; it must be text\.$/);
    assert.throws(() => fields.required("quoted_number").integer(), /field 'quoted_number' is text; it must be a whole number\.$/);
  });

  it("shows an enumerated value only when it has the shape of a keyword", () => {
    const { root } = load("mode: mount\nother: 'some long text, maybe a secret: 0123456789abcdef'\n");
    const fields = root.fields(["mode", "other"]);
    assert.throws(
      () => fields.required("mode").oneOf(["ro_mount", "download"]),
      /field 'mode' is 'mount', which is not one of 'ro_mount', 'download'; did you mean 'ro_mount'\?$/,
    );
    assert.throws(
      () => fields.required("other").oneOf(["ro_mount", "download"]),
      (error: unknown) =>
        error instanceof InputError && /field 'other' is a value, which is not one of/.test(error.message) && !/0123456789abcdef/.test(error.message),
    );
  });

  it("reads the file through the shared checks: a folder, a YAML bomb", () => {
    assert.throws(() => loadYamlFile(folder.root, "Input 'jobFile'", "a command job"), /^InputError: Input 'jobFile': '.*' is a folder, not a file\.$/);
    const lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 9; level++)
      lines.push(
        `l${level}: &l${level} [${Array(9)
          .fill(`*l${level - 1}`)
          .join(",")}]`,
      );
    assert.throws(() => load(lines.join("\n") + "\n"), /^InputError: Input 'jobFile': .*f\.yml:\d+ is refused: its aliases \(\*name\) expand/);
  });
});
