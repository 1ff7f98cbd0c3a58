import { PipelineError, Where } from "./pipelineError";
import {
  booleanField,
  checkKeys,
  checkName,
  conditionField,
  KeyHandling,
  listField,
  mappingField,
  namesField,
  numberField,
  requiredText,
  textField,
} from "./planFields";
import { checkStepNames, planSteps, StepNames, StepPlanning } from "./planSteps";
import { PipelinePlan, PlannedJob, PlannedStage, StepPhase } from "./planTypes";
import { readVariables } from "./planVariables";
import { entryOf, isMapping, keyText, MappingNode, PipelineNode, scalarText, valueOf } from "./yamlNodes";

/*
 * The expanded pipeline read into stages, jobs and steps, every key accounted for:
 * https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/stages-stage
 * https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/jobs-job
 * https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/jobs-deployment
 * A pipeline of `jobs:` is one stage; of `steps:`, one stage with one job, as Azure makes them.
 */

const poolNotice: KeyHandling = { notice: "'pool' is ignored: every job runs on this machine" };
const noMatrix: KeyHandling = { refuse: "matrix and parallel strategies are not run locally; write the jobs out or use ${{ each }}" };
const noContainer: KeyHandling = { refuse: "jobs run on this machine, not in a container" };
const noServices: KeyHandling = { refuse: "service containers are not started locally" };

/** What ordinary jobs and deployment jobs share. */
const sharedJobKeys: Record<string, KeyHandling> = {
  displayName: "use",
  dependsOn: "use",
  condition: "use",
  continueOnError: "use",
  timeoutInMinutes: "use",
  variables: "use",
  pool: poolNotice,
  cancelTimeoutInMinutes: "ignore",
  workspace: "ignore",
  templateContext: "ignore",
  uses: "ignore",
  container: noContainer,
  services: noServices,
};

const jobKeys: Record<string, KeyHandling> = { ...sharedJobKeys, job: "use", steps: "use", strategy: noMatrix };
const deploymentKeys: Record<string, KeyHandling> = { ...sharedJobKeys, deployment: "use", environment: "use", strategy: "use" };

const stageKeys: Record<string, KeyHandling> = {
  stage: "use",
  displayName: "use",
  dependsOn: "use",
  condition: "use",
  variables: "use",
  jobs: "use",
  pool: poolNotice,
  lockBehavior: "ignore",
  templateContext: "ignore",
  isSkippable: "ignore",
  trigger: { notice: "a stage's 'trigger: manual' is ignored: every selected stage runs" },
  checks: { refuse: "checks are approvals of the service" },
  group: { refuse: "stage groups are not supported" },
};

const rootCommon: Record<string, KeyHandling> = {
  name: { notice: "'name' (the run number format) is ignored: Build.BuildNumber is the run's id" },
  appendCommitMessageToRunName: "ignore",
  trigger: { notice: "triggers ('trigger', 'pr', 'schedules') do not apply to a local run" },
  pr: { notice: "triggers ('trigger', 'pr', 'schedules') do not apply to a local run" },
  schedules: { notice: "triggers ('trigger', 'pr', 'schedules') do not apply to a local run" },
  resources: { notice: "'resources' are not fetched: only the pipeline's own sources are here" },
  lockBehavior: "ignore",
  parameters: "ignore",
  variables: "use",
  pool: poolNotice,
};

const runOnceHooks = ["preDeploy", "deploy", "routeTraffic", "postRouteTraffic"] as const;

class Planner {
  readonly notices: string[] = [];

  constructor(private readonly planning: Omit<StepPlanning, "notices">) {}

  private get steps(): StepPlanning {
    return { ...this.planning, notices: this.notices };
  }

  plan(root: MappingNode, file: string): PipelinePlan {
    const has = (key: string) => entryOf(root, key) !== undefined;
    if (has("phases"))
      throw new PipelineError("'phases' is the old form of jobs and is not supported by the local runner; use 'jobs'", entryOf(root, "phases")!.key.at);
    const kinds = ["stages", "jobs", "steps"].filter(has);
    if (kinds.length !== 1) {
      throw new PipelineError(
        kinds.length === 0 ? "the pipeline has no 'stages', 'jobs' or 'steps'" : `the pipeline has both ${kinds.map((kind) => `'${kind}'`).join(" and ")}`,
        root.at,
      );
    }
    const variables = readVariables(valueOf(root, "variables"));
    let stages: PlannedStage[];
    if (kinds[0] === "stages") {
      checkKeys(root, "the pipeline", { ...rootCommon, stages: "use" }, this.notices);
      stages = this.planStages(listField(root, "stages", "the pipeline"));
    } else if (kinds[0] === "jobs") {
      checkKeys(root, "the pipeline", { ...rootCommon, jobs: "use" }, this.notices);
      stages = [this.implicitStage(this.planJobs(listField(root, "jobs", "the pipeline")), root.at)];
    } else {
      checkKeys(
        root,
        "the pipeline",
        {
          ...rootCommon,
          steps: "use",
          continueOnError: "use",
          timeoutInMinutes: "use",
          workspace: "ignore",
          container: noContainer,
          services: noServices,
          strategy: noMatrix,
        },
        this.notices,
      );
      const names = new StepNames();
      const steps = planSteps(listField(root, "steps", "the pipeline"), this.steps, names);
      checkStepNames(steps);
      const job: PlannedJob = {
        name: "Job",
        displayName: "Job",
        kind: "job",
        dependsOn: [],
        continueOnError: booleanField(root, "continueOnError", "the pipeline", false),
        timeoutInMinutes: numberField(root, "timeoutInMinutes", "the pipeline"),
        variables: [],
        phases: [{ runs: "always", steps }],
        at: root.at,
      };
      stages = [this.implicitStage([job], root.at)];
    }
    return { file, variables, stages, notices: this.notices };
  }

