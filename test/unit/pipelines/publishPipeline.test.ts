import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../packaging/project";
import { describeErrors, loadPipelineYaml, pipelineValidator } from "./pipelineSchema";

// .azure-pipelines/publish.yml: on a v* tag, test, check the versions, package, keep the .vsix and
// publish it with a token that only the publishing step sees, from its environment.

interface Step {
  script?: string;
  bash?: string;
  publish?: string;
  artifact?: string;
  checkout?: string;
  task?: string;
  env?: Record<string, string>;
}

interface PublishPipeline {
  trigger: { branches: { exclude: string[] }; tags: { include: string[] } };
  pr: string;
  variables: { group?: string }[];
  steps: Step[];
}

const file = join(projectRoot, ".azure-pipelines", "publish.yml");
const pipeline = loadPipelineYaml(file) as PublishPipeline;
const TOKEN = "MARKETPLACE_TOKEN";
const commandOf = (step: Step) => step.script ?? step.bash ?? "";
const indexOf = (pattern: RegExp) => pipeline.steps.findIndex((step) => pattern.test(commandOf(step)));

describe(".azure-pipelines/publish.yml (publishing on a tag)", () => {
  it("is a valid pipeline under the official schema", () => {
    const validate = pipelineValidator();
    assert.ok(validate(pipeline), describeErrors(validate));
  });

  it("runs for v* tags only: no branch, no pull request", () => {
    assert.deepEqual(pipeline.trigger.tags.include, ["v*"]);
    assert.deepEqual(pipeline.trigger.branches.exclude, ["*"]);
    assert.equal(pipeline.pr, "none");
  });

  it("installs, tests, checks the versions against the tag, packages, keeps the .vsix, then publishes it, in that order", () => {
    const order = [/^npm ci\b/, /^npm test$/, /^npm run bump -- --check --tag "\$\(Build\.SourceBranchName\)"$/, /^npm run package$/].map(indexOf);
    const keep = pipeline.steps.findIndex((step) => step.publish === "dist" && step.artifact === "vsix");
    const publish = indexOf(/tfx extension publish/);
    const positions = [...order, keep, publish];
    assert.ok(
      positions.every((position) => position >= 0),
      `steps found at ${positions.join(", ")}`,
    );
    assert.deepEqual(
      positions,
      [...positions].sort((a, b) => a - b),
      "in order",
    );
    assert.match(commandOf(pipeline.steps[publish]), /tfx extension publish --vsix "\$\{vsix\[0\]\}" --token "\$MARKETPLACE_TOKEN" --no-prompt/);
  });

  it("fetches the tags the version check compares with", () => {
    const checkout = pipeline.steps.find((step) => step.checkout === "self") as Record<string, string> | undefined;
    assert.equal(checkout?.fetchDepth, "0");
    assert.equal(checkout?.fetchTags, "true");
  });

  it("maps the secret token into the publishing step only, through env, and never writes it into a script or a log line", () => {
    assert.ok(
      pipeline.variables.some((variable) => variable.group),
      "the token comes from a variable group",
    );
    const mapping = pipeline.steps.filter((step) => step.env && Object.values(step.env).some((value) => value.includes(`$(${TOKEN})`)));
    assert.deepEqual(
      mapping.map((step) => step.env),
      [{ [TOKEN]: `$(${TOKEN})` }],
    );
    assert.match(commandOf(mapping[0]), /tfx extension publish/);
    // A macro in a script is replaced before the script runs: the secret would then be in the script file.
    const text = readFileSync(file, "utf8");
    assert.equal(text.split(`$(${TOKEN})`).length - 1, 1, "$(MARKETPLACE_TOKEN) appears once: in env");
    for (const step of pipeline.steps) {
      assert.doesNotMatch(commandOf(step), /set -x|set -o xtrace|echo[^\n]*TOKEN|printenv|\benv\b\s*$/m, "nothing prints the environment or traces commands");
    }
  });
});
