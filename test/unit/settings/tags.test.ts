import * as assert from "node:assert/strict";
import { parseTags } from "../../../tasks/common/src/settings/tags";

describe("tags input", () => {
  it("reads key=value lines, skipping blanks and comments, keeping '=' in values", () => {
    assert.deepEqual(parseTags("team = ml\n\n# owner\nquery=a=b\nempty=", "tags"), { team: "ml", query: "a=b", empty: "" });
    assert.deepEqual(parseTags(undefined, "tags"), {});
  });

  it("refuses lines without a key, repeated keys and characters Azure refuses", () => {
    assert.throws(() => parseTags("=x", "tags"), /Input 'tags' line 1 is not 'key=value'/);
    assert.throws(() => parseTags("a=1\na=2", "tags"), /line 2: tag 'a' is given twice/);
    assert.throws(() => parseTags("a/b=1", "tags"), /tag name 'a\/b'/);
  });
});
