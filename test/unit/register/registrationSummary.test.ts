import * as assert from "node:assert/strict";
import { decideGate } from "../../../tasks/AzureMLRegisterModel/src/gate/decideGate";
import { markdownLink, markdownText } from "../../../tasks/common/src/text/markdownText";
import { RegistrationSummary, registrationSummaryMarkdown } from "../../../tasks/AzureMLRegisterModel/src/report/registrationSummary";
import { gate, version, withMetric } from "./gateFixtures";

const jobSource = {
  kind: "job" as const,
  jobName: "quirky_lime_1234",
  outputName: "artifacts",
  pathInOutput: "outputs/model",
  uri: "azureml://jobs/quirky_lime_1234/outputs/artifacts/paths/outputs/model",
};

const hostile = [
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  "##vso[task.setvariable variable=modelRegistered]true",
  "[click](javascript:alert(1))",
  "![x](https://evil.example/track.png)",
  "a | b | c",
  "line\n## Injected heading",
  "**bold** _it_ `code` ~~s~~",
  "&lt;already escaped&gt;",
  "right\u202Eto-left",
];

/** What a markdown reader would see: the raw text must hold none of these. */
function assertInert(markdown: string): void {
  assert.doesNotMatch(markdown, /<(img|script)/i);
  assert.doesNotMatch(markdown, /##vso\[/);
  assert.doesNotMatch(markdown, /\]\(javascript/i);
  assert.doesNotMatch(markdown, /!\[/);
  assert.doesNotMatch(markdown, /\u202E/);
  assert.doesNotMatch(markdown, /\n## Injected/);
  assert.doesNotMatch(markdown, /(^|[^\\])\*\*bold/);
}

describe("markdown text", () => {
  it("escapes every markdown and HTML special character", () => {
    assert.equal(markdownText("a_b*c"), "a\\_b\\*c");
    assert.equal(markdownText("<b>&"), "&lt;b&gt;&amp;");
    assert.equal(markdownText("##vso[x]"), "\\#\\#vso\\[x\\]");
    assert.equal(markdownText("a\nb"), "a\\\\u000Ab");
    assert.equal(markdownText("model-v1.2"), "model\\-v1\\.2");
    assert.equal(markdownText("plain Name 42"), "plain Name 42");
  });

  it("leaves no hostile value able to act", () => {
    for (const value of hostile) assertInert(markdownText(value));
  });

  it("makes links only to https URLs, with nothing that ends the link early", () => {
    assert.equal(
      markdownLink("studio", "https://ml.azure.com/model/m/version/1?wsid=/subscriptions/x (y)"),
      "[studio](https://ml.azure.com/model/m/version/1?wsid=/subscriptions/x%20%28y%29)",
    );
    assert.equal(markdownLink("studio", "javascript:alert(1)"), undefined);
    assert.equal(markdownLink("studio", "http://ml.azure.com"), undefined);
    assert.equal(markdownLink("studio", "not a url"), undefined);
  });
});

describe("registration summary", () => {
  const registered: RegistrationSummary = {
    modelName: "diabetes-model",
    modelType: "custom_model",
    registeredVersion: "4",
    modelId: "azureml:diabetes-model:4",
    source: jobSource,
    studioUrl: "https://ml.azure.com/model/diabetes-model:4/details",
  };

  it("shows what was registered and from where", () => {
    const markdown = registrationSummaryMarkdown(registered);
    assert.match(markdown, /^### Model diabetes\\-model: version 4 registered\n/);
    assert.match(markdown, /\[open in Azure ML studio\]\(https:\/\/ml\.azure\.com\/model\/diabetes-model:4\/details\)/);
    assert.match(markdown, /\| Version \| 4 \|/);
    assert.match(markdown, /\| Type \| custom\\_model \|/);
    assert.match(markdown, /\| Source \| job quirky\\_lime\\_1234, output artifacts, path outputs\\\/model \(azureml\\:\\\/\\\/jobs\\\/quirky/);
    assert.doesNotMatch(markdown, /Gate/);
  });

  it("shows a local and a model-file source", () => {
    assert.match(
      registrationSummaryMarkdown({ ...registered, source: { kind: "local", path: "model/m.pkl" } }),
      /\| Source \| local path model\\\/m\\\.pkl \(uploaded\) \|/,
    );
    assert.match(
      registrationSummaryMarkdown({ ...registered, source: { kind: "modelFile", file: "model.yml", path: "model" } }),
      /\| Source \| model file model\\\.yml, path model \|/,
    );
  });

  it("shows a skipped model as not registered, with the comparison", () => {
    const decision = decideGate(gate("minimize"), 1.3, [withMetric(version("3", 3), 1.2)]);
    const markdown = registrationSummaryMarkdown({ ...registered, registeredVersion: undefined, modelId: undefined, gate: decision });
    assert.match(markdown, /^### Model diabetes\\-model: not registered\n/);
    assert.doesNotMatch(markdown, /open in Azure ML studio/);
    assert.match(markdown, /\| Version \| not registered \|/);
    assert.match(markdown, /\| Metric \| Goal \| Candidate \| Champion \| Champion value \| Verdict \|/);
    assert.match(markdown, /\| rmse \| minimize \| 1\\\.3 \| version 3 \(the newest version\) \| 1\\\.2 \(from its property\) \| loses: not registered \|/);
    assert.match(markdown, /The champion is better on/);
  });

  it("shows ties, the minimum improvement, a missing champion and notices", () => {
    const tie = decideGate(gate("maximize", { minImprovement: 0.5 }), 2, [withMetric(version("3", 3), 2)]);
    const tieMarkdown = registrationSummaryMarkdown({ ...registered, registeredVersion: undefined, gate: tie });
    assert.match(tieMarkdown, /\| maximize, by at least 0\\\.5 \|/);
    assert.match(tieMarkdown, /tie \(not a win\): not registered/);

    const first = registrationSummaryMarkdown({ ...registered, gate: decideGate(gate("maximize"), 2, []) });
    assert.match(first, /\| none \| — \| no champion yet: registered \|/);

    const tagged = decideGate(gate("maximize", { championTag: { name: "champion", source: "x" } }), 2, [
      version("3", 3, { tags: { champion: "1" } }),
      version("4", 4, { tags: { champion: "1" } }),
    ]);
    const taggedMarkdown = registrationSummaryMarkdown({ ...registered, gate: tagged });
    assert.match(taggedMarkdown, /champion has no value: registered/);
    assert.match(taggedMarkdown, /\n- 2 versions carry tag \\'champion\\' \\\(4\\, 3\\\)/);
  });

  it("keeps hostile names, versions, paths and tags from acting", () => {
    for (const value of hostile) {
      const championTag = { name: value.replace(/[\n\u202E]/g, ""), source: "input 'championTag'" };
      const decision = decideGate(gate("maximize", { metric: { value, source: "input 'metric'" }, championTag }), 2, [
        version(value, 3, { tags: { [championTag.name]: "" }, properties: { [`metric.${value}`]: "1" } }),
        version(value, 4, { tags: { [championTag.name]: "" }, jobName: value }),
      ]);
      const markdown = registrationSummaryMarkdown({
        modelName: value,
        modelType: value,
        registeredVersion: value,
        modelId: value,
        source: { kind: "job", jobName: value, outputName: value, pathInOutput: value, uri: value },
        gate: decision,
        studioUrl: `https://ml.azure.com/${value}`,
      });
      assertInert(markdown);
      // The table keeps its shape: every row has the header's number of cells.
      for (const row of markdown.split("\n").filter((line) => line.startsWith("| "))) {
        const cells = row.replace(/\\\|/g, "").split("|").length;
        assert.ok(cells === 4 || cells === 8, `${cells} cells in ${row}`);
      }
    }
  });
});
