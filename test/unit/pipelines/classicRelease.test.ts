import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { projectRoot, readTaskJson, taskFolders } from "../packaging/project";

// pipelines/classic-release/mlops-release.json: the release definition a team imports into
// Azure DevOps (Pipelines > Releases > Import release pipeline), in the shape Azure DevOps
// exports it (the Release Definitions REST API's ReleaseDefinition). Read back here: its stages,
// their variables, and every task reference against our tasks' task.json.

interface WorkflowTask {
  taskId: string;
  version: string;
  name: string;
  refName: string;
  enabled: boolean;
  definitionType: string;
  condition: string;
  inputs: Record<string, string>;
}

interface ReleaseEnvironment {
  id: number;
  name: string;
  rank: number;
  variables: Record<string, { value: string; isSecret?: boolean }>;
  conditions: { name: string; conditionType: string; value: string }[];
  deployPhases: { phaseType: string; rank: number; deploymentInput: { agentSpecification?: { identifier: string } }; workflowTasks: WorkflowTask[] }[];
}

interface ReleaseDefinition {
  name: string;
  releaseNameFormat: string;
  variables: Record<string, { value: string }>;
  environments: ReleaseEnvironment[];
}

const definitionFile = path.join(projectRoot, "pipelines", "classic-release", "mlops-release.json");
const definition = JSON.parse(fs.readFileSync(definitionFile, "utf8")) as ReleaseDefinition;
const ARTIFACT_FOLDER = "$(System.DefaultWorkingDirectory)/_mlops/";

/** Our tasks by their task.json id (lower case, as Azure DevOps compares ids). */
const tasksById = new Map(taskFolders().map((task) => [readTaskJson(task).id.toLowerCase(), task]));
const taskOf = (step: WorkflowTask) => tasksById.get(step.taskId.toLowerCase());
const stepsOf = (environment: ReleaseEnvironment) => environment.deployPhases.flatMap((phase) => phase.workflowTasks);
const allSteps = definition.environments.flatMap(stepsOf);

function variablesFile(environment: string): Record<string, string> {
  const document = yaml.load(fs.readFileSync(path.join(projectRoot, "pipelines", "variables", `${environment.toLowerCase()}.yml`), "utf8"), {
    schema: yaml.FAILSAFE_SCHEMA,
  }) as { variables: Record<string, string> };
  return document.variables;
}

describe("the sample classic release definition (pipelines/classic-release/mlops-release.json)", () => {
  it("has Dev, Test and Prod, each deployed after the one before, on one agent job (Azure Pipelines, ubuntu-latest)", () => {
    assert.deepEqual(
      definition.environments.map((environment) => [environment.name, environment.rank]),
      [
        ["Dev", 1],
        ["Test", 2],
        ["Prod", 3],
      ],
    );
    assert.deepEqual(definition.environments[0].conditions, [{ name: "ReleaseStarted", conditionType: "event", value: "" }]);
    for (const [index, environment] of definition.environments.entries()) {
      if (index > 0)
        assert.deepEqual(environment.conditions, [{ name: definition.environments[index - 1].name, conditionType: "environmentState", value: "4" }]);
      assert.equal(environment.deployPhases.length, 1);
      assert.equal(environment.deployPhases[0].phaseType, "agentBasedDeployment");
      assert.equal(environment.deployPhases[0].deploymentInput.agentSpecification?.identifier, "ubuntu-latest");
    }
  });

  it("gives each stage the variables of DESIGN §1, exactly those of pipelines/variables/<env>.yml, none secret", () => {
    for (const environment of definition.environments) {
      const values = Object.fromEntries(Object.entries(environment.variables).map(([name, variable]) => [name, variable.value]));
      assert.deepEqual(values, variablesFile(environment.name), environment.name);
      assert.equal(values.ENVIRONMENT, environment.name.toUpperCase());
      assert.ok(Object.values(environment.variables).every((variable) => !variable.isSecret));
    }
  });

  it("runs in each stage the four tasks in a release stage's order: provision, train, register, deploy", () => {
    for (const environment of definition.environments) {
      assert.deepEqual(stepsOf(environment).map(taskOf), ["AzureMLWorkspace", "AzureMLTrain", "AzureMLRegisterModel", "AzureMLDeploy"], environment.name);
    }
  });

  it("refers to our tasks by their task.json id and major version, with inputs each task has", () => {
    for (const step of allSteps) {
      const task = taskOf(step);
      assert.ok(task, `${step.name}: task id ${step.taskId} is none of ours`);
      const taskJson = readTaskJson(task);
      assert.equal(step.taskId, taskJson.id, `${step.name}: the id as task.json writes it`);
      assert.equal(step.version, `${taskJson.version.Major}.*`, `${step.name}: the major version`);
      assert.equal(step.definitionType, "task");
      assert.equal(step.enabled, true);
      const names = (taskJson.inputs ?? []).flatMap((input) => [input.name, ...(input.aliases ?? [])]);
      assert.deepEqual(
        Object.keys(step.inputs).filter((name) => !names.includes(name)),
        [],
        `${step.name}: inputs ${task} does not have`,
      );
      const required = (taskJson.inputs ?? []).filter((input) => input.required && input.defaultValue === undefined).map((input) => input.name);
      assert.deepEqual(
        required.filter((name) => !step.inputs[name]),
        [],
        `${step.name}: required inputs left empty`,
      );
    }
  });

  it("names the starter project's files in the release's artifact folder (alias _mlops), and files that exist", () => {
    const fileInputs = allSteps.flatMap((step) => Object.entries(step.inputs).filter(([name]) => /File$|Directory$/.test(name)));
    assert.ok(fileInputs.length >= 15, `${fileInputs.length} file inputs`);
    for (const [name, value] of fileInputs) {
      assert.ok(value.startsWith(ARTIFACT_FOLDER), `${name}: ${value} is in the artifact's folder`);
      assert.ok(fs.existsSync(path.join(projectRoot, "pipelines", value.slice(ARTIFACT_FOLDER.length))), `${name}: ${value} exists in pipelines/`);
    }
  });

  it("uses only variables its stages set or Azure DevOps sets in a release", () => {
    const predefined = /^(System|Release|Agent|Build)\./;
    for (const environment of definition.environments) {
      for (const step of stepsOf(environment)) {
        for (const value of Object.values(step.inputs)) {
          for (const [, name] of value.matchAll(/\$\(([^)]+)\)/g)) {
            assert.ok(predefined.test(name) || name in environment.variables, `${environment.name}/${step.name}: $(${name})`);
          }
        }
      }
    }
  });

  it("deploys only a model the register step registered, through that step's output variable", () => {
    for (const environment of definition.environments) {
      const [, , register, deploy] = stepsOf(environment);
      assert.equal(register.refName, "register");
      assert.equal(deploy.condition, "and(succeeded(), eq(variables['register.modelRegistered'], 'true'))");
      assert.equal(register.inputs.metric, "rmse");
    }
  });
});
