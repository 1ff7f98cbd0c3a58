import { describeWhere, PipelineError } from "./pipelineError";
import { booleanField, checkKeys, checkName, conditionField, KeyHandling, numberField, requiredText, textField, textMapping } from "./planFields";
import { PlannedStep } from "./planTypes";
import { builtInTasks, TaskCatalog } from "./taskCatalog";
import { entryOf, isMapping, MappingNode, PipelineNode } from "./yamlNodes";

/*
 * Steps: https://learn.microsoft.com/azure/devops/pipelines/yaml-schema/steps
 * script/bash run with bash; pwsh/powershell with pwsh when it is installed; checkout of the
 * pipeline's own repository is the working tree; tasks are ours, or the built-in ones the
 * runner carries out (pipeline artifacts, CmdLine@2, Bash@3). Anything else is refused with its
 * line before anything runs.
 */

export interface StepPlanning {
  catalog: TaskCatalog;
  /** Whether pwsh is on PATH (pwsh and powershell steps need it). */
  hasPwsh: boolean;
  notices: string[];
}

const common: Record<string, KeyHandling> = {
  displayName: "use",
  name: "use",
  condition: "use",
  continueOnError: "use",
  enabled: "use",
  env: "use",
  timeoutInMinutes: "use",
  retryCountOnTaskFailure: "use",
  target: { refuse: "steps run on this machine, not in a container or in restricted mode" },
};

const kindKeys = [
  "script",
  "bash",
  "pwsh",
  "powershell",
  "checkout",
  "task",
  "publish",
  "upload",
  "download",
  "downloadBuild",
  "getPackage",
  "reviewApp",
  "template",
];

function firstLine(text: string): string {
  const line = text.split("\n").find((part) => part.trim() !== "") ?? "";
  return line.length > 60 ? `${line.slice(0, 57)}...` : line.trim();
}

function base(node: MappingNode, construct: string, defaultDisplayName: string, defaultName: string) {
  const name = textField(node, "name", construct);
  return {
    name: name === undefined ? defaultName : checkName(name, "step", node.at),
    displayName: textField(node, "displayName", construct) ?? defaultDisplayName,
    condition: conditionField(node, construct),
    continueOnError: booleanField(node, "continueOnError", construct, false),
    enabled: booleanField(node, "enabled", construct, true),
    timeoutInMinutes: numberField(node, "timeoutInMinutes", construct),
    retryCountOnTaskFailure: numberField(node, "retryCountOnTaskFailure", construct) ?? 0,
    env: textMapping(node, "env", construct),
    at: node.at,
  };
}

/** Default reference names as the service gives them: the task's name, then name2, name3… One per job. */
export class StepNames {
  private readonly used = new Map<string, number>();

  next(baseName: string): string {
    const count = (this.used.get(baseName) ?? 0) + 1;
    this.used.set(baseName, count);
    return count === 1 ? baseName : `${baseName}${count}`;
  }
}

function inputsFor(node: MappingNode, construct: string): Record<string, string> {
  return textMapping(node, "inputs", construct);
}

/** Given inputs under their canonical names (task.json's name; aliases and case resolved). */
function canonicalInputs(
  given: Record<string, string>,
  definitions: Array<{ name: string; aliases?: string[] }>,
  reference: string,
  node: MappingNode,
): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    const definition = definitions.find((input) => [input.name, ...(input.aliases ?? [])].some((known) => known.toLowerCase() === name.toLowerCase()));
    if (!definition) {
      const inputsNode = entryOf(node, "inputs")?.value;
      const at = (isMapping(inputsNode) ? inputsNode.entries.find((entry) => entry.key.value === name)?.key.at : undefined) ?? node.at;
      throw new PipelineError(`${reference} has no input '${name}' (it has ${definitions.map((input) => input.name).join(", ")})`, at);
    }
    inputs[definition.name] = value;
  }
  return inputs;
}

const publishInputs = [
  { name: "targetPath", aliases: ["path"] },
  { name: "artifact", aliases: ["artifactName"] },
  { name: "publishLocation", aliases: ["artifactType"] },
];
const downloadInputs = [
  { name: "buildType", aliases: ["source"] },
  { name: "artifact", aliases: ["artifactName"] },
  { name: "itemPattern", aliases: ["patterns"] },
  { name: "targetPath", aliases: ["path", "downloadPath"] },
];
const cmdLineInputs = [{ name: "script" }, { name: "workingDirectory" }, { name: "failOnStderr" }];
const bashInputs = [
  { name: "targetType" },
  { name: "filePath" },
  { name: "arguments" },
  { name: "script" },
  { name: "workingDirectory" },
  { name: "failOnStderr" },
  { name: "bashEnvValue" },
];

