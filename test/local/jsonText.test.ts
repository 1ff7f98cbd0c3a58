import assert from "node:assert/strict";
import { jsonText } from "../../local/azure/state/json";

describe("jsonText: a stored JSON value in a message, an id or a name", () => {
  it("gives a string as it is", () => {
    assert.equal(jsonText("westeurope"), "westeurope");
    assert.equal(jsonText(""), "");
  });

  it("writes a number or a boolean as JSON writes it", () => {
    assert.equal(jsonText(42), "42");
    assert.equal(jsonText(1.5), "1.5");
    assert.equal(jsonText(false), "false");
  });

  it("writes an object or an array as JSON, never as [object Object]", () => {
    assert.equal(jsonText({ name: "sa1" }), '{"name":"sa1"}');
    assert.equal(jsonText(["a", 1]), '["a",1]');
  });

  it("gives nothing for null or a missing value", () => {
    assert.equal(jsonText(null), "");
    assert.equal(jsonText(undefined), "");
  });
});