  private implicitStage(jobs: PlannedJob[], at: Where): PlannedStage {
    return { name: "__default", displayName: "__default", dependsOn: [], variables: [], jobs, at };
  }

  private planStages(items: PipelineNode[]): PlannedStage[] {
    const stages: PlannedStage[] = [];
    items.forEach((item, index) => {
      if (!isMapping(item)) throw new PipelineError("a stage must be a mapping (- stage: name)", item.at);
      const construct = "a stage";
      checkKeys(item, construct, stageKeys, this.notices);
      const name = checkName(requiredText(item, "stage", construct), "stage", item.at);
      if (stages.some((stage) => stage.name.toLowerCase() === name.toLowerCase())) throw new PipelineError(`two stages are named '${name}'`, item.at);
      // A stage depends on the one before it unless it says otherwise.
      const previous = index > 0 ? [stages[index - 1].name] : [];
      stages.push({
        name,
        displayName: textField(item, "displayName", construct) ?? name,
        dependsOn: namesField(item, "dependsOn", construct) ?? previous,
        condition: conditionField(item, construct),
        variables: readVariables(valueOf(item, "variables")),
        jobs: this.planJobs(listField(item, "jobs", construct)),
        at: item.at,
      });
    });
    checkDependencies(stages, "stage");
    return stages;
  }

  private planJobs(items: PipelineNode[]): PlannedJob[] {
    const jobs: PlannedJob[] = [];
    let unnamed = 0;
    const unnamedTotal = items.filter((item) => isMapping(item) && entryOf(item, "job") && !textField(item, "job", "a job")).length;
    for (const item of items) {
      if (!isMapping(item)) throw new PipelineError("a job must be a mapping (- job: name, or - deployment: name)", item.at);
      let job: PlannedJob;
      if (entryOf(item, "deployment")) {
        job = this.planDeployment(item);
      } else if (entryOf(item, "job")) {
        const given = textField(item, "job", "a job");
        unnamed += given ? 0 : 1;
        job = this.planJob(item, given ?? (unnamedTotal === 1 ? "Job" : `Job${unnamed}`));
      } else {
        throw new PipelineError(`a job needs 'job:' or 'deployment:'; this one has ${item.entries.map((entry) => `'${keyText(entry)}'`).join(", ")}`, item.at);
      }
      if (jobs.some((other) => other.name.toLowerCase() === job.name.toLowerCase()))
        throw new PipelineError(`two jobs of the stage are named '${job.name}'`, item.at);
      jobs.push(job);
    }
    checkDependencies(jobs, "job");
    return jobs;
  }

  private planJob(item: MappingNode, name: string): PlannedJob {
    const construct = "a job";
    checkKeys(item, construct, jobKeys, this.notices);
    const names = new StepNames();
    const steps = planSteps(listField(item, "steps", construct), this.steps, names);
    checkStepNames(steps);
    return {
      ...this.jobCommon(item, checkName(name, "job", item.at), construct),
      kind: "job",
      phases: [{ runs: "always", steps }],
    };
  }

  private jobCommon(item: MappingNode, name: string, construct: string) {
    return {
      name,
      displayName: textField(item, "displayName", construct) ?? name,
      dependsOn: namesField(item, "dependsOn", construct) ?? [],
      condition: conditionField(item, construct),
      continueOnError: booleanField(item, "continueOnError", construct, false),
      timeoutInMinutes: numberField(item, "timeoutInMinutes", construct),
      variables: readVariables(valueOf(item, "variables")),
      at: item.at,
    };
  }

