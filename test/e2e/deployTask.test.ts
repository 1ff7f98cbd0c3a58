import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalAzure } from "../../local/azure";
import { TaskStepResult } from "../../local/runner/taskProcess";
import { apiVersions } from "../../tasks/common/src/azure/apiVersions";
import { processGroupsWorkingUnder, scoringRequest, ScoringResponse } from "../local/support/scoringRequest";
import { ArmReader } from "../../local/azure/connection/armReader";
import { MlWorkspaceBed, startMlWorkspaceBed } from "./mlWorkspaceBed";
import { JWT_SHAPE, spellingsOf } from "./secretScan";

const projectRoot = path.resolve(__dirname, "../../..");
const starter = path.join(projectRoot, "pipelines");
const namespace = "e2edep01";
const endpointName = "diabetes-e2edep01";
const modelName = "diabetes-ridge";

interface EndpointKeys {
  primaryKey: string;
  secondaryKey: string;
}

interface EndpointResource {
  properties: { traffic?: Record<string, number>; scoringUri?: string };
}

/** The deployment YAML of the starter project with another code folder (a broken scoring script…). */
function deploymentFileWithCode(workDir: string, name: string, codeFolder: string): string {
  const original = fs.readFileSync(path.join(workDir, "ml", "deployment.yml"), "utf8");
  const file = path.join("ml", `deployment-${name}.yml`);
  fs.writeFileSync(path.join(workDir, file), original.replace(/code: \.\.\/src\n/, `code: ../${codeFolder}\n`));
  return file;
}

