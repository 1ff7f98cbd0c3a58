import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readOnlineDeploymentFile } from "../../../tasks/common/src/azureml/onlineDeploymentFile";
import { readOnlineEndpointFile } from "../../../tasks/common/src/azureml/onlineEndpointFile";
import { loadConfiguration } from "../../../tasks/common/src/configuration/loadConfiguration";
import { readCommandJobFile } from "../../../tasks/AzureMLTrain/src/jobFile/commandJob";
import { pythonWithSklearn } from "../../local/jobRunner/jobTestSupport";
import { projectRoot } from "../packaging/project";
import { expandPipeline } from "../../../local/runner/pipeline/compilePipeline";
import { asSchemaSees, describeErrors, loadPipelineYaml, pipelineValidator } from "./pipelineSchema";

// The starter project a team copies (pipelines/): its pipelines against the official schema, the
// files its steps name, its az ml YAML through our own readers, and its core scripts for real.
const starter = path.join(projectRoot, "pipelines");
const inStarter = (...parts: string[]) => path.join(starter, ...parts);
const yamlFilesIn = (folder: string) =>
  fs
    .readdirSync(inStarter(folder))
    .filter((name) => name.endsWith(".yml"))
    .map((name) => path.join(folder, name));

interface TaskStepLike {
  task?: string;
  inputs?: Record<string, string>;
}

/** Every task step written in a YAML document, wherever it sits (templates nest them under expressions). */
function taskSteps(node: unknown): TaskStepLike[] {
  if (Array.isArray(node)) return node.flatMap(taskSteps);
  if (node === null || typeof node !== "object") return [];
  const record = node as Record<string, unknown>;
  const own = typeof record.task === "string" ? [record as TaskStepLike] : [];
  return [...own, ...Object.values(record).flatMap(taskSteps)];
}

