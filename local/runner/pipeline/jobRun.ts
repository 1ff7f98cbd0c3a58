import * as fs from "node:fs";
import * as path from "node:path";
import { scriptHostEnvironment } from "../agentEnvironment";
import { ArtifactStore } from "./artifacts";
import { stopAll } from "./childProcesses";
import { evaluateCondition } from "./conditions";
import { expandMacros } from "../macros";
import { PlannedJob, PlannedStage, PlannedStep, StepPhase } from "./planTypes";
import { isSuccess, RunResult, worse } from "./results";
import { RunConnections } from "./runConnections";
import { JobFolders, RunFolders } from "./runFolders";
import { RunLog } from "./runLog";
import { JobRecord, keepOutputValues, StepRecord } from "./runRecords";
import { runScript } from "./scriptStep";
import { StepCommandReader, StepEffects } from "./stepCommands";
import { runOurTask } from "./taskStep";
import { VariableSet } from "./variables";

/*
 * One job, as the agent runs it: its steps in order, each after its condition (default
 * succeeded(), on Agent.JobStatus), `$( )` expanded just before it runs, what its logging
 * commands set applied before the next one; continueOnError, retries, timeouts; a deployment
 * job's hooks, with the automatic download in `deploy`.
 */

export interface JobRunContext {
  stage: PlannedStage;
  job: PlannedJob;
  /** The job's variables: system, command line, pipeline, stage, job, resolved. */
  variables: VariableSet;
  folders: RunFolders;
  log: RunLog;
  artifacts: ArtifactStore;
  connections: RunConnections;
  repositoryRoot: string;
  /** Aborted when the run is canceled. */
  runSignal: AbortSignal;
}

interface StepOutcome {
  result: RunResult;
  reason?: string;
  effects: StepEffects;
}

const implicitDownload = (at: PlannedStep["at"]): PlannedStep => ({
  kind: "download",
  name: "__download",
  displayName: "Download the run's artifacts (automatic in a deploy hook)",
  continueOnError: false,
  enabled: true,
  retryCountOnTaskFailure: 0,
  env: {},
  at,
});

/** The phases as they run: a deploy hook without a download step downloads every artifact first. */
function phasesToRun(job: PlannedJob): StepPhase[] {
  if (job.kind !== "deployment") return job.phases;
  return job.phases.map((phase) =>
    phase.hook === "deploy" && !phase.steps.some((step) => step.kind === "download")
      ? { ...phase, steps: [implicitDownload(phase.steps[0]?.at ?? job.at), ...phase.steps] }
      : phase,
  );
}

function emptyEffects(): StepEffects {
  return { variables: [], errors: [], warnings: [], summaries: [], artifacts: [], prependPaths: [], problems: [] };
}

class JobRunner {
  private status: RunResult = "Succeeded";
  private readonly outputs: Record<string, string> = {};
  private readonly records: StepRecord[] = [];
  private readonly prependPaths: string[] = [];
  private readonly abort = new AbortController();
  private timedOut = false;
  private folders!: JobFolders;

  constructor(private readonly context: JobRunContext) {}

  private get canceled(): boolean {
    return this.abort.signal.aborted;
  }

  async run(): Promise<JobRecord> {
    const { job, stage, log } = this.context;
    const started = Date.now();
    const onRunCancel = () => this.abort.abort();
    if (this.context.runSignal.aborted) this.abort.abort();
    this.context.runSignal.addEventListener("abort", onRunCancel, { once: true });
    const timer =
      job.timeoutInMinutes && job.timeoutInMinutes > 0
        ? setTimeout(() => {
            this.timedOut = true;
            log.line(`##[error]The job ran longer than its timeoutInMinutes (${job.timeoutInMinutes}) and is canceled.`);
            this.abort.abort();
          }, job.timeoutInMinutes * 60_000)
        : undefined;
    try {
      this.folders = this.context.folders.job();
      this.setJobVariables();
      log.job(job.displayName, stage.name, job.name, job.kind === "deployment" ? "Deployment" : "Job");
      const phases = phasesToRun(job);
      const total = phases.reduce((count, phase) => count + phase.steps.length, 0);
      let index = 0;
      for (const phase of phases) {
        if (phase.hook) log.line(`▸ Hook ${phase.hook}`);
        for (const step of phase.steps) {
          index++;
          await this.runStep(step, phase, index, total);
        }
      }
    } finally {
      if (timer) clearTimeout(timer);
      this.context.runSignal.removeEventListener("abort", onRunCancel);
      // What scripts left running in the background ends with the job, as on an agent.
      stopAll();
    }
    let result = this.status;
    if (this.canceled) result = "Canceled";
    if (result === "Failed" && job.continueOnError) result = "SucceededWithIssues";
    const masked = Object.fromEntries(Object.entries(this.outputs).map(([key, value]) => [key, log.masker.mask(value)]));
    const record: JobRecord = {
      stage: stage.name,
      name: job.name,
      displayName: job.displayName,
      kind: job.kind,
      result,
      durationMs: Date.now() - started,
      steps: this.records,
      outputs: masked,
      reason: this.timedOut ? `timed out after ${job.timeoutInMinutes} minute(s)` : undefined,
    };
    keepOutputValues(record, this.outputs);
    return record;
  }

