import * as assert from "node:assert/strict";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { mergeTags, tagsToChange } from "../../../tasks/common/src/settings/tags";

const manyTags = (count: number, prefix: string): Record<string, string> =>
  Object.fromEntries(Array.from({ length: count }, (_, index) => [`${prefix}${index}`, "v"]));

describe("tags merged onto an existing resource", () => {
  it("keeps tags set outside the pipeline and adds or corrects ours", () => {
    assert.deepEqual(mergeTags({ owner: "ops", env: "old" }, { env: "dev", team: "ml" }, "Workspace 'w'"), { owner: "ops", env: "dev", team: "ml" });
  });

  it("treats a name that differs only in case as ours, as Azure does", () => {
    assert.deepEqual(mergeTags({ Team: "a", other: "b" }, { team: "ml" }, "Workspace 'w'"), { other: "b", team: "ml" });
    assert.deepEqual(tagsToChange({ Team: "ml" }, { team: "ml" }), []);
    assert.deepEqual(tagsToChange({ Team: "a" }, { team: "ml", env: "dev" }), ["team", "env"]);
  });

  it("accepts exactly 50 tags and refuses 51, naming the resource and both counts", () => {
    assert.equal(Object.keys(mergeTags(manyTags(40, "old"), manyTags(10, "new"), "Workspace 'w'")).length, 50);
    assert.throws(
      () => mergeTags(manyTags(45, "old"), manyTags(6, "new"), "Workspace 'w'"),
      (error: unknown) =>
        error instanceof InputError &&
        /^Workspace 'w' already has 45 tags; with those of input 'tags' it would have 51, and Azure takes at most 50/.test(error.message),
    );
  });

  it("keeps a tag named __proto__ as a tag", () => {
    const merged = mergeTags(JSON.parse('{"__proto__":"x"}') as Record<string, string>, { a: "b" }, "Workspace 'w'");
    assert.deepEqual(Object.keys(merged), ["__proto__", "a"]);
  });
});