  private planDeployment(item: MappingNode): PlannedJob {
    const construct = "a deployment job";
    checkKeys(item, construct, deploymentKeys, this.notices);
    const name = checkName(requiredText(item, "deployment", construct), "job", item.at);
    const environment = this.environmentOf(item, construct);
    const strategy = mappingField(item, "strategy", construct);
    if (!strategy) throw new PipelineError(`the deployment job '${name}' needs 'strategy: runOnce:'`, item.at);
    checkKeys(
      strategy,
      "a deployment strategy",
      {
        runOnce: "use",
        rolling: { refuse: "only the runOnce strategy runs locally" },
        canary: { refuse: "only the runOnce strategy runs locally" },
      },
      this.notices,
    );
    const runOnce = mappingField(strategy, "runOnce", "a deployment strategy");
    if (!runOnce) throw new PipelineError(`the deployment job '${name}' needs 'strategy: runOnce:'`, strategy.at);
    checkKeys(runOnce, "the runOnce strategy", { preDeploy: "use", deploy: "use", routeTraffic: "use", postRouteTraffic: "use", on: "use" }, this.notices);
    const names = new StepNames();
    const phases: StepPhase[] = [];
    const hookSteps = (hook: MappingNode, hookName: string) => {
      checkKeys(hook, `the ${hookName} hook`, { steps: "use", pool: poolNotice }, this.notices);
      return planSteps(listField(hook, "steps", `the ${hookName} hook`), this.steps, names);
    };
    for (const hookName of runOnceHooks) {
      const hook = mappingField(runOnce, hookName, "the runOnce strategy");
      if (hook) phases.push({ hook: hookName, runs: "always", steps: hookSteps(hook, hookName) });
    }
    if (!phases.some((phase) => phase.hook === "deploy")) throw new PipelineError(`the deployment job '${name}' needs a 'deploy' hook with steps`, runOnce.at);
    const on = mappingField(runOnce, "on", "the runOnce strategy");
    if (on) {
      checkKeys(on, "'on' of the runOnce strategy", { failure: "use", success: "use" }, this.notices);
      const failure = mappingField(on, "failure", "'on'");
      const success = mappingField(on, "success", "'on'");
      if (failure) phases.push({ hook: "on.failure", runs: "onFailure", steps: hookSteps(failure, "on.failure") });
      if (success) phases.push({ hook: "on.success", runs: "onSuccess", steps: hookSteps(success, "on.success") });
    }
    checkStepNames(phases.flatMap((phase) => phase.steps));
    this.notices.push(`the deployment job '${name}' deploys to the environment '${environment.name}' without its approvals and checks`);
    return { ...this.jobCommon(item, name, construct), kind: "deployment", phases, environment };
  }

  private environmentOf(item: MappingNode, construct: string): { name: string; resourceName?: string } {
    const value = valueOf(item, "environment");
    if (!value) throw new PipelineError(`${construct} needs 'environment'`, item.at);
    if (value.kind === "scalar") {
      const [name, resourceName] = scalarText(value.value).split(".");
      return { name, resourceName };
    }
    if (!isMapping(value)) throw new PipelineError("'environment' must be a name or a mapping with 'name'", value.at);
    checkKeys(value, "an environment", { name: "use", resourceName: "use", resourceType: "ignore", resourceId: "ignore", tags: "ignore" }, this.notices);
    return { name: requiredText(value, "name", "an environment"), resourceName: textField(value, "resourceName", "an environment") };
  }
}

/** Every `dependsOn` names a unit that exists, and nothing depends on itself through others. */
function checkDependencies(units: Array<{ name: string; dependsOn: string[]; at: Where }>, kind: "stage" | "job"): void {
  const byName = new Map(units.map((unit) => [unit.name.toLowerCase(), unit]));
  for (const unit of units) {
    unit.dependsOn = unit.dependsOn.map((dependency) => {
      const target = byName.get(dependency.toLowerCase());
      if (!target)
        throw new PipelineError(
          `the ${kind} '${unit.name}' depends on '${dependency}', which is not a ${kind} of ${kind === "job" ? "this stage" : "the pipeline"}`,
          unit.at,
        );
      return target.name;
    });
  }
  const state = new Map<string, "visiting" | "done">();
  const visit = (unit: { name: string; dependsOn: string[]; at: Where }, trail: string[]) => {
    const mark = state.get(unit.name);
    if (mark === "done") return;
    if (mark === "visiting") throw new PipelineError(`the ${kind}s depend on each other in a cycle: ${[...trail, unit.name].join(" → ")}`, unit.at);
    state.set(unit.name, "visiting");
    for (const dependency of unit.dependsOn) visit(byName.get(dependency.toLowerCase())!, [...trail, unit.name]);
    state.set(unit.name, "done");
  };
  units.forEach((unit) => visit(unit, []));
}

export function planPipeline(root: MappingNode, file: string, planning: Omit<StepPlanning, "notices">): PipelinePlan {
  return new Planner(planning).plan(root, file);
}
