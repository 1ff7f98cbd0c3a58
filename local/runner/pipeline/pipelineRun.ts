import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import { repositoryRoot } from "../../azure/paths";
import { ConnectionFlavour } from "../serviceConnections";
import { ArtifactStore } from "./artifacts";
import { bundleTasks, tasksNeedBundling } from "./builtTasks";
import { stopAll } from "./childProcesses";
import { compilePipeline } from "./compilePipeline";
import { evaluateCondition } from "./conditions";
import { jobDependencies, jobStageDependencies, stageDependencies } from "./dependencyContexts";
import { dependencyOrder, upstreamOf } from "./dependencyOrder";
import { runJob } from "./jobRun";
import { PipelineError } from "./pipelineError";
import { PipelinePlan, PlannedJob, PlannedStage, TaskStep } from "./planTypes";
import { RunResult, worse } from "./results";
import { RunConnections } from "./runConnections";
import { RunFolders } from "./runFolders";
import { LineWriter, RunLog } from "./runLog";
import { JobRecord, RunSummary, StageRecord } from "./runRecords";
import { Counters } from "./runtimeExpressions";
import { SecretMasker } from "./secretMasker";
import { compileTimeVariables, newRunIdentity, runVariables, sourcesDirectoryOf } from "./systemVariables";
import { TaskCatalog } from "./taskCatalog";
import { readVariableGroups } from "./variableGroups";
import { addVariables, checkGroups, ScopeContext } from "./variableScopes";
import { VariableSet } from "./variables";
import { summaryTable } from "./report";

/*
 * A whole run: the pipeline compiled and checked before anything runs (an unknown task, a
 * missing group, an unsupported construct stop it there), then stages and jobs in dependency
 * order, each after its condition, with its variables; the table of results at the end; and
 * whatever the run started (scripts, tasks, the local Azure) stopped however it ends.
 */

export interface PipelineRunOptions {
  file: string;
  /** Run only these stages (their dependencies on stages left out are dropped, as when choosing stages to run). */
  stages?: string[];
  /** Queue-time variables (--var). */
  variables?: Record<string, string>;
  /** Pipeline parameters (--param). */
  parameters?: Record<string, string>;
  groupFile?: string;
  /** connection.json of an Azure to use instead of starting a local one. */
  connectionFile?: string;
  connectionFlavour?: ConnectionFlavour;
  /** How one connection authenticates, by its name (over connectionFlavour). */
  connectionFlavours?: Record<string, ConnectionFlavour>;
  /** The workspace the local Azure's workspace-scoped principal may touch. */
  scopedWorkspace?: { resourceGroupName: string; workspaceName: string };
  /** Default: the git work tree of the pipeline file. */
  sourcesDirectory?: string;
  /** Default: a new temporary folder, removed at the end unless keepRunDirectory. A given one is kept. */
  runDirectory?: string;
  keepRunDirectory?: boolean;
  /** The Python the local Azure's jobs run with. */
  python?: string;
  /** Show ##[debug] lines. */
  debug?: boolean;
  write?: LineWriter;
  /** Cancels the run: the running step is stopped, then only always()/canceled() units run. */
  signal?: AbortSignal;
}

function onPath(program: string): boolean {
  return (process.env.PATH ?? "").split(path.delimiter).some((folder) => folder && fs.existsSync(path.join(folder, program)));
}

function taskSteps(plan: PipelinePlan): TaskStep[] {
  return plan.stages
    .flatMap((stage) => stage.jobs.flatMap((job) => job.phases.flatMap((phase) => phase.steps)))
    .filter((step): step is TaskStep => step.kind === "task");
}

function allVariableEntries(plan: PipelinePlan) {
  return [...plan.variables, ...plan.stages.flatMap((stage) => [...stage.variables, ...stage.jobs.flatMap((job) => job.variables)])];
}

