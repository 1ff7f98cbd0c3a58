import * as assert from "node:assert/strict";
import { inlineHtml, markdownHtml } from "../../../local/screenshot/markdownHtml";
import { RecordedRun, RecordedStep } from "../../../local/screenshot/recordRun";
import { runViewHtml, visibleLogLines } from "../../../local/screenshot/runViewPage";
import { registrationSummaryMarkdown } from "../../../tasks/AzureMLRegisterModel/src/report/registrationSummary";
import { trainSummaryMarkdown } from "../../../tasks/AzureMLTrain/src/report/trainSummary";

// The Marketplace picture's page (scripts/marketplace-screenshot.mjs): the summaries' markdown
// rendered as Azure DevOps renders it, and a step's log as the agent shows it.

const trainStep: RecordedStep = {
  displayName: "Train the model",
  task: "AzureMLTrain@1",
  taskInfo: {
    friendlyName: "Azure ML training job",
    description: "Submit a job.",
    version: "1.0.0",
    author: "azureml-devops",
    helpUrl: "https://example.org/help",
  },
  result: "Succeeded",
  seconds: 4,
  lines: [
    "##vso[task.setsecret]***",
    "##[section]Azure ML job from ml/train-job.yml",
    "##[group]Preparing code",
    "Code uploaded: 2 file(s)",
    "##[endgroup]",
    "##vso[task.setvariable variable=jobName;isOutput=true;]job_1",
    "##[warning]Careful <here>",
    "rmse=54.011",
  ],
  summaries: [
    trainSummaryMarkdown({
      jobName: "job_1",
      status: "Completed",
      studioUrl: "https://ml.azure.com/runs/job_1",
      experimentName: "diabetes",
      compute: "cpu-cluster",
      environment: "azureml:sklearn:1",
      metrics: { rmse: 54.01 },
    }),
  ],
};

describe("the Marketplace picture's page (local/screenshot)", () => {
  describe("markdown as a run summary shows it", () => {
    it("renders our summaries' tables, headings and links, with the escapes they write", () => {
      const html = markdownHtml(trainStep.summaries[0]);
      assert.match(html, /<h3>Azure ML job job_1<\/h3>/);
      assert.match(html, /<table data-columns="2"><tbody><tr><td>Job<\/td><td><a href="https:\/\/ml\.azure\.com\/runs\/job_1">job_1<\/a><\/td><\/tr>/);
      assert.match(
        html,
        /<h4>Metrics<\/h4>\n<table data-columns="2"><thead><tr><th>Metric<\/th><th>Value<\/th><\/tr><\/thead><tbody><tr><td>rmse<\/td><td>54\.01<\/td><\/tr><\/tbody><\/table>/,
      );
    });

    it("renders the registration summary's gate, whose text escapes every punctuation mark", () => {
      const markdown = registrationSummaryMarkdown({
        modelName: "diabetes-ridge",
        modelType: "custom_model",
        registeredVersion: "1",
        source: { kind: "local", path: "model/model.pkl" },
      });
      const html = markdownHtml(markdown);
      assert.match(html, /<h3>Model diabetes-ridge: version 1 registered<\/h3>/);
      assert.match(html, /<td>local path model\/model\.pkl \(uploaded\)<\/td>/);
      assert.doesNotMatch(html, /\\/, "no backslash of an escape is left");
    });

    it("keeps a cell's escaped pipe in its cell, and escapes HTML everywhere", () => {
      const html = markdownHtml("| a | b |\n| --- | --- |\n| x \\| y | <script>alert(1)</script> |\n\nText & <b>more</b>\n\n- one `<i>`\n- **two**");
      assert.match(html, /<td>x \| y<\/td><td>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/td>/);
      assert.match(html, /<p>Text &amp; &lt;b&gt;more&lt;\/b&gt;<\/p>/);
      assert.match(html, /<ul><li>one <code>&lt;i&gt;<\/code><\/li><li><strong>two<\/strong><\/li><\/ul>/);
    });

    it("links only to http(s) addresses, and leaves a table with an empty header without <thead>", () => {
      assert.equal(inlineHtml("[x](javascript:alert)"), "x");
      assert.equal(inlineHtml('[a "b"](https://e.org/?q="1")'), '<a href="https://e.org/?q=&quot;1&quot;">a &quot;b&quot;</a>');
      assert.doesNotMatch(markdownHtml("|  |  |\n| --- | --- |\n| a | b |"), /<thead>/);
    });
  });

  describe("a step's log as the agent shows it", () => {
    it("starts with the task's header from task.json, hides logging commands, ends with Finishing", () => {
      const lines = visibleLogLines(trainStep);
      assert.equal(lines[0], "##[section]Starting: Train the model");
      assert.ok(lines.includes("Task         : Azure ML training job"));
      assert.ok(lines.includes("Version      : 1.0.0"));
      assert.deepEqual(
        lines.filter((line) => line.startsWith("##vso[")),
        [],
      );
      assert.equal(lines[lines.length - 1], "##[section]Finishing: Train the model");
    });

    it("numbers the lines, marks sections, groups and warnings, escapes the text, and shows the selected step's summaries", () => {
      const run: RecordedRun = { pipelineName: "p", runName: "1", stage: "Dev", job: "Build", steps: [trainStep], validated: 1, unmatched: 0, violations: 0 };
      const html = runViewHtml(run, { selectedStep: "Train the model" });
      assert.match(
        html,
        /<div class="line group"><span class="number">\d+<\/span><span class="text"><span class="chevron">⌄<\/span>Preparing code<\/span><\/div>/,
      );
      assert.match(html, /<div class="line text grouped"><span class="number">\d+<\/span><span class="text">Code uploaded: 2 file\(s\)<\/span><\/div>/);
      assert.match(html, /<div class="line warning"><span class="number">\d+<\/span><span class="text">Careful &lt;here&gt;<\/span><\/div>/);
      assert.match(html, /<div class="line text"><span class="number">\d+<\/span><span class="text">rmse=54\.011<\/span><\/div>/);
      assert.doesNotMatch(html, /##vso|##\[/);
      assert.match(html, /<div class="card-title">Azure ML training job<\/div>/);
      assert.match(html, /<div class="step selected">.*Train the model.*4s/);
    });
  });
});
