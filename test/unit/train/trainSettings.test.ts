import * as assert from "node:assert/strict";
import { escapeMarkdown, formatDuration, parseMetrics, trainSummaryMarkdown } from "../../../tasks/AzureMLTrain/src/report/trainSummary";
import { buildResultsUrl, pipelineTags } from "../../../tasks/AzureMLTrain/src/settings/pipelineRun";
import { defaultExperimentName, parseComputeInput, parseEnvironmentInput } from "../../../tasks/AzureMLTrain/src/settings/trainSettings";
import { generateJobName } from "../../../tasks/AzureMLTrain/src/submission/jobName";

describe("AzureMLTrain: settings, names, tags and summary", () => {
  describe("the default experiment", () => {
    it("is the pipeline's name made a valid experiment name", () => {
      assert.equal(defaultExperimentName("Churn training (nightly)", "/s/ml/job.yml"), "Churn_training_nightly");
      assert.equal(defaultExperimentName("ml-ops_2", "/s/ml/job.yml"), "ml-ops_2");
      assert.equal(defaultExperimentName("  ", "/s/ml/job.yml"), "ml", "no pipeline name: the job file's folder");
      assert.equal(defaultExperimentName(undefined, "/job.yml"), "Default");
      assert.equal(defaultExperimentName("x".repeat(300), "/s/job.yml").length, 255);
    });
  });

  describe("inputs 'compute' and 'environment'", () => {
    it("reads a compute as the job file does", () => {
      assert.deepEqual(parseComputeInput("azureml:gpu-cluster"), { kind: "named", name: "gpu-cluster", text: "azureml:gpu-cluster" });
      assert.deepEqual(parseComputeInput("cpu"), { kind: "named", name: "cpu", text: "cpu" });
      assert.throws(() => parseComputeInput("azureml:a b"), /^InputError: Input 'compute' is 'azureml:a b'/);
    });

    it("takes registered environments only, naming the input in every refusal", () => {
      assert.equal(parseEnvironmentInput("azureml:sklearn:3").kind, "reference");
      assert.equal(parseEnvironmentInput("azureml:sklearn@latest").kind, "reference");
      assert.equal(parseEnvironmentInput("azureml://registries/azureml/environments/sklearn-1.5/versions/12").kind, "reference");
      for (const [value, pattern] of [
        ["azureml:sklearn", /without a version; write azureml:sklearn@latest/],
        ["azureml://registries/azureml/models/m/versions/1", /a registry asset/],
        ["./env", /a local path/],
        ["azureml:a:b:c", /more than one ':'/],
      ] as const) {
        assert.throws(
          () => parseEnvironmentInput(value),
          (error: Error) => error.name === "InputError" && error.message.startsWith(`Input 'environment' is '${value}'`) && pattern.test(error.message),
        );
      }
    });
  });

  describe("the pipeline run's tags", () => {
    it("link the job to the build's results page", () => {
      assert.equal(buildResultsUrl("https://dev.azure.com/contoso/", "ML Ops", "42"), "https://dev.azure.com/contoso/ML%20Ops/_build/results?buildId=42");
      assert.equal(buildResultsUrl("https://tfs.contoso.com/tfs/Default", "p", "7"), "https://tfs.contoso.com/tfs/Default/p/_build/results?buildId=7");
      assert.equal(buildResultsUrl(undefined, "p", "7"), undefined);
    });

    it("name the release in a classic release, and leave out what the agent does not give", () => {
      assert.deepEqual(
        pipelineTags({ buildId: "42", releaseName: "Release-3", releaseUrl: "https://dev.azure.com/c/p/_release?releaseId=3", releaseEnvironment: "Prod" }),
        {
          "azure_pipelines.build_id": "42",
          "azure_pipelines.release": "Release-3",
          "azure_pipelines.release_url": "https://dev.azure.com/c/p/_release?releaseId=3",
          "azure_pipelines.release_stage": "Prod",
        },
      );
      assert.deepEqual(pipelineTags({}), {});
    });
  });

  describe("job names", () => {
    it("are two words and ten lower-case letters or digits, as azure-ai-ml makes them", () => {
      const names = new Set(Array.from({ length: 50 }, () => generateJobName()));
      for (const name of names) assert.match(name, /^[a-z]+_[a-z]+_[a-z0-9]{10}$/);
      assert.ok(names.size > 45, "job names repeat");
    });
  });

  describe("the run summary", () => {
    it("keeps the numbers of a flat metrics file and says what it left out", () => {
      assert.deepEqual(parseMetrics('{"accuracy": 0.9, "loss": 0.1, "notes": "x", "nested": {"a": 1}}'), {
        metrics: { accuracy: 0.9, loss: 0.1 },
        note: "2 value(s) of outputs/metrics.json that are not numbers are not shown.",
      });
      assert.deepEqual(parseMetrics("[1,2]"), { metrics: {}, note: "outputs/metrics.json is not a JSON object." });
      assert.deepEqual(parseMetrics("{oops"), { metrics: {}, note: "outputs/metrics.json is not valid JSON." });
    });

    it("cannot be reshaped by a metric's or job's name", () => {
      assert.equal(escapeMarkdown("f1_*macro*"), "f1\\_\\*macro\\*");
      assert.equal(escapeMarkdown("[click](http://x)"), "\\[click\\](http://x)");
      const markdown = trainSummaryMarkdown({
        jobName: "j",
        status: "Completed",
        studioUrl: "https://ml.azure.com/runs/j",
        experimentName: "e",
        compute: "serverless",
        environment: "azureml:e:1",
        durationSeconds: 3725,
        metrics: { "a|b\nc": 1 },
      });
      assert.ok(markdown.includes("| a\\|b c | 1 |"), markdown);
      assert.ok(markdown.includes("| Duration | 1 h 2 min 5 s |"));
      assert.equal(formatDuration(59), "59 s");
    });
  });
});
