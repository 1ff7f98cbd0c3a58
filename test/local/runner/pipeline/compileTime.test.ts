import * as assert from "node:assert/strict";
import { PipelineError } from "../../../../local/runner/pipeline/pipelineError";
import { removePipeline, runFixture, stepOutput, writePipeline } from "./pipelineTestSupport";

describe("pipeline runner: compile time (parameters, ${{ }}, if/each, stepList)", () => {
  it("uses the parameters' defaults: typed values, if/elseif/else, each over a list and a mapping, a stepList", async () => {
    const run = await runFixture("parameters.yml");
    assert.equal(run.summary.result, "Succeeded", run.output);
    assert.deepEqual(stepOutput(run, "Values"), ["env=dev replicas=2 verbose=False tier=bronze greeting=hello"]);
    assert.deepEqual(stepOutput(run, "Region westeurope"), ["deploy to westeurope"]);
    assert.deepEqual(stepOutput(run, "Region northeurope"), ["deploy to northeurope"]);
    assert.deepEqual(stepOutput(run, "Tags"), ["owner=ml-team cost=research"]);
    assert.deepEqual(stepOutput(run, "Extra default"), ["extra step from the default"]);
    assert.deepEqual(stepOutput(run, "Functions"), ["westeurope|northeurope 2 dev-2"]);
    assert.ok(!run.output.includes("Verbose"), "the if on a false boolean inserts nothing");
  });

  it("takes --param values, converted to their types (YAML for objects and step lists)", async () => {
    const run = await runFixture("parameters.yml", {
      parameters: {
        environment: "prod",
        replicas: "5",
        verbose: "true",
        regions: "[eastus]",
        extraSteps: "- script: echo given\n  displayName: Given step",
      },
    });
    assert.equal(run.summary.result, "Succeeded", run.output);
    assert.deepEqual(stepOutput(run, "Values"), ["env=prod replicas=5 verbose=True tier=gold greeting=hello"]);
    assert.deepEqual(stepOutput(run, "Region eastus"), ["deploy to eastus"]);
    assert.deepEqual(stepOutput(run, "Verbose"), ["verbose output"]);
    assert.deepEqual(stepOutput(run, "Given step"), ["given"]);
    assert.ok(!run.output.includes("Extra default"));
    const test = await runFixture("parameters.yml", { parameters: { environment: "test" } });
    assert.deepEqual(stepOutput(test, "Values"), ["env=test replicas=2 verbose=False tier=silver greeting=hello"], "the elseif branch");
  });

  it("refuses a value outside 'values', of the wrong type, or for no declared parameter, before anything runs", async () => {
    const refused = async (parameters: Record<string, string>, pattern: RegExp) => {
      const lines: string[] = [];
      await assert.rejects(
        runFixture("parameters.yml", { parameters, write: (line) => lines.push(line) }),
        (error: unknown) => error instanceof PipelineError && pattern.test(error.message),
      );
      assert.deepEqual(lines, [], "nothing ran");
    };
    await refused({ environment: "qa" }, /the parameter 'environment' may only be 'dev', 'test', 'prod'; 'qa' is not allowed/);
    await refused({ replicas: "many" }, /the parameter 'replicas' is a number; 'many' is not one/);
    await refused({ verbose: "maybe" }, /the parameter 'verbose' is a boolean; 'maybe' is neither true nor false/);
    await refused({ extraSteps: "just text" }, /the parameter 'extraSteps' of type stepList needs a list of mappings/);
    await refused({ colour: "blue" }, /the pipeline has no parameter 'colour'/);
  });

  it("inserts in mappings with ${{ insert }} and a key made by an expression, and evaluates ${{ variables.x }} per scope", async () => {
    const file = writePipeline({
      "pipeline.yml": [
        "variables:",
        "  where: pipeline",
        "stages:",
        "  - stage: S",
        "    variables:",
        "      where: stage",
        "    jobs:",
        "      - job: J",
        "        variables:",
        "          ${{ insert }}:",
        "            inserted: yes",
        "          ${{ format('made_{0}', 'key') }}: made",
        "        steps:",
        '          - script: echo "${{ variables.where }} $(inserted) $(made_key) [${{ variables.nothing }}]"',
        "            displayName: Scoped",
      ].join("\n"),
    });
    try {
      const run = await runFixture(file);
      assert.deepEqual(stepOutput(run, "Scoped"), ["stage yes made []"]);
    } finally {
      removePipeline(file);
    }
  });

  it("refuses an elseif without an if, an each over text, and an expression that cannot be text, naming the line", async () => {
    const cases: Array<[string, RegExp]> = [
      ["steps:\n  - script: echo a\n  - ${{ elseif true }}:\n      - script: echo b\n", /pipeline\.yml:3: '\$\{\{ elseif \}\}' must follow '\$\{\{ if \}\}'/],
      [
        "parameters:\n  - name: p\n    default: text\nsteps:\n  - ${{ each x in parameters.p }}:\n      - script: echo ${{ x }}\n",
        /pipeline\.yml:5: \$\{\{ each \}\} needs a list or a mapping; 'parameters.p' is a string/,
      ],
      [
        "parameters:\n  - name: o\n    type: object\n    default: [1]\nsteps:\n  - script: echo ${{ parameters.o }} here\n",
        /pipeline\.yml:6: .*is a sequence, which has no text value/,
      ],
      ["steps:\n  - script: echo ${{ eq(1 }}\n", /pipeline\.yml:2: the template expression 'eq\(1' is invalid/],
    ];
    for (const [yaml, pattern] of cases) {
      const file = writePipeline({ "pipeline.yml": yaml });
      try {
        await assert.rejects(runFixture(file), (error: unknown) => error instanceof PipelineError && pattern.test(error.message), `expected ${pattern}`);
      } finally {
        removePipeline(file);
      }
    }
  });
});
