import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadIgnoreRules } from "../../../tasks/common/src/upload/ignoreRules";

describe("upload ignore rules", () => {
  let folder: string;
  beforeEach(() => (folder = fs.mkdtempSync(path.join(os.tmpdir(), "ignore-rules-"))));
  afterEach(() => fs.rmSync(folder, { recursive: true, force: true }));

  const write = (name: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  };

  it("uses .amlignore when both files exist, and .gitignore only when there is no .amlignore", () => {
    write(".amlignore", "*.csv\n");
    write(".gitignore", "*.log\n");
    const rules = loadIgnoreRules(folder);
    assert.equal(rules.source, ".amlignore");
    assert.equal(rules.isExcluded("data.csv"), true);
    assert.equal(rules.isExcluded("run.log"), false);
    fs.rmSync(path.join(folder, ".amlignore"));
    const gitRules = loadIgnoreRules(folder);
    assert.equal(gitRules.source, ".gitignore");
    assert.equal(gitRules.isExcluded("run.log"), true);
    assert.equal(gitRules.isExcluded("data.csv"), false);
  });

  it("excludes nothing when the folder has no ignore file", () => {
    const rules = loadIgnoreRules(folder);
    assert.equal(rules.source, undefined);
    assert.equal(rules.isExcluded(".git/config"), false);
    assert.equal(rules.isExcluded("__pycache__/x.pyc"), false);
  });

  it("follows gitignore semantics: negation, anchoring, folder-only and nested patterns", () => {
    write(".amlignore", ["*.txt", "!keep.txt", "/top.py", "build/", "**/cache/*.bin", "# a comment", ""].join("\n"));
    const rules = loadIgnoreRules(folder);
    assert.equal(rules.isExcluded("notes.txt"), true);
    assert.equal(rules.isExcluded("deep/notes.txt"), true);
    assert.equal(rules.isExcluded("keep.txt"), false, "the later negation wins");
    assert.equal(rules.isExcluded("deep/keep.txt"), false);
    assert.equal(rules.isExcluded("top.py"), true);
    assert.equal(rules.isExcluded("src/top.py"), false, "a leading slash anchors at the root");
    assert.equal(rules.isExcluded("build/out.js"), true);
    assert.equal(rules.isExcluded("src/build/out.js"), true);
    assert.equal(rules.isExcluded("a/b/cache/x.bin"), true);
    assert.equal(rules.isExcluded("a/b/cache/x.py"), false);
    assert.equal(rules.isExcluded("# a comment"), false);
  });

  it("keeps the ignore file itself unless a rule names it, as azure-ai-ml does", () => {
    write(".gitignore", "*.tmp\n");
    assert.equal(loadIgnoreRules(folder).isExcluded(".gitignore"), false);
    write(".gitignore", "*.tmp\n.gitignore\n");
    assert.equal(loadIgnoreRules(folder).isExcluded(".gitignore"), true);
  });

  it("reads only the ignore file at the root: one in a sub-folder does not count", () => {
    write("sub/.amlignore", "*.py\n");
    write("sub/.gitignore", "*.py\n");
    const rules = loadIgnoreRules(folder);
    assert.equal(rules.source, undefined);
    assert.equal(rules.isExcluded("sub/train.py"), false);
  });
});
