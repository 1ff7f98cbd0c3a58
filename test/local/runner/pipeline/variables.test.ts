import * as assert from "node:assert/strict";
import * as path from "node:path";
import { scriptHostEnvironment } from "../../../../local/runner/agentEnvironment";
import { PipelineError } from "../../../../local/runner/pipeline/pipelineError";
import { fixtures, removePipeline, runFixture, stepOutput, writePipeline } from "./pipelineTestSupport";

const groupFile = path.join(fixtures, "settings", "groups.yml");

describe("pipeline runner: variables", () => {
  it("scopes pipeline, stage and job variables (the later wins), with groups, queue-time values and $( ) in values", async () => {
    const run = await runFixture("variables.yml", { groupFile, variables: { QUEUED: "from-queue", level: "from-queue" } });
    assert.equal(run.summary.result, "Succeeded", run.output);
    assert.deepEqual(stepOutput(run, "Scoped values"), [
      // An unknown macro stays as written; `composed` takes the values the job ends up with.
      "level=stage pipelineOnly=from-pipeline stageOnly=from-stage composed=stage-from-pipeline unknown=$(notDefined)",
      "env LEVEL=stage STAGEONLY=from-stage GROUPED=from-group QUEUED=from-queue",
    ]);
    assert.deepEqual(stepOutput(run, "Job level"), ["level=job"]);
    assert.deepEqual(stepOutput(run, "After set"), ["level=step LEVEL=step"], "a variable a step sets is there for the steps after it");
    // Another stage has neither the first stage's variables nor its steps' values; the group comes after `level` in the list.
    assert.deepEqual(stepOutput(run, "Other stage"), ["level=group-level stageOnly=$(stageOnly)"]);
    assert.match(run.output, /NOTICE: --var level does not change the variable 'level' the YAML defines at line 4/);
  });

  it("sets the agent's system variables: sources, work folders, stage and job names, the run's id", async () => {
    const run = await runFixture("variables.yml", { groupFile });
    const [names, sources, folders] = stepOutput(run, "System variables");
    assert.match(names, /^stage=Second job=System id=\d+ reason=Manual$/);
    assert.equal(sources, `sources=${run.sources} default=${run.sources} local=${run.sources}`);
    const match = /^temp=(\S+) workspace=(\S+) project=local$/.exec(folders);
    assert.ok(match, folders);
    assert.ok(match[1].startsWith(match[2]) && match[2] !== run.sources, "the job's temp folder is inside its own workspace");
  });

  it("evaluates $[ ] variables: counter, variables['x'], pipeline.startTime; a value that is not a whole expression is text", async () => {
    const run = await runFixture("runtime.yml");
    const [line] = stepOutput(run, "Runtime values");
    assert.match(line, /^minor=100 onMain=False notAnExpression=\$\[ variables\.major \] and more year=\d{4} shout=\$\[ VARIABLES\.MAJOR \] AND MORE$/);
  });

  it("starts scripts with the machine's environment, without what an agent or a pipeline would set", () => {
    const caller = {
      PATH: "/usr/bin",
      VIRTUAL_ENV: "/venv",
      BUILD_BUILDID: "7",
      SYSTEM_ACCESSTOKEN: "t",
      AGENT_TEMPDIRECTORY: "/x",
      ENDPOINT_URL_C: "u",
      TF_BUILD: "True",
    };
    assert.deepEqual(scriptHostEnvironment(caller), { PATH: "/usr/bin", VIRTUAL_ENV: "/venv" });
  });

  it("refuses a group the group file does not define, and a status function in a variable, with the line", async () => {
    const file = writePipeline({ "p.yml": "variables:\n  - group: nowhere\nsteps:\n  - script: echo\n" });
    const status = writePipeline({ "p.yml": "variables:\n  ok: $[ succeeded() ]\nsteps:\n  - script: echo\n    displayName: Never\n" });
    try {
      await assert.rejects(
        runFixture(file, { groupFile }),
        (error: unknown) => error instanceof PipelineError && /p\.yml:2: the variable group 'nowhere' is not defined/.test(error.message),
      );
      const run = await runFixture(status);
      assert.equal(run.summary.result, "Failed");
      assert.match(run.output, /p\.yml:2: the runtime expression of variable 'ok' '.*' is invalid: succeeded\(\) can only be used in a condition/);
      assert.ok(!run.output.includes("▶ Step"), "no step ran");
    } finally {
      removePipeline(file);
      removePipeline(status);
    }
  });
});