  private setJobVariables(): void {
    const { job, variables } = this.context;
    const folders = this.folders;
    const system: Record<string, string> = {
      "Pipeline.Workspace": folders.workspace,
      "Agent.BuildDirectory": folders.workspace,
      "Build.ArtifactStagingDirectory": folders.artifactStaging,
      "Build.StagingDirectory": folders.artifactStaging,
      "System.ArtifactsDirectory": folders.artifactStaging,
      "Build.BinariesDirectory": folders.binaries,
      "Common.TestResultsDirectory": folders.testResults,
      "Agent.TempDirectory": folders.temp,
      "Agent.JobStatus": "Succeeded",
    };
    if (job.environment) {
      system["Environment.Name"] = job.environment.name;
      if (job.environment.resourceName) system["Environment.ResourceName"] = job.environment.resourceName;
      system["Strategy.Name"] = "runOnce";
    }
    for (const [name, value] of Object.entries(system)) variables.setSystem(name, value);
  }

  private gate(phase: StepPhase): string | undefined {
    if (phase.runs === "onSuccess" && (this.canceled || !isSuccess(this.status))) return `the ${phase.hook} hook runs only when the deployment succeeded`;
    if (phase.runs === "onFailure" && (this.canceled || this.status !== "Failed")) return `the ${phase.hook} hook runs only when the deployment failed`;
    return undefined;
  }

  private async runStep(step: PlannedStep, phase: StepPhase, index: number, total: number): Promise<void> {
    const { log, variables } = this.context;
    // Masked here already: the name goes into the records the run returns, not only into the log.
    const displayName = log.masker.mask(expandMacros(step.displayName, variables.lookup));
    const skip = (reason: string) => {
      log.skippedStep(index, total, displayName, reason);
      this.records.push({ name: step.name, displayName, result: "Skipped", durationMs: 0, reason });
    };
    const gated = this.gate(phase);
    if (gated) return skip(gated);
    if (!step.enabled) return skip("it is disabled (enabled: false)");

    let runs: boolean;
    try {
      runs = evaluateCondition(step.condition, {
        view: { level: "step", canceled: this.canceled, jobStatus: this.status },
        variables: variables.expressionMapping(step.condition?.at ?? step.at),
        at: step.at,
      });
    } catch (error) {
      log.line(`##[error]${(error as Error).message}`);
      this.records.push({ name: step.name, displayName, result: "Failed", durationMs: 0, reason: (error as Error).message });
      this.status = worse(this.status, "Failed");
      variables.setSystem("Agent.JobStatus", this.status);
      return;
    }
    if (!runs)
      return skip(step.condition ? `its condition is false: ${step.condition.text.trim()}` : this.canceled ? "the job was canceled" : "an earlier step failed");

    const logFile = this.context.folders.stepLog(this.context.stage.name, this.context.job.name, index, step.name);
    const logLines: string[] = [];
    log.startStep(index, total, displayName, (line) => logLines.push(line));
    const started = Date.now();
    let outcome: StepOutcome = { result: "Failed", effects: emptyEffects() };
    for (let attempt = 0; attempt <= step.retryCountOnTaskFailure; attempt++) {
      if (attempt > 0) log.line(`Retrying (attempt ${attempt + 1} of ${step.retryCountOnTaskFailure + 1})…`);
      outcome = await this.execute(step);
      if (outcome.result !== "Failed" || this.canceled) break;
    }
    this.apply(step, outcome.effects);
    let result = outcome.result;
    // A malformed logging command, or an artifact that could not be uploaded, fails the step.
    if (outcome.effects.problems.length > 0 && result !== "Canceled") result = "Failed";
    if (result === "Failed" && step.continueOnError) result = "SucceededWithIssues";
    const durationMs = Date.now() - started;
    log.endStep(index, total, result, durationMs, outcome.reason ?? outcome.effects.problems[0]);
    fs.writeFileSync(logFile, `${logLines.join("\n")}\n`);
    this.records.push({ name: step.name, displayName, result, durationMs, reason: outcome.reason ?? outcome.effects.problems[0] });
    this.status = worse(this.status, result === "Canceled" ? "Canceled" : result);
    variables.setSystem("Agent.JobStatus", this.status);
  }