describe("the starter project (pipelines/)", () => {
  describe("against the official Azure Pipelines schema (our tasks added from their task.json)", () => {
    for (const file of ["azure-pipelines.yml", "release-stage.yml"]) {
      it(`${file} is a valid pipeline`, () => {
        const validate = pipelineValidator();
        assert.ok(validate(loadPipelineYaml(inStarter(file))), describeErrors(validate));
      });
    }
    for (const file of yamlFilesIn("templates/steps")) {
      it(`${file} is a valid steps template`, () => {
        const validate = pipelineValidator("stepsTemplate");
        assert.ok(validate(loadPipelineYaml(inStarter(file))), describeErrors(validate));
      });
    }
    for (const file of yamlFilesIn("variables")) {
      it(`${file} is a valid variables template with the variables of DESIGN §1`, () => {
        const validate = pipelineValidator("variablesTemplate");
        const document = loadPipelineYaml(inStarter(file)) as { variables: Record<string, string> };
        assert.ok(validate(document), describeErrors(validate));
        for (const name of ["ENVIRONMENT", "RESOURCE_GROUP", "LOCATION", "NAMESPACE", "SERVICECONNECTION_RG", "SERVICECONNECTION_WS"]) {
          assert.ok(document.variables[name], `${file} sets ${name}`);
        }
        assert.equal(document.variables.ENVIRONMENT, path.basename(file, ".yml").toUpperCase());
      });
    }
    // The stage template inserts keys with ${{ if }}, which the schema (written for expanded YAML) cannot read: it is checked expanded.
    const expansions: [string, Record<string, string>][] = [
      ["azure-pipelines.yml", { retrain: "false" }],
      ["azure-pipelines.yml", { retrain: "true" }],
      ["release-stage.yml", { environment: "dev" }],
      ["release-stage.yml", { environment: "prod" }],
    ];
    for (const [file, parameters] of expansions) {
      it(`${file} with ${JSON.stringify(parameters)} is valid once its templates are expanded`, () => {
        const expanded = expandPipeline(inStarter(file), { parameters, predefinedVariables: {}, repositoryRoot: starter });
        const validate = pipelineValidator();
        assert.ok(validate(asSchemaSees(expanded)), describeErrors(validate));
      });
    }
    for (const retrain of ["false", "true"]) {
      it(`Test and Prod ${retrain === "true" ? "retrain when asked" : "promote Dev's model, not retrain it"}, through Azure DevOps environments`, () => {
        const expanded = asSchemaSees(
          expandPipeline(inStarter("azure-pipelines.yml"), { parameters: { retrain }, predefinedVariables: {}, repositoryRoot: starter }),
        ) as {
          stages: { stage: string; jobs: { deployment?: string; environment?: string }[] }[];
        };
        assert.deepEqual(
          expanded.stages.map((stage) => stage.stage),
          ["Dev", "Test", "Prod"],
        );
        for (const stage of expanded.stages.slice(1)) {
          const tasks = taskSteps(stage).map((step) => step.task);
          assert.equal(tasks.includes("AzureMLTrain@1"), retrain === "true", `${stage.stage}: ${tasks.join(", ")}`);
          assert.ok(tasks.includes("AzureMLDeploy@1"));
          assert.equal(stage.jobs[0].environment, `mlops-${stage.stage.toLowerCase()}`);
        }
        const devTasks = taskSteps(expanded.stages[0]).map((step) => step.task);
        assert.deepEqual(devTasks, ["AzureMLWorkspace@1", "AzureMLTrain@1", "AzureMLRegisterModel@1", "AzureMLDeploy@1", "AzureMLDeploy@1"]);
      });
    }
    it("the schema does know a misspelled input of ours", () => {
      const validate = pipelineValidator("stepsTemplate");
      const document = { steps: [{ task: "AzureMLTrain@1", inputs: { azureSubscription: "c", jobFiel: "ml/train-job.yml" } }] };
      assert.equal(validate(document), false);
      assert.match(describeErrors(validate), /jobFiel/);
    });
  });

  describe("what its steps name", () => {
    const documents = [...yamlFilesIn("templates/steps"), "azure-pipelines.yml", "release-stage.yml"].map((file) => loadPipelineYaml(inStarter(file)));
    const steps = documents.flatMap(taskSteps);

    it("uses each of the four tasks", () => {
      const used = new Set(steps.map((step) => step.task));
      for (const task of ["AzureMLWorkspace@1", "AzureMLTrain@1", "AzureMLRegisterModel@1", "AzureMLDeploy@1"]) assert.ok(used.has(task), `${task} is used`);
    });

    it("names files that exist, relative to the project's root", () => {
      const fileInputs = steps.flatMap((step) => Object.entries(step.inputs ?? {}).filter(([name]) => /File$/.test(name)));
      assert.ok(fileInputs.length >= 4);
      for (const [name, value] of fileInputs) assert.ok(fs.existsSync(inStarter(value)), `${name}: ${value} exists`);
    });
  });

  describe("its az ml YAML, read as the tasks read it", () => {
    it("ml/train-job.yml is a command job whose code and conda file exist", () => {
      const job = readCommandJobFile(inStarter("ml", "train-job.yml"), "jobFile");
      assert.match(job.command, /python train\.py/);
      assert.deepEqual(Object.keys(job.outputs), ["model"]);
    });
    it("ml/endpoint.yml and ml/deployment.yml are an endpoint and a deployment of it", () => {
      const endpoint = readOnlineEndpointFile(inStarter("ml", "endpoint.yml"), "endpointFile");
      const deployment = readOnlineDeploymentFile(inStarter("ml", "deployment.yml"), "deploymentFile");
      assert.equal(deployment.endpointName, endpoint.name);
      assert.equal(deployment.codeConfiguration?.scoringScript, "score.py");
      assert.equal(deployment.model, undefined, "the model comes from the register step");
    });
    for (const environment of ["DEV", "TEST", "PROD"]) {
      it(`configuration for ${environment} loads, holds no secret and gives the training section`, () => {
        const loaded = loadConfiguration({ directory: inStarter("configuration"), environment });
        assert.ok(loaded.values.training && typeof loaded.values.training === "object");
        assert.ok(Array.isArray(loaded.values.compute_clusters));
      });
    }
  });

  describe("its core scripts, run as its README says", function () {
    this.timeout(120_000);
    let work: string;
    before(() => {
      work = fs.mkdtempSync(path.join(os.tmpdir(), "starter-scripts-"));
    });
    after(() => fs.rmSync(work, { recursive: true, force: true }));

    it("src/train.py writes a model and metrics; src/score.py scores the sample request with it", () => {
      const python = pythonWithSklearn().executable;
      const modelDir = path.join(work, "model");
      const metricsFile = path.join(work, "metrics.json");
      const trained = spawnSync(python, [inStarter("src", "train.py"), "--alpha", "0.5", "--model_dir", modelDir, "--metrics_file", metricsFile], {
        encoding: "utf8",
      });
      assert.equal(trained.status, 0, trained.stderr);
      const metrics = JSON.parse(fs.readFileSync(metricsFile, "utf8")) as Record<string, number>;
      assert.ok(metrics.rmse > 0 && metrics.r2 > 0 && metrics.alpha === 0.5);

      const scored = spawnSync(python, [inStarter("src", "score.py"), "--model_dir", work, "--request", inStarter("ml", "sample-request.json")], {
        encoding: "utf8",
      });
      assert.equal(scored.status, 0, scored.stderr);
      const predictions = JSON.parse(scored.stdout) as number[];
      assert.equal(predictions.length, 2);
      for (const value of predictions) assert.ok(Number.isFinite(value) && value > 0, `a plausible disease progression: ${value}`);
    });

    it("src/train.py refuses a value out of range, naming it", () => {
      const refused = spawnSync(pythonWithSklearn().executable, [inStarter("src", "train.py"), "--alpha", "0"], { encoding: "utf8", cwd: work });
      assert.equal(refused.status, 2);
      assert.match(refused.stderr, /--alpha must be greater than 0/);
    });
  });
});
