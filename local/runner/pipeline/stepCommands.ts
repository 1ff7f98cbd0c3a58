import { LoggingCommand } from "../loggingCommands";
import { RunResult } from "./results";
import { SecretMasker } from "./secretMasker";

/*
 * What the `##vso[…]` commands a step printed do to the job, as the agent applies them:
 * https://learn.microsoft.com/azure/devops/pipelines/scripts/logging-commands
 * Secrets are registered with the masker the moment their command is read, so that nothing
 * printed after it shows them.
 */

export interface SetVariable {
  name: string;
  value: string;
  secret: boolean;
  output: boolean;
  readonly: boolean;
}

export interface StepEffects {
  variables: SetVariable[];
  /** What task.complete reported, if anything (the worst of several). */
  result?: RunResult;
  resultMessage?: string;
  errors: string[];
  warnings: string[];
  summaries: string[];
  artifacts: Array<{ name: string; path: string }>;
  prependPaths: string[];
  buildNumber?: string;
  /** Malformed commands: each fails the step, as the agent fails it. */
  problems: string[];
}

const results: RunResult[] = ["Succeeded", "SucceededWithIssues", "Failed", "Canceled", "Skipped"];

function flag(command: LoggingCommand, name: string): boolean {
  return (command.properties[name] ?? "").trim().toLowerCase() === "true";
}

export class StepCommandReader {
  readonly effects: StepEffects = { variables: [], errors: [], warnings: [], summaries: [], artifacts: [], prependPaths: [], problems: [] };

  constructor(private readonly masker: SecretMasker) {}

  read(command: LoggingCommand): void {
    const effects = this.effects;
    switch (command.name) {
      case "task.setvariable": {
        const name = command.properties.variable;
        if (!name) {
          effects.problems.push("##vso[task.setvariable] needs the property 'variable'.");
          return;
        }
        const secret = flag(command, "issecret");
        if (secret) this.masker.add(command.data);
        effects.variables.push({ name, value: command.data, secret, output: flag(command, "isoutput"), readonly: flag(command, "isreadonly") });
        return;
      }
      case "task.setsecret":
        this.masker.add(command.data);
        return;
      case "task.logissue":
      case "task.issue": {
        const type = (command.properties.type ?? "").toLowerCase();
        if (type === "error") effects.errors.push(command.data);
        else if (type === "warning") effects.warnings.push(command.data);
        else effects.problems.push(`##vso[task.logissue] needs type=error or type=warning, not '${command.properties.type ?? ""}'.`);
        return;
      }
      case "task.complete": {
        const given = command.properties.result ?? "";
        const result = results.find((known) => known.toLowerCase() === given.trim().toLowerCase());
        if (!result) {
          effects.problems.push(`##vso[task.complete] needs result=Succeeded, SucceededWithIssues or Failed, not '${given}'.`);
          return;
        }
        effects.result = result;
        effects.resultMessage = command.data || effects.resultMessage;
        return;
      }
      case "task.uploadsummary":
      case "build.uploadsummary":
        effects.summaries.push(command.data);
        return;
      case "task.prependpath":
        if (command.data) effects.prependPaths.push(command.data);
        return;
      case "artifact.upload": {
        const name = command.properties.artifactname;
        if (!name) effects.problems.push("##vso[artifact.upload] needs the property 'artifactname'.");
        else effects.artifacts.push({ name, path: command.data });
        return;
      }
      case "build.updatebuildnumber":
        effects.buildNumber = command.data;
        return;
      default:
        // Progress, details, attachments, tags, debug lines: nothing the local run keeps.
        return;
    }
  }
}