  private stepTimeout(step: PlannedStep): number | undefined {
    return step.timeoutInMinutes && step.timeoutInMinutes > 0 ? step.timeoutInMinutes * 60_000 : undefined;
  }

  private expandedEnv(step: PlannedStep): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(step.env)) env[name] = expandMacros(value, this.context.variables.lookup);
    return env;
  }

  /**
   * A step started before the job is canceled is stopped by the cancel; one started after it
   * (an always() step) runs to its end, as on an agent.
   */
  private stepSignal(): { signal: AbortSignal; release(): void } {
    const controller = new AbortController();
    if (this.canceled) return { signal: controller.signal, release: () => undefined };
    const forward = () => controller.abort();
    this.abort.signal.addEventListener("abort", forward, { once: true });
    return { signal: controller.signal, release: () => this.abort.signal.removeEventListener("abort", forward) };
  }

  private async execute(step: PlannedStep): Promise<StepOutcome> {
    const stop = this.stepSignal();
    try {
      return await this.executeWith(step, stop.signal);
    } finally {
      stop.release();
    }
  }

  private async executeWith(step: PlannedStep, signal: AbortSignal): Promise<StepOutcome> {
    const { variables, log } = this.context;
    const expand = (text: string) => expandMacros(text, variables.lookup);
    const sources = variables.value("System.DefaultWorkingDirectory") ?? process.cwd();
    try {
      switch (step.kind) {
        case "script": {
          const reader = this.commandReader();
          const host = scriptHostEnvironment();
          const environment: Record<string, string> = { ...host, ...variables.environment(), ...this.expandedEnv(step) };
          if (this.prependPaths.length > 0) environment.PATH = [...this.prependPaths, environment.PATH ?? host.PATH ?? ""].join(":");
          const outcome = await runScript({
            shell: step.shell,
            script: expand(step.script),
            filePath: step.filePath ? path.resolve(sources, expand(step.filePath)) : undefined,
            arguments: step.arguments ? expand(step.arguments) : undefined,
            workingDirectory: path.resolve(sources, expand(step.workingDirectory ?? sources)),
            environment,
            tempDirectory: this.folders.temp,
            failOnStderr: step.failOnStderr,
            timeoutMs: this.stepTimeout(step),
            signal,
            commands: reader,
            onLine: (line) => log.stepOutput(line),
          });
          const reported = reader.effects.result;
          let result: RunResult = outcome.canceled ? "Canceled" : outcome.failed ? "Failed" : "Succeeded";
          if (reported && !outcome.canceled) result = worse(result, reported);
          return {
            result,
            reason: outcome.reason ?? (reported && reported !== "Succeeded" ? reader.effects.resultMessage : undefined),
            effects: reader.effects,
          };
        }
        case "task": {
          const stepTemp = this.context.folders.stepTemp(this.folders);
          const result = await runOurTask({
            step,
            repositoryRoot: this.context.repositoryRoot,
            variables,
            tempDirectory: stepTemp,
            env: this.expandedEnv(step),
            prependPaths: this.prependPaths,
            connections: this.context.connections,
            timeoutMs: this.stepTimeout(step),
            signal,
            onLine: (line) => log.stepOutput(line),
          });
          const reader = this.commandReader();
          result.commands.forEach((command) => reader.read(command));
          const taskResult: RunResult = signal.aborted ? "Canceled" : (result.result ?? "Failed");
          const reason = taskResult === "Failed" ? result.message || result.errors[0] || `the task exited with code ${result.exitCode}` : undefined;
          return { result: taskResult, reason, effects: reader.effects };
        }
        case "checkout":
          log.line(step.repository === "self" ? `The sources are the working tree ${sources}: nothing is checked out.` : "checkout: none — nothing to do.");
          return { result: "Succeeded", effects: emptyEffects() };
        case "publish": {
          const name = step.artifact ? expand(step.artifact) : `${this.context.stage.name}.${this.context.job.name}.${step.name}`;
          const source = path.resolve(sources, expand(step.path));
          const target = this.context.artifacts.publish(name, source);
          log.line(`Published ${source} as the artifact '${name}' (${target}).`);
          return { result: "Succeeded", effects: emptyEffects() };
        }
        case "download":
          return this.download(step, expand);
      }
    } catch (error) {
      return { result: signal.aborted ? "Canceled" : "Failed", reason: (error as Error).message, effects: emptyEffects() };
    }
  }

  private commandReader(): StepCommandReader {
    return new StepCommandReader(this.context.log.masker);
  }

  private download(step: Extract<PlannedStep, { kind: "download" }>, expand: (text: string) => string): StepOutcome {
    const { artifacts, variables, log } = this.context;
    const workspace = variables.value("Pipeline.Workspace") ?? this.folders.workspace;
    const sources = variables.value("System.DefaultWorkingDirectory") ?? process.cwd();
    const names = step.artifact ? [expand(step.artifact)] : artifacts.names();
    for (const name of names) {
      const target = step.path ? path.resolve(sources, expand(step.path), step.artifact ? "" : name) : path.join(workspace, name);
      const count = artifacts.download(name, target, step.patterns ? expand(step.patterns) : "**");
      log.line(`Downloaded ${count} file(s) of the artifact '${name}' to ${target}.`);
    }
    if (names.length === 0) log.line("No artifact was published in this run before this step.");
    return { result: "Succeeded", effects: emptyEffects() };
  }

  /** A summary a step uploaded (markdown), shown in the log as the run's page would show it. */
  private showSummary(file: string): void {
    const { log } = this.context;
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      log.warning(`the summary ${file} the step uploaded cannot be read.`);
      return;
    }
    log.line(`▸ Summary (${path.basename(file)})`);
    for (const line of text.replace(/\n+$/, "").split("\n")) log.line(line);
  }

  /** What a step's logging commands set, for the steps after it. */
  private apply(step: PlannedStep, effects: StepEffects): void {
    const { variables, log, artifacts } = this.context;
    for (const variable of effects.variables) {
      if (variable.output) {
        // An output is `<step>.<name>` in the job, and in dependencies (a deployment's carry the job's name).
        const key = `${step.name}.${variable.name}`;
        variables.set({ name: key, value: variable.value, secret: variable.secret, readonly: true });
        this.outputs[this.context.job.kind === "deployment" ? `${this.context.job.name}.${key}` : key] = variable.value;
      } else if (!variables.set({ name: variable.name, value: variable.value, secret: variable.secret, readonly: variable.readonly })) {
        log.warning(`the step tried to set the read-only variable '${variable.name}'; it keeps its value.`);
      }
    }
    if (effects.buildNumber) variables.setSystem("Build.BuildNumber", effects.buildNumber);
    this.prependPaths.unshift(...effects.prependPaths.filter((folder) => !this.prependPaths.includes(folder)).reverse());
    for (const artifact of effects.artifacts) {
      try {
        const target = artifacts.publish(artifact.name, path.resolve(variables.value("System.DefaultWorkingDirectory") ?? process.cwd(), artifact.path));
        log.line(`Uploaded ${artifact.path} as the artifact '${artifact.name}' (${target}).`);
      } catch (error) {
        log.line(`##[error]artifact.upload: ${(error as Error).message}`);
        effects.problems.push((error as Error).message);
      }
    }
    for (const summary of effects.summaries) this.showSummary(summary);
    for (const problem of effects.problems) log.line(`##[error]${problem}`);
  }
}

export async function runJob(context: JobRunContext): Promise<JobRecord> {
  return await new JobRunner(context).run();
}
