import * as assert from "node:assert/strict";
import { job, runFixture, stepOutput } from "./pipelineTestSupport";

describe("pipeline runner: output variables", () => {
  it("reaches outputs in the same job, in later jobs and stages, from a deployment job, and in conditions", async () => {
    const run = await runFixture("outputs.yml");
    assert.equal(run.summary.result, "Succeeded", run.output);
    // isOutput sets only <step>.<name>; a plain setvariable sets the name.
    assert.deepEqual(stepOutput(run, "Same job"), ["same job make.model=model-v3 plain=just-here model=$(model)"]);
    assert.deepEqual(stepOutput(run, "Next job"), ["next job fromMaker=model-v3 result=Succeeded"]);
    assert.deepEqual(stepOutput(run, "Later stage"), ["later stage crossStage=model-v3 slot=blue stageVar=model-v3"]);
    assert.deepEqual(job(run.summary, "Produce", "Maker").outputs, { "make.model": "model-v3" });
    assert.deepEqual(job(run.summary, "Produce", "Ship").outputs, { "Ship.pick.slot": "blue" }, "a deployment's outputs carry its name");
  });
});
