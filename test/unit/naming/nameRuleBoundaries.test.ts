import * as assert from "node:assert/strict";
import { nameRules, NamedResourceKind } from "../../../tasks/common/src/naming/azureNameRules";
import { abbreviated, hasControlCharacter, quoted } from "../../../tasks/common/src/text/printable";

/*
 * Every rule at its edges: the shortest and the longest name Azure takes, one character short
 * of the one and one past the other, and a valid name with a control character in it. A rule
 * whose length is off by one, or that lets a newline through, fails here.
 */
interface Edges {
  shortest: string;
  longest: string;
  /** One character under the minimum (the empty name when the minimum is 1). */
  tooShort: string;
  tooLong: string;
  /** An everyday valid name of four characters or more, to hide control characters in. */
  typical: string;
}

const edges: Record<NamedResourceKind, Edges> = {
  storageAccount: { shortest: "sa1", longest: "s".repeat(23) + "1", tooShort: "sa", tooLong: "s".repeat(25), typical: "samlops01" },
  keyVault: { shortest: "kv1", longest: "k-" + "v".repeat(22), tooShort: "kv", tooLong: "k-" + "v".repeat(23), typical: "kv-mlops" },
  containerRegistry: { shortest: "cr001", longest: "C".repeat(49) + "9", tooShort: "cr01", tooLong: "c".repeat(51), typical: "crmlops01" },
  workspace: { shortest: "w_1", longest: "w" + "-_".repeat(16), tooShort: "w1", tooLong: "w".repeat(34), typical: "aml-dev_1" },
  applicationInsights: { shortest: "a", longest: "a (b)".repeat(52), tooShort: "", tooLong: "a".repeat(261), typical: "ai mlops (dev)" },
  logAnalyticsWorkspace: { shortest: "la-1", longest: "l" + "-".repeat(61) + "1", tooShort: "la1", tooLong: "l".repeat(64), typical: "la-mlops" },
  resourceGroup: { shortest: "r", longest: "rg-(é)_." + "r".repeat(82), tooShort: "", tooLong: "r".repeat(91), typical: "rg-mlops(dev)" },
  computeCluster: { shortest: "c1", longest: "cpu-cluster-0123", tooShort: "c", tooLong: "cpu-cluster-01234", typical: "cpu-cluster" },
  location: { shortest: "uk", longest: "l".repeat(40), tooShort: "u", tooLong: "l".repeat(41), typical: "westeurope" },
};

const controlCharacters = ["\n", "\r", "\t", "\u0000", "\u001b", "\u007f", "\u0085", "\u2028", "\u202e", "\u2066"];

describe("Azure naming rules at their edges", () => {
  for (const [kind, edge] of Object.entries(edges) as Array<[NamedResourceKind, Edges]>) {
    const rule = nameRules[kind];
    describe(rule.resource, () => {
      it(`takes the shortest (${rule.length.min}) and the longest (${rule.length.max}) valid names`, () => {
        assert.equal(edge.shortest.length, rule.length.min);
        assert.equal(edge.longest.length, rule.length.max);
        assert.ok(rule.test(edge.shortest), `${quoted(edge.shortest)} should be valid`);
        assert.ok(rule.test(edge.longest), `${quoted(edge.longest)} should be valid`);
      });

      it("refuses one character short of the minimum and one past the maximum", () => {
        assert.equal(edge.tooShort.length, rule.length.min - 1);
        assert.equal(edge.tooLong.length, rule.length.max + 1);
        assert.ok(!rule.test(edge.tooShort), `${quoted(edge.tooShort)} should be refused`);
        assert.ok(!rule.test(edge.tooLong), `${quoted(edge.tooLong)} should be refused`);
      });

      it("refuses a control character anywhere in an otherwise valid name", () => {
        const base = edge.typical;
        assert.ok(rule.test(base), `${quoted(base)} should be valid`);
        for (const char of controlCharacters) {
          for (const name of [base.slice(0, 1) + char + base.slice(2), base.slice(0, -1) + char]) {
            assert.equal(name.length, base.length);
            assert.ok(!rule.test(name), `${quoted(name)} should be refused`);
          }
        }
      });

      it("says its length in its description", () => {
        if (kind === "location") return; // a region name is not Azure's to describe
        assert.ok(rule.description.startsWith(`${rule.length.min}–${rule.length.max} `), rule.description);
      });
    });
  }

  it("takes a 16-character cluster name such as az ml examples use", () => {
    assert.ok(nameRules.computeCluster.test("gpu-cluster-a100"));
    assert.ok(nameRules.computeCluster.test("A".repeat(16)));
  });

  it("takes an Application Insights name Azure takes, with spaces and brackets, but not one with a newline", () => {
    assert.ok(nameRules.applicationInsights.test("ai mlops (dev)"));
    assert.ok(!nameRules.applicationInsights.test("ai\ndev"));
    assert.ok(!nameRules.applicationInsights.test("ai#dev".replace("#", "\u0085")));
  });

  it("takes a resource group of Unicode letters and decimal digits, not other numerals", () => {
    assert.ok(nameRules.resourceGroup.test("grupo-señal-٣"));
    assert.ok(!nameRules.resourceGroup.test("rg-²"));
    assert.ok(!nameRules.resourceGroup.test("rg-Ⅻ"));
  });
});

describe("printing what the user typed", () => {
  it("quotes a plain value as is", () => {
    assert.equal(quoted("ai-dev"), "'ai-dev'");
    assert.equal(quoted("C:\\agent\\_work"), "'C:\\agent\\_work'");
  });

  it("escapes every control character, and then backslashes too, so the line stays one line", () => {
    assert.equal(quoted("ai\ndev"), "'ai\\ndev'");
    assert.equal(quoted("a\\b\r\u0000\u202e"), "'a\\\\b\\r\\u0000\\u202E'");
    for (const char of controlCharacters) {
      assert.ok(hasControlCharacter(`x${char}y`), JSON.stringify(char));
      assert.doesNotMatch(quoted(`x${char}y`), /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u);
    }
    assert.equal(hasControlCharacter("été ünïcode"), false);
  });
});

describe("cutting a long value for a sentence", () => {
  it("keeps a value of the limit whole and cuts a longer one to the limit, start and end kept", () => {
    assert.equal(abbreviated("x".repeat(160)), "x".repeat(160));
    const cut = abbreviated("a".repeat(200) + "config.json");
    assert.equal(cut.length, 160);
    assert.ok(cut.startsWith("aaa") && cut.endsWith("config.json") && cut.includes("…"), cut);
  });
});
