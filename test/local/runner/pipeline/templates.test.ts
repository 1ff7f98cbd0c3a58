import * as assert from "node:assert/strict";
import { PipelineError } from "../../../../local/runner/pipeline/pipelineError";
import { job, removePipeline, runFixture, stepOutput, writePipeline } from "./pipelineTestSupport";

describe("pipeline runner: templates", () => {
  it("expands stage, job, step and variable templates with their parameters, paths relative to the file that names them", async () => {
    const run = await runFixture("templates.yml");
    assert.equal(run.summary.result, "Succeeded", run.output);
    assert.deepEqual(
      run.summary.stages.map((stage) => [stage.name, stage.jobs.map((record) => record.name)]),
      [
        ["Build", ["train", "score"]],
        ["Release", ["deploy"]],
      ],
    );
    assert.deepEqual(stepOutput(run, "Echo Build/score in ml-workspace and here"), ["Build/score in ml-workspace and here"]);
    assert.equal(job(run.summary, "Release", "deploy").steps.length, 1, "the loud step of the step template is left out by its default");
  });

  it("extends a template that wraps the pipeline's steps (each over a step's keys)", async () => {
    const run = await runFixture("extends.yml");
    assert.equal(run.summary.result, "Succeeded", run.output);
    assert.deepEqual(
      job(run.summary, "__default", "Guarded").steps.map((record) => record.displayName),
      ["Before", "Guarded one", "Guarded two", "After"],
    );
    assert.deepEqual(stepOutput(run, "Guarded two"), ["user step two"]);
  });

  it("refuses a missing template, an unknown or missing template parameter, a wrong kind, and a template of another repository, with the line", async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [
        { "p.yml": "steps:\n  - script: echo a\n  - template: missing.yml\n" },
        /p\.yml:3: the template .*missing\.yml cannot be used: The file .*missing\.yml does not exist/,
      ],
      [
        {
          "p.yml": "steps:\n  - template: t.yml\n    parameters:\n      colour: red\n",
          "t.yml": "parameters:\n  - name: size\n    default: 1\nsteps:\n  - script: echo\n",
        },
        /p\.yml:4: the template .*t\.yml has no parameter 'colour' \(it has size\)/,
      ],
      [
        { "p.yml": "steps:\n  - template: t.yml\n", "t.yml": "parameters:\n  - name: size\n    type: number\nsteps:\n  - script: echo\n" },
        /p\.yml:2: the template .*t\.yml: a value for the parameter 'size' must be provided/,
      ],
      [
        { "p.yml": "jobs:\n  - template: t.yml\n", "t.yml": "steps:\n  - script: echo\n" },
        /t\.yml:1: the template is used for 'jobs', so it may hold only parameters and jobs, not 'steps'/,
      ],
      [
        { "p.yml": "steps:\n  - template: steps.yml@templates\n" },
        /p\.yml:2: the template 'steps\.yml@templates' comes from the repository resource 'templates'/,
      ],
      [
        { "p.yml": "steps:\n  - template: t.yml\n    condition: always()\n", "t.yml": "steps: []\n" },
        /p\.yml:3: a template reference takes only 'template' and 'parameters', not 'condition'/,
      ],
      [{ "p.yml": "steps:\n  - template: p.yml\n" }, /templates nest more than 20 levels deep/],
    ];
    for (const [files, pattern] of cases) {
      const file = writePipeline(files);
      try {
        await assert.rejects(runFixture(file), (error: unknown) => error instanceof PipelineError && pattern.test(error.message), `expected ${pattern}`);
      } finally {
        removePipeline(file);
      }
    }
  });
});
