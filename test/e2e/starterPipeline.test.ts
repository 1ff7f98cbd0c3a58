import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalAzure, startLocalAzure } from "../../local/azure";
import { ArmReader } from "../../local/azure/connection/armReader";
import { runPipeline } from "../../local/runner/pipeline/pipelineRun";
import { outputValues, type JobRecord, type RunSummary } from "../../local/runner/pipeline/runRecords";
import { apiVersions } from "../../tasks/common/src/azure/apiVersions";
import { processGroupsWorkingUnder, scoringRequest } from "../local/support/scoringRequest";
import { pythonWithSklearn } from "../local/jobRunner/jobTestSupport";
import { JWT_SHAPE, spellingsOf } from "./secretScan";

const projectRoot = path.resolve(__dirname, "../../..");
const starter = path.join(projectRoot, "pipelines");

function job(summary: RunSummary, stage: string, name: string): JobRecord {
  const found = summary.stages.find((candidate) => candidate.name === stage)?.jobs.find((candidate) => candidate.name === name);
  assert.ok(found, `no job ${stage}.${name} in the run`);
  return found;
}

// The starter project's pipeline (pipelines/azure-pipelines.yml) as a team would run it, through
// the local runner on a local Azure: Dev provisions, trains for real, registers, deploys
// blue/green and packages; Test promotes that very model (from the Docker context artifact) into
// its own workspace and deploys it through its Azure DevOps environment.
describe("the starter pipeline, Dev and Test, through the local runner on the local Azure", function () {
  this.timeout(900_000);
  let azure: LocalAzure;
  let stateDir: string;
  let summary: RunSummary;
  const printed: string[] = [];

  before(async () => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-starter-"));
    const python = pythonWithSklearn().executable;
    azure = await startLocalAzure({ stateDir: path.join(stateDir, "azure"), provisioningSeconds: 1, retryAfterSeconds: 1, python });
    summary = await runPipeline({
      file: path.join(starter, "azure-pipelines.yml"),
      stages: ["Dev", "Test"],
      sourcesDirectory: starter,
      connectionFile: azure.connectionFile,
      runDirectory: path.join(stateDir, "run"),
      python,
      write: (line) => printed.push(line),
    });
  });

  after(async () => {
    if (!azure) return;
    const counts = azure.validationCounts();
    const violations = azure.violations();
    await azure.stop();
    const left = processGroupsWorkingUnder(stateDir);
    fs.rmSync(stateDir, { recursive: true, force: true });
    assert.deepEqual(left, [], "a process outlived the run");
    assert.deepEqual(violations, []);
    assert.ok(counts.validated > 0);
    assert.equal(counts.refused, 0, "requests the swagger refuses");
    assert.equal(counts.unmatched, 0, "requests no swagger operation matches");
  });

  it("runs every step of Dev and Test to success", () => {
    const log = printed.join("\n");
    assert.equal(summary.result, "Succeeded", log.slice(-6000));
    const dev = job(summary, "Dev", "Build");
    assert.deepEqual(
      dev.steps.map((step) => [step.name, step.result]),
      ["workspace", "train", "register", "deploy", "CmdLine", "package"].map((name) => [name, "Succeeded"]),
    );
    const test = job(summary, "Test", "Deploy");
    assert.equal(test.kind, "deployment");
    assert.ok(
      test.steps.every((step) => step.result === "Succeeded"),
      JSON.stringify(test.steps),
    );
    assert.match(log, /mlops-test/, "the deployment job names its environment");
  });

  it("serves the same model in Test as in Dev: promoted, not retrained", async () => {
    const arm = await ArmReader.signIn(azure.connection);
    const request = fs.readFileSync(path.join(starter, "ml", "sample-request.json"), "utf8");
    const predictions: unknown[] = [];
    for (const [stage, name, prefix] of [
      ["Dev", "Build", ""],
      ["Test", "Deploy", "Deploy."],
    ] as const) {
      const outputs = outputValues(job(summary, stage, name));
      const endpointId = `${outputs[`${prefix}workspace.workspaceId`]}/onlineEndpoints/${outputs[`${prefix}deploy.endpointName`]}`;
      const keys = await arm.readAction<{ primaryKey: string; secondaryKey: string }>(endpointId, "listKeys", apiVersions.machineLearning);
      const answer = await scoringRequest(outputs[`${prefix}deploy.scoringUri`] ?? "", azure.connection.caCertPath ?? "", {
        body: request,
        credential: keys.primaryKey,
      });
      assert.equal(answer.status, 200, answer.text);
      predictions.push(answer.json);
      for (const spelling of [...spellingsOf(keys.primaryKey), ...spellingsOf(keys.secondaryKey)]) {
        assert.ok(!printed.some((line) => line.includes(spelling)), `${stage}'s endpoint key was printed`);
      }
    }
    assert.deepEqual(predictions[1], predictions[0]);
    const testOutputs = outputValues(job(summary, "Test", "Deploy"));
    const model = await arm.get(
      `${testOutputs["Deploy.workspace.workspaceId"]}/models/diabetes-ridge/versions/${testOutputs["Deploy.register.modelVersion"]}`,
      apiVersions.machineLearning,
    );
    assert.equal(model.properties?.tags && (model.properties.tags as Record<string, string>).promoted_from, "DEV");
  });

  it("prints no secret of the connections and no token", () => {
    const secrets = azure.connection.servicePrincipals.flatMap((principal) => (principal.clientSecret ? spellingsOf(principal.clientSecret) : []));
    for (const secret of secrets) assert.ok(!printed.some((line) => line.includes(secret)), "a service principal secret was printed");
    assert.ok(!printed.some((line) => JWT_SHAPE.test(line)), "a token was printed");
  });
});