/** Compiles and checks a pipeline without running it: what `runPipeline` does before its first step. */
export function preparePipeline(options: Pick<PipelineRunOptions, "file" | "parameters" | "groupFile" | "sourcesDirectory" | "stages">) {
  const file = path.resolve(options.file);
  if (!fs.existsSync(file)) throw new PipelineError(`The pipeline file ${options.file} does not exist.`);
  const sources = path.resolve(options.sourcesDirectory ?? sourcesDirectoryOf(file));
  const predefined = compileTimeVariables(sources, file);
  const catalog = new TaskCatalog(path.join(repositoryRoot(), "tasks"));
  const { plan, expanded } = compilePipeline(
    file,
    { parameters: options.parameters ?? {}, predefinedVariables: predefined, repositoryRoot: sources },
    { catalog, hasPwsh: onPath("pwsh") },
  );
  const groups = readVariableGroups(options.groupFile);
  checkGroups(allVariableEntries(plan), groups);
  for (const wanted of options.stages ?? []) {
    if (!plan.stages.some((stage) => stage.name.toLowerCase() === wanted.toLowerCase())) {
      throw new PipelineError(`--stage ${wanted}: the pipeline has no such stage (it has ${plan.stages.map((stage) => stage.name).join(", ")})`);
    }
  }
  return { file, sources, predefined, plan, expanded, groups };
}

class PipelineRunner {
  private readonly counters = new Counters();
  private readonly identity = newRunIdentity();
  private readonly stageRecords = new Map<string, StageRecord>();
  private readonly cancel = new AbortController();

  constructor(
    private readonly options: PipelineRunOptions,
    private readonly prepared: ReturnType<typeof preparePipeline>,
    private readonly folders: RunFolders,
    private readonly connections: RunConnections,
    private readonly log: RunLog,
  ) {
    if (options.signal?.aborted) this.cancel.abort();
    options.signal?.addEventListener("abort", () => this.cancel.abort(), { once: true });
  }

  private get canceled(): boolean {
    return this.cancel.signal.aborted;
  }

  /** The log's masker: every secret registered anywhere is masked everywhere. */
  private get masker(): SecretMasker {
    return this.log.masker;
  }

  private scopeContext(extra: Partial<ScopeContext> = {}): ScopeContext {
    return { groups: this.prepared.groups, masker: this.masker, counters: this.counters, startTime: this.identity.startTime, ...extra };
  }

  /** System variables, then the command line's (which YAML variables override). */
  private baseVariables(): VariableSet {
    const variables = new VariableSet();
    const system = { ...this.prepared.predefined, ...runVariables(this.identity, this.prepared.sources, this.folders.root) };
    for (const [name, value] of Object.entries(system)) variables.setSystem(name, value);
    for (const [name, value] of Object.entries(this.options.variables ?? {})) variables.set({ name, value, secret: false, readonly: false });
    return variables;
  }

  private selectedStages(): Set<string> | undefined {
    if (!this.options.stages?.length) return undefined;
    const wanted = this.options.stages.map((name) => name.toLowerCase());
    return new Set(this.prepared.plan.stages.filter((stage) => wanted.includes(stage.name.toLowerCase())).map((stage) => stage.name));
  }

  async run(): Promise<RunResult> {
    const { plan } = this.prepared;
    const selected = this.selectedStages();
    const dependenciesOf = (stage: PlannedStage) => stage.dependsOn.filter((name) => !selected || selected.has(name));
    const byName = new Map(plan.stages.map((stage) => [stage.name, stage]));
    for (const stage of dependencyOrder(plan.stages, dependenciesOf)) {
      if (selected && !selected.has(stage.name)) {
        this.stageRecords.set(stage.name, this.skippedStage(stage, "not selected (--stage)"));
        continue;
      }
      const dependsOn = dependenciesOf(stage);
      const upstream = upstreamOf(stage.name, (name) => dependenciesOf(byName.get(name)!));
      this.stageRecords.set(stage.name, await this.runStage(stage, dependsOn, upstream));
    }
    const ran = [...this.stageRecords.values()].filter((record) => record.result !== "Skipped");
    let result: RunResult = ran.reduce<RunResult>((worst, record) => worse(worst, record.result), "Succeeded");
    if (this.canceled) result = "Canceled";
    return result;
  }

  private skippedStage(stage: PlannedStage, reason: string): StageRecord {
    return {
      name: stage.name,
      displayName: stage.displayName,
      result: "Skipped",
      durationMs: 0,
      reason,
      jobs: stage.jobs.map((job) => this.skippedJob(stage, job, reason)),
    };
  }

