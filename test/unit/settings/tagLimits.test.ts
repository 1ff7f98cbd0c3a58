import * as assert from "node:assert/strict";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { parseTags, tagLimits } from "../../../tasks/common/src/settings/tags";

function lines(count: number, line: (index: number) => string): string {
  return Array.from({ length: count }, (_, index) => line(index)).join("\n");
}

function refusal(text: string, options = {}): string {
  try {
    parseTags(text, "tags", options);
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    assert.doesNotMatch(error.message, /\n/);
    return error.message;
  }
  assert.fail("expected a refusal");
}

describe("tag limits", () => {
  it("takes 50 tags and refuses the 51st", () => {
    assert.equal(
      Object.keys(
        parseTags(
          lines(tagLimits.count, (i) => `t${i}=v`),
          "tags",
        ),
      ).length,
      50,
    );
    assert.equal(refusal(lines(51, (i) => `t${i}=v`)), "Input 'tags' gives more than 50 tags (line 51); Azure takes at most 50 per resource.");
  });

  it("takes a name of 512 characters and refuses 513", () => {
    assert.ok(parseTags(`${"n".repeat(512)}=v`, "tags"));
    assert.match(refusal(`${"n".repeat(513)}=v`), /line 1: tag name 'n+' is longer than 512 characters/);
  });

  it("takes a name of 128 characters where a storage account is tagged, and refuses 129", () => {
    const options = { maxNameLength: tagLimits.storageAccountNameLength };
    assert.ok(parseTags(`${"n".repeat(128)}=v`, "tags", options));
    assert.match(refusal(`${"n".repeat(129)}=v`, options), /longer than 128 characters/);
  });

  it("takes a value of 256 characters and refuses 257", () => {
    assert.equal(parseTags(`k=${"v".repeat(256)}`, "tags").k.length, 256);
    assert.equal(refusal(`k=${"v".repeat(257)}`), "Input 'tags' line 1: the value of tag 'k' is 257 characters long; Azure takes at most 256.");
  });

  it("refuses each character Azure refuses in a tag name", () => {
    for (const char of ["<", ">", "%", "&", "\\", "?", "/"]) assert.match(refusal(`a${char}b=1`), /holds one of < > % & \\ \? \//);
  });

  it("refuses a control character in a name or a value, shown escaped", () => {
    assert.match(refusal("team\u0007=ml"), /tag 'team\\u0007' = 'ml' holds a control character/);
    assert.match(refusal("team=ml\u001b[31m"), /tag 'team' = 'ml\\u001B\[31m' holds a control character/);
    assert.match(refusal("team=m\u202el"), /holds a control character/);
  });

  it("refuses the same name in another case, since Azure ignores case in tag names", () => {
    assert.equal(refusal("Team=a\nteam=b"), "Input 'tags' line 2: tag 'team' (the same as 'Team': Azure ignores case in tag names) is given twice.");
  });

  it("keeps a tag named __proto__ as a tag", () => {
    const tags = parseTags("__proto__=x", "tags");
    assert.deepEqual(Object.keys(tags), ["__proto__"]);
    assert.equal(Object.getPrototypeOf(tags), Object.prototype);
  });
});