function truthy(text: string | undefined): boolean {
  return text !== undefined && ["true", "yes", "on", "y"].includes(text.trim().toLowerCase());
}

function planTask(node: MappingNode, planning: StepPlanning, names: StepNames): PlannedStep {
  const construct = "a task step";
  checkKeys(node, construct, { ...common, task: "use", inputs: "use" }, planning.notices);
  const reference = requiredText(node, "task", construct);
  const builtIn = builtInTasks[reference.trim().toLowerCase() as keyof typeof builtInTasks];
  const given = inputsFor(node, construct);
  const taskName = reference.split("@")[0];
  if (builtIn === "publish") {
    const inputs = canonicalInputs(given, publishInputs, reference, node);
    if (inputs.publishLocation && inputs.publishLocation.toLowerCase() !== "pipeline") {
      throw new PipelineError(`${reference}: publishLocation '${inputs.publishLocation}' is not supported by the local runner (only 'pipeline')`, node.at);
    }
    return {
      ...base(node, construct, `Publish artifact ${inputs.artifact ?? ""}`.trim(), names.next(taskName)),
      kind: "publish",
      path: inputs.targetPath ?? "$(Pipeline.Workspace)",
      artifact: inputs.artifact,
    };
  }
  if (builtIn === "download") {
    const inputs = canonicalInputs(given, downloadInputs, reference, node);
    if (inputs.buildType && inputs.buildType.toLowerCase() !== "current") {
      throw new PipelineError(
        `${reference}: buildType '${inputs.buildType}' is not supported by the local runner (only artifacts of the current run)`,
        node.at,
      );
    }
    return {
      ...base(node, construct, `Download artifact ${inputs.artifact ?? ""}`.trim(), names.next(taskName)),
      kind: "download",
      artifact: inputs.artifact,
      patterns: inputs.itemPattern,
      // The task puts one artifact's files right in its path; the shortcut in a folder named after it.
      path: inputs.targetPath ?? "$(Pipeline.Workspace)",
    };
  }
  if (builtIn === "script" || builtIn === "bash") {
    const inputs = canonicalInputs(given, builtIn === "script" ? cmdLineInputs : bashInputs, reference, node);
    const isFile = (inputs.targetType ?? (builtIn === "bash" ? "filePath" : "inline")).toLowerCase() === "filepath";
    if (isFile && !inputs.filePath) throw new PipelineError(`${reference} needs the input 'filePath' (or targetType: inline with 'script')`, node.at);
    return {
      ...base(node, construct, reference, names.next(taskName)),
      kind: "script",
      shell: "bash",
      script: isFile ? "" : (inputs.script ?? ""),
      filePath: isFile ? inputs.filePath : undefined,
      arguments: isFile ? inputs.arguments : undefined,
      workingDirectory: inputs.workingDirectory,
      failOnStderr: truthy(inputs.failOnStderr),
    };
  }
  const task = planning.catalog.find(reference);
  if (!task) {
    throw new PipelineError(
      `the task '${reference}' cannot run locally: the runner runs this project's tasks (${planning.catalog.references().join(", ")}) and PublishPipelineArtifact@1, DownloadPipelineArtifact@2, CmdLine@2, Bash@3`,
      entryOf(node, "task")?.value.at ?? node.at,
    );
  }
  const inputs = canonicalInputs(given, task.inputs, reference, node);
  return {
    ...base(node, construct, reference, names.next(task.name)),
    kind: "task",
    reference,
    taskName: task.name,
    sourceDirectory: task.sourceDirectory,
    inputs,
    connectionInputs: task.inputs.filter((input) => input.type.toLowerCase().startsWith("connectedservice:azurerm")).map((input) => input.name),
  };
}