// The built AzureMLDeploy task, run as the agent runs it, on the model the starter project's
// train.py really trained on the local Azure and AzureMLRegisterModel registered: online
// deployments served by real processes over HTTPS, blue/green with smoke tests, failures that
// leave traffic alone, and every ARM exchange checked against the swagger.
describe("AzureMLDeploy end to end on the local Azure", function () {
  this.timeout(900_000);
  let bed: MlWorkspaceBed;
  let azure: LocalAzure;
  let arm: ArmReader;
  let endpointId: string;
  /** The job variables the register step set (AZUREML_LAST_MODEL_NAME/VERSION), as the agent passes them on. */
  let registered: Record<string, string>;
  let scoringUri: string;
  let firstPredictions: number[];

  async function keys(): Promise<EndpointKeys> {
    return arm.readAction<EndpointKeys>(endpointId, "listKeys", apiVersions.machineLearning);
  }

  async function traffic(): Promise<Record<string, number>> {
    const endpoint = (await arm.get(endpointId, apiVersions.machineLearning)) as unknown as EndpointResource;
    return endpoint.properties.traffic ?? {};
  }

  /** No key of the endpoint and no token in any spelling in what the step printed (the runner masks only what the task registered). */
  async function assertNoKeyIn(result: TaskStepResult): Promise<void> {
    const { primaryKey, secondaryKey } = await keys();
    for (const spelling of [...spellingsOf(primaryKey), ...spellingsOf(secondaryKey)]) {
      assert.ok(!result.log.includes(spelling), "an endpoint key was printed");
    }
    assert.doesNotMatch(result.log, JWT_SHAPE, "a token was printed");
  }

  function deploy(inputs: Record<string, string>): Promise<TaskStepResult> {
    return bed.runTask(
      "AzureMLDeploy",
      {
        endpointFile: "ml/endpoint.yml",
        deploymentFile: "ml/deployment.yml",
        endpointName,
        smokeTestRequestFile: "ml/sample-request.json",
        smokeTestResponsePattern: "^\\[-?[0-9]",
        timeoutMinutes: "5",
        ...inputs,
      },
      { variables: registered, timeoutMs: 600_000 },
    );
  }

  async function score(credential: string | undefined, headers: Record<string, string> = {}): Promise<ScoringResponse> {
    const body = fs.readFileSync(path.join(starter, "ml", "sample-request.json"), "utf8");
    return scoringRequest(scoringUri, azure.connection.caCertPath ?? "", { body, credential, headers });
  }

  before(async () => {
    bed = await startMlWorkspaceBed(namespace);
    azure = bed.azure;
    arm = await ArmReader.signIn(azure.connection);
    endpointId = `${bed.workspaceId}/onlineEndpoints/${endpointName}`;
    for (const folder of ["src", "ml", "configuration"]) fs.cpSync(path.join(starter, folder), path.join(bed.workDir, folder), { recursive: true });

    const trained = await bed.runTask("AzureMLTrain", { jobFile: "ml/train-job.yml", configurationSection: "training" }, { timeoutMs: 300_000 });
    assert.equal(trained.result, "Succeeded", trained.log);
    const registration = await bed.runTask("AzureMLRegisterModel", { modelName }, { variables: trained.variables });
    assert.equal(registration.result, "Succeeded", registration.log);
    registered = registration.variables;
    assert.equal(registered.AZUREML_LAST_MODEL_NAME, modelName);
    assert.equal(registered.AZUREML_LAST_MODEL_VERSION, "1");
  });

  after(async () => {
    if (!bed) return;
    const stateDir = bed.stateDir;
    const counts = azure.validationCounts();
    const violations = azure.violations();
    await bed.stop();
    assert.deepEqual(processGroupsWorkingUnder(stateDir), [], "a deployment's process outlived the local Azure");
    assert.deepEqual(violations, [], "responses of the local Azure that the swagger refuses");
    assert.ok(counts.validated > 0, "nothing was validated against the swagger");
    assert.equal(counts.refused, 0, "requests the swagger refuses");
    assert.equal(counts.unmatched, 0, "requests no swagger operation matches");
  });

  it("creates the endpoint, deploys the registered model, smoke-tests it and gives it all the traffic", async () => {
    const result = await deploy({ deploymentName: "blue" });
    assert.equal(result.result, "Succeeded", result.log);
    assert.equal(result.outputs.endpointName, endpointName);
    assert.equal(result.outputs.deploymentName, "blue");
    scoringUri = result.outputs.scoringUri ?? "";
    assert.match(scoringUri, /^https:\/\/.+\/score$/);
    assert.deepEqual(JSON.parse(result.outputs.trafficAfter ?? "{}"), { blue: 100 });
    assert.deepEqual(await traffic(), { blue: 100 });

    const { primaryKey } = await keys();
    assert.equal(result.outputs.endpointKey, primaryKey, "the key is the secret output");
    assert.ok(result.secrets.includes(primaryKey), "the key was registered as a secret before it was set");
    await assertNoKeyIn(result);

    const answer = await score(primaryKey);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.headers["azureml-model-deployment"], "blue");
    firstPredictions = answer.json as number[];
    assert.equal(firstPredictions.length, 2);
    for (const value of firstPredictions) assert.ok(Number.isFinite(value) && value > 0, `a plausible prediction: ${value}`);
  });

  it("refuses a wrong key and a request without one", async () => {
    const { primaryKey } = await keys();
    const wrong = await score(`${primaryKey.slice(0, -4)}AAAA`);
    assert.equal(wrong.status, 401);
    const none = await score(undefined);
    assert.equal(none.status, 401);
  });

  it("rolls out a second deployment blue/green: smoke-tested at 0 % through its header, then all traffic moves", async () => {
    azure.clearRequests();
    const result = await deploy({ deploymentName: "green" });
    assert.equal(result.result, "Succeeded", result.log);
    await assertNoKeyIn(result);
    assert.deepEqual(JSON.parse(result.outputs.trafficBefore ?? "{}"), { blue: 100 });
    assert.deepEqual(await traffic(), { blue: 0, green: 100 });

    // The order of what reached Azure: the smoke test (a scoring request) before any change of traffic.
    const requests = azure.requests();
    const smokeTest = requests.findIndex((entry) => entry.target === "inference" && entry.method === "POST");
    const trafficChange = requests.findIndex(
      (entry) => (entry.method === "PATCH" || entry.method === "PUT") && entry.path.split("?")[0].toLowerCase().endsWith(`/onlineendpoints/${endpointName}`),
    );
    assert.ok(smokeTest >= 0, "no scoring request reached the endpoint");
    assert.ok(trafficChange > smokeTest, "traffic moved before the smoke test");

    const { primaryKey } = await keys();
    const answer = await score(primaryKey);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.headers["azureml-model-deployment"], "green");
    assert.deepEqual(answer.json, firstPredictions, "the same model answers the same");
    const old = await score(primaryKey, { "azureml-model-deployment": "blue" });
    assert.equal(old.status, 200, "the previous deployment is kept (previousDeployments: keep)");
  });

  it("fails a deployment whose scoring script cannot start, prints its log and leaves traffic where it was", async () => {
    const broken = path.join(bed.workDir, "src-broken");
    fs.cpSync(path.join(bed.workDir, "src"), broken, { recursive: true });
    fs.writeFileSync(
      path.join(broken, "score.py"),
      'def init():\n    raise RuntimeError("the model store is unreachable")\n\n\ndef run(raw_data):\n    return []\n',
    );
    const result = await deploy({ deploymentName: "broken", deploymentFile: deploymentFileWithCode(bed.workDir, "broken", "src-broken") });
    assert.equal(result.result, "Failed", result.log);
    assert.match(result.log, /RuntimeError: the model store is unreachable/, "the deployment's own log is printed");
    assert.match(result.message ?? "", /broken/);
    await assertNoKeyIn(result);
    assert.deepEqual(await traffic(), { blue: 0, green: 100 });
  });

  it("fails when the smoke test's answer does not match, and moves no traffic", async () => {
    const result = await deploy({ deploymentName: "unchecked", smokeTestResponsePattern: '^\\{"never"' });
    assert.equal(result.result, "Failed", result.log);
    assert.match(result.log, /smoke test/i);
    await assertNoKeyIn(result);
    assert.equal((await traffic()).green, 100);
  });

  it("deletes the deployments that served before when asked (previousDeployments: delete)", async () => {
    const result = await deploy({ deploymentName: "teal", previousDeployments: "delete" });
    assert.equal(result.result, "Succeeded", result.log);
    const after = await traffic();
    assert.equal(after.teal, 100);
    assert.equal(after.green, undefined, "green served before and was deleted");
    await assert.rejects(arm.get(`${endpointId}/deployments/green`, apiVersions.machineLearning), / answered HTTP 404:/);
  });
});
