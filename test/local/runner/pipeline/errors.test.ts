import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PipelineError } from "../../../../local/runner/pipeline/pipelineError";
import { removePipeline, runFixture, writePipeline } from "./pipelineTestSupport";

/** The run is refused with a message matching `pattern` before it prints or runs anything. */
async function refused(yaml: string, pattern: RegExp): Promise<void> {
  const file = writePipeline({ "pipeline.yml": yaml });
  const marker = path.join(os.tmpdir(), `runner-marker-${process.pid}-${Date.now()}`);
  const lines: string[] = [];
  try {
    await assert.rejects(runFixture(file, { variables: { MARKER: marker }, write: (line) => lines.push(line) }), (error: unknown) => {
      assert.ok(error instanceof PipelineError, String(error));
      assert.match(error.message, pattern);
      return true;
    });
    assert.deepEqual(lines, [], "nothing was printed");
    assert.equal(fs.existsSync(marker), false, "no step ran");
  } finally {
    removePipeline(file);
    fs.rmSync(marker, { force: true });
  }
}

const touch = "  - script: touch $(MARKER)\n";
/** The same step, in a job's steps. */
const jobTouch = "      - script: touch $(MARKER)\n";

describe("pipeline runner: what it refuses, before anything runs", () => {
  it("refuses a task it cannot run, naming it and its line", async () => {
    await refused(
      `steps:\n${touch}  - task: AzureCLI@2\n    inputs:\n      scriptType: bash\n`,
      /^.*pipeline\.yml:3: the task 'AzureCLI@2' cannot run locally: the runner runs this project's tasks \(AzureMLDeploy@1, AzureMLRegisterModel@1, AzureMLTrain@1, AzureMLWorkspace@1\)/,
    );
    await refused(`steps:\n${touch}  - task: AzureMLTrain@7\n`, /pipeline\.yml:3: the task 'AzureMLTrain@7' cannot run locally/);
  });

  it("refuses an input our task does not have", async () => {
    await refused(
      `steps:\n${touch}  - task: AzureMLWorkspace@1\n    inputs:\n      azureSubscription: c\n      colour: blue\n`,
      /pipeline\.yml:6: AzureMLWorkspace@1 has no input 'colour'/,
    );
  });

  it("refuses constructs the runner does not support, naming each and its line", async () => {
    await refused(
      `jobs:\n  - job: J\n    container: ubuntu:22.04\n    steps:\n${jobTouch}`,
      /pipeline\.yml:3: 'container' on a job is not supported by the local runner/,
    );
    await refused(
      `jobs:\n  - job: J\n    strategy:\n      matrix:\n        a: { x: 1 }\n    steps:\n${jobTouch}`,
      /pipeline\.yml:3: 'strategy' on a job is not supported by the local runner: matrix and parallel/,
    );
    await refused(`steps:\n${touch}  - checkout: tools\n`, /pipeline\.yml:3: 'checkout: tools' is not supported by the local runner/);
    await refused(`steps:\n${touch}  - pwsh: Write-Host hi\n`, /pipeline\.yml:3: the pwsh step needs PowerShell \(pwsh\), which is not installed/);
    await refused(`steps:\n${touch}  - script: echo\n    target: host\n`, /pipeline\.yml:4: 'target' on a script step is not supported/);
    await refused(
      `jobs:\n  - deployment: D\n    environment: prod\n    strategy:\n      canary:\n        increments: [10]\n`,
      /pipeline\.yml:5: 'canary' on a deployment strategy is not supported by the local runner: only the runOnce strategy/,
    );
    await refused(`steps:\n${touch}  - getPackage: feed\n`, /pipeline\.yml:3: the 'getPackage' step is not supported/);
  });

  it("refuses unknown keys, bad names, unknown or circular dependencies, with the line", async () => {
    await refused(`steps:\n${touch}  - script: echo\n    colour: red\n`, /pipeline\.yml:4: 'colour' is not a property of a script step/);
    await refused(`jobs:\n  - job: my-job\n    steps:\n${jobTouch}`, /pipeline\.yml:2: 'my-job' is not a valid job name/);
    await refused(
      `jobs:\n  - job: A\n    dependsOn: Nope\n    steps:\n${jobTouch}`,
      /pipeline\.yml:2: the job 'A' depends on 'Nope', which is not a job of this stage/,
    );
    await refused(
      `jobs:\n  - job: A\n    dependsOn: B\n    steps:\n${jobTouch}  - job: B\n    dependsOn: A\n    steps:\n${jobTouch}`,
      /the jobs depend on each other in a cycle: A → B → A/,
    );
    await refused(`stages:\n  - stage: S\n    jobs: []\n  - stage: S\n    jobs: []\n`, /pipeline\.yml:4: two stages are named 'S'/);
    await refused(`jobs: []\nsteps:\n${touch}`, /the pipeline has both 'jobs' and 'steps'/);
  });

  it("refuses YAML Azure refuses: bad syntax, anchors and aliases, a duplicate key", async () => {
    await refused(`steps:\n  - script: [unclosed\n`, /pipeline\.yml:\d+ .*is not valid YAML/);
    await refused(`steps:\n  - &one\n    script: touch $(MARKER)\n  - *one\n`, /pipeline\.yml:2: YAML anchors \(&name\) are not supported/);
    await refused(`steps:\n  - script: echo\n    script: echo again\n`, /pipeline\.yml:3 .*duplicated mapping key/);
  });
});