  private skippedJob(stage: PlannedStage, job: PlannedJob, reason: string): JobRecord {
    return {
      stage: stage.name,
      name: job.name,
      displayName: job.displayName,
      kind: job.kind,
      result: "Skipped",
      durationMs: 0,
      steps: [],
      outputs: {},
      reason,
    };
  }

  private async runStage(stage: PlannedStage, dependsOn: string[], upstream: string[]): Promise<StageRecord> {
    const started = Date.now();
    const { log } = this;
    const at = stage.at;
    const dependencies = stageDependencies(this.stageRecords, dependsOn, at);
    let stageVariables: VariableSet;
    try {
      // The condition sees the pipeline's variables, not the ones the stage defines.
      const pipelineVariables = this.baseVariables();
      addVariables(this.prepared.plan.variables, pipelineVariables, this.scopeContext({ dependencies }));
      const runs = evaluateCondition(stage.condition, {
        view: {
          level: "stage",
          canceled: this.canceled,
          upstream: upstream.map((name) => this.stageRecords.get(name)?.result ?? "Skipped"),
          resultOf: (name) => (dependsOn.includes(name) || upstream.includes(name) ? this.stageRecords.get(name)?.result : undefined),
        },
        variables: pipelineVariables.expressionMapping(at),
        dependencies,
        at,
      });
      if (!runs) {
        const reason = stage.condition
          ? `its condition is false: ${stage.condition.text.trim()}`
          : this.canceled
            ? "the run was canceled"
            : "a stage it depends on did not succeed";
        log.line("");
        log.line(`○ Stage ${stage.displayName} skipped: ${reason}`);
        return this.skippedStage(stage, reason);
      }
      stageVariables = pipelineVariables;
      stageVariables.setSystem("System.StageName", stage.name);
      stageVariables.setSystem("System.StageDisplayName", stage.displayName);
      stageVariables.setSystem("System.StageAttempt", "1");
      addVariables(stage.variables, stageVariables, this.scopeContext({ dependencies }));
    } catch (error) {
      if (!(error instanceof PipelineError)) throw error;
      log.line(`##[error]${error.message}`);
      return { ...this.skippedStage(stage, error.message), result: "Failed", durationMs: Date.now() - started };
    }

    log.stage(stage.displayName, stage.name);
    const jobRecords = new Map<string, JobRecord>();
    const byName = new Map(stage.jobs.map((job) => [job.name, job]));
    for (const job of dependencyOrder(stage.jobs, (unit) => unit.dependsOn)) {
      const jobUpstream = upstreamOf(job.name, (name) => byName.get(name)!.dependsOn);
      jobRecords.set(job.name, await this.runJobOf(stage, job, stageVariables, jobRecords, jobUpstream, dependsOn));
    }
    const jobs = [...jobRecords.values()];
    const ran = jobs.filter((job) => job.result !== "Skipped");
    const result = ran.length === 0 ? "Skipped" : ran.reduce<RunResult>((worst, job) => worse(worst, job.result), "Succeeded");
    return { name: stage.name, displayName: stage.displayName, result, durationMs: Date.now() - started, jobs };
  }

  private async runJobOf(
    stage: PlannedStage,
    job: PlannedJob,
    stageVariables: VariableSet,
    jobRecords: Map<string, JobRecord>,
    upstream: string[],
    stageDependsOn: string[],
  ): Promise<JobRecord> {
    const at = job.at;
    const dependencies = jobDependencies(jobRecords, job.dependsOn, at);
    const stageDeps = jobStageDependencies(this.stageRecords, stageDependsOn, at);
    try {
      const runs = evaluateCondition(job.condition, {
        view: {
          level: "job",
          canceled: this.canceled,
          upstream: upstream.map((name) => jobRecords.get(name)?.result ?? "Skipped"),
          resultOf: (name) => (upstream.includes(name) ? jobRecords.get(name)?.result : undefined),
        },
        variables: stageVariables.expressionMapping(at),
        dependencies,
        stageDependencies: stageDeps,
        at,
      });
      if (!runs) {
        const reason = job.condition
          ? `its condition is false: ${job.condition.text.trim()}`
          : this.canceled
            ? "the run was canceled"
            : "a job it depends on did not succeed";
        this.log.line(`○ Job ${job.displayName} skipped: ${reason}`);
        return this.skippedJob(stage, job, reason);
      }
      const variables = stageVariables.clone();
      variables.setSystem("System.JobName", job.name);
      variables.setSystem("System.JobDisplayName", job.displayName);
      variables.setSystem("System.JobId", randomUUID());
      variables.setSystem("System.PhaseName", job.name);
      variables.setSystem("System.PhaseDisplayName", job.displayName);
      variables.setSystem("Agent.JobName", job.displayName);
      variables.setSystem("System.JobAttempt", "1");
      addVariables(job.variables, variables, this.scopeContext({ dependencies, stageDependencies: stageDeps }));
      variables.expandValues();
      return await runJob({
        stage,
        job,
        variables,
        folders: this.folders,
        log: this.log,
        artifacts: new ArtifactStore(this.folders.artifacts),
        connections: this.connections,
        repositoryRoot: repositoryRoot(),
        runSignal: this.cancel.signal,
      });
    } catch (error) {
      if (!(error instanceof PipelineError)) throw error;
      this.log.line(`##[error]${error.message}`);
      return { ...this.skippedJob(stage, job, error.message), result: "Failed" };
    }
  }