function planStep(item: PipelineNode, planning: StepPlanning, names: StepNames): PlannedStep {
  if (!isMapping(item)) throw new PipelineError("a step must be a mapping (script:, bash:, task:, checkout:…)", item.at);
  const kind = kindKeys.find((key) => entryOf(item, key));
  const { notices } = planning;
  switch (kind) {
    case "script":
    case "bash": {
      const construct = `a ${kind} step`;
      checkKeys(item, construct, { ...common, [kind]: "use", workingDirectory: "use", failOnStderr: "use" }, notices);
      const script = requiredText(item, kind, construct);
      return {
        ...base(item, construct, `${kind === "script" ? "Script" : "Bash"}: ${firstLine(script)}`, names.next(kind === "script" ? "CmdLine" : "Bash")),
        kind: "script",
        shell: "bash",
        script,
        workingDirectory: textField(item, "workingDirectory", construct),
        failOnStderr: booleanField(item, "failOnStderr", construct, false),
      };
    }
    case "pwsh":
    case "powershell": {
      const construct = `a ${kind} step`;
      if (!planning.hasPwsh) {
        throw new PipelineError(
          `the ${kind} step needs PowerShell (pwsh), which is not installed on this machine; install pwsh or write the step with bash:`,
          item.at,
        );
      }
      checkKeys(
        item,
        construct,
        { ...common, [kind]: "use", workingDirectory: "use", failOnStderr: "use", errorActionPreference: "ignore", ignoreLASTEXITCODE: "ignore" },
        notices,
      );
      const script = requiredText(item, kind, construct);
      return {
        ...base(item, construct, `PowerShell: ${firstLine(script)}`, names.next("PowerShell")),
        kind: "script",
        shell: "pwsh",
        script,
        workingDirectory: textField(item, "workingDirectory", construct),
        failOnStderr: booleanField(item, "failOnStderr", construct, false),
      };
    }
    case "checkout": {
      const construct = "a checkout step";
      const ignored: KeyHandling = "ignore";
      checkKeys(
        item,
        construct,
        {
          ...common,
          checkout: "use",
          clean: ignored,
          fetchDepth: ignored,
          fetchFilter: ignored,
          fetchTags: ignored,
          lfs: ignored,
          path: ignored,
          persistCredentials: ignored,
          submodules: ignored,
          sparseCheckoutDirectories: ignored,
          sparseCheckoutPatterns: ignored,
          workspaceRepo: ignored,
        },
        notices,
      );
      const repository = requiredText(item, "checkout", construct);
      if (repository !== "self" && repository !== "none") {
        throw new PipelineError(`'checkout: ${repository}' is not supported by the local runner: only the pipeline's own sources (self) are here`, item.at);
      }
      return { ...base(item, construct, `Checkout ${repository}`, names.next("Checkout")), kind: "checkout", repository };
    }
    case "task":
      return planTask(item, planning, names);
    case "publish":
    case "upload": {
      const construct = `a ${kind} step`;
      checkKeys(item, construct, { ...common, [kind]: "use", artifact: "use" }, notices);
      const artifact = textField(item, "artifact", construct);
      return {
        ...base(item, construct, `Publish artifact ${artifact ?? ""}`.trim(), names.next("PublishPipelineArtifact")),
        kind: "publish",
        path: requiredText(item, kind, construct),
        artifact,
      };
    }
    case "download": {
      const construct = "a download step";
      checkKeys(item, construct, { ...common, download: "use", artifact: "use", patterns: "use", path: "use" }, notices);
      const source = requiredText(item, "download", construct);
      if (source !== "current" && source !== "none") {
        throw new PipelineError(`'download: ${source}' is not supported by the local runner: only artifacts of the current run (current) or none`, item.at);
      }
      const artifact = textField(item, "artifact", construct);
      return {
        ...base(item, construct, source === "none" ? "No download" : `Download artifact ${artifact ?? "(all)"}`, names.next("DownloadPipelineArtifact")),
        // `download: none` only stops the automatic download of a deployment job.
        enabled: source !== "none" && booleanField(item, "enabled", construct, true),
        kind: "download",
        artifact,
        patterns: textField(item, "patterns", construct),
        path: textField(item, "path", construct),
      };
    }
    case "downloadBuild":
    case "getPackage":
    case "reviewApp":
      throw new PipelineError(`the '${kind}' step is not supported by the local runner`, item.at);
    case "template":
      throw new PipelineError("a template reference is only allowed in a list of steps, jobs, stages or variables", item.at);
    default:
      throw new PipelineError(
        `a step needs one of script, bash, pwsh, powershell, checkout, task, publish, download; this one has ${item.entries.map((entry) => `'${String(entry.key.value)}'`).join(", ")}`,
        item.at,
      );
  }
}

/** Steps of a job (or of one hook of a deployment job), defaults given; `names` is the job's. */
export function planSteps(items: PipelineNode[], planning: StepPlanning, names: StepNames): PlannedStep[] {
  return items.map((item) => planStep(item, planning, names));
}

/** Step names are the keys of output variables: unique within a job. */
export function checkStepNames(steps: PlannedStep[]): void {
  const seen = new Map<string, PlannedStep>();
  for (const step of steps) {
    const earlier = seen.get(step.name.toLowerCase());
    if (earlier) throw new PipelineError(`two steps of the job are named '${step.name}' (the other at ${describeWhere(earlier.at)})`, step.at);
    seen.set(step.name.toLowerCase(), step);
  }
}