  /** The stages in the order they ran, then any the run did not reach. */
  records(): StageRecord[] {
    const notReached = this.prepared.plan.stages.filter((stage) => !this.stageRecords.has(stage.name)).map((stage) => this.skippedStage(stage, "not reached"));
    return [...this.stageRecords.values(), ...notReached];
  }
}

function queueTimeNotices(options: PipelineRunOptions, plan: PipelinePlan): string[] {
  const entries = allVariableEntries(plan);
  return Object.keys(options.variables ?? {}).flatMap((name) => {
    const defined = entries.find((entry) => entry.kind === "variable" && entry.name.toLowerCase() === name.toLowerCase());
    return defined
      ? [
          `--var ${name} does not change the variable '${name}' the YAML defines at line ${defined.at.line}: as in Azure, YAML variables win over queue-time ones (use a parameter to choose at queue time)`,
        ]
      : [];
  });
}

/** Runs a pipeline; throws PipelineError (before anything runs) when it cannot be compiled or checked. */
export async function runPipeline(options: PipelineRunOptions): Promise<RunSummary> {
  const started = Date.now();
  const write = options.write ?? ((line: string) => console.log(line));
  const prepared = preparePipeline(options);
  const kept = options.keepRunDirectory === true || options.runDirectory !== undefined;
  const runDirectory = options.runDirectory ? path.resolve(options.runDirectory) : fs.mkdtempSync(path.join(os.tmpdir(), "pipeline-run-"));
  const folders = new RunFolders(runDirectory);
  const masker = new SecretMasker();
  const log = new RunLog(write, masker, options.debug);
  const connections = new RunConnections(
    {
      connectionFile: options.connectionFile,
      flavour: options.connectionFlavour ?? "secret",
      flavours: options.connectionFlavours,
      scopedWorkspace: options.scopedWorkspace,
      localAzureStateDir: folders.localAzureState,
      python: options.python,
      onNotice: (text) => log.notice(text),
    },
    masker,
  );
  const runner = new PipelineRunner(options, prepared, folders, connections, log);
  let result: RunResult;
  try {
    log.line(`Running ${prepared.file}`);
    log.line(`  sources: ${prepared.sources}`);
    log.line(`  run folder: ${runDirectory}${kept ? "" : " (removed at the end; --keep keeps it)"}`);
    for (const notice of [...prepared.plan.notices, ...queueTimeNotices(options, prepared.plan)]) log.notice(notice);
    const tasks = taskSteps(prepared.plan);
    if (
      tasks.length > 0 &&
      tasksNeedBundling(
        repositoryRoot(),
        tasks.map((step) => ({ name: step.taskName, sourceDirectory: step.sourceDirectory })),
      )
    ) {
      log.notice("bundling the tasks (their sources changed since the last build)…");
      bundleTasks(repositoryRoot());
    }
    result = await runner.run();
  } finally {
    stopAll();
    await connections.stop();
  }
  const summary: RunSummary = { result, durationMs: Date.now() - started, stages: runner.records(), runDirectory, kept };
  for (const line of summaryTable(summary)) log.line(line);
  if (kept) log.line(`The run folder (artifacts, step logs, work folders) is kept: ${runDirectory}`);
  else fs.rmSync(runDirectory, { recursive: true, force: true });
  return summary;
}
