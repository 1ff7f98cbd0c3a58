import * as tl from "azure-pipelines-task-lib/task";
import type { DeploymentModel, InlineModel } from "../../../common/src/azureml/onlineDeploymentFile";
import type { AzureMLReference } from "../../../common/src/azureml/references";
import { InputError } from "../../../common/src/errors/inputError";
import { lastModelNameVariable, lastModelVersionVariable } from "../../../common/src/jobs/lastRegisteredModel";
import { quoted } from "../../../common/src/text/printable";

/** Which model the deployment serves, as the inputs, the file or the job's variables name it. */
export type ModelChoice =
  /** A registered version, by name and version. */
  | { kind: "version"; name: string; version: string; source: string }
  /** The newest version of a registered model (`@latest`), resolved once when the task runs. */
  | { kind: "latest"; name: string; source: string }
  /** A model ARM id or a registry model, passed to Azure as written. */
  | { kind: "reference"; reference: AzureMLReference; source: string }
  /** A model written inside the deployment file: registered as an anonymous version first. */
  | { kind: "inline"; model: InlineModel; source: string }
  /** No model (a custom container that brings its own). */
  | { kind: "none" };

/** Model names as Azure ML takes them; versions likewise. */
const modelNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;
const versionPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Input 'model': `<name>:<version>` or `<name>@latest`, `azureml:` in front or not. */
export function parseModelInput(value: string): ModelChoice {
  const source = "input 'model'";
  const text = value.startsWith("azureml:") ? value.slice("azureml:".length) : value;
  const latest = /^(.+)@latest$/.exec(text);
  if (latest && modelNamePattern.test(latest[1])) return { kind: "latest", name: latest[1], source };
  const versioned = /^([^:@]+):([^:@]+)$/.exec(text);
  if (versioned && modelNamePattern.test(versioned[1]) && versionPattern.test(versioned[2])) {
    return { kind: "version", name: versioned[1], version: versioned[2], source };
  }
  throw new InputError(`Input 'model' is ${quoted(value)}; write <name>:<version> or <name>@latest, e.g. churn:3 or churn@latest.`);
}

/** The deployment file's `model`, as the file reader gave it. */
export function fileModelChoice(model: DeploymentModel, file: string): ModelChoice {
  const source = `the 'model' of deployment file ${quoted(file)}`;
  if (model.kind === "inline") return { kind: "inline", model, source };
  const reference = model.reference;
  if (reference.kind === "assetVersion") return { kind: "version", name: reference.name, version: reference.version, source };
  if (reference.kind === "assetLabel") {
    if (reference.label !== "latest") {
      throw new InputError(`The 'model' of deployment file ${quoted(file)} is ${reference.text}; 'latest' is the only label Azure ML resolves.`);
    }
    return { kind: "latest", name: reference.name, source };
  }
  return { kind: "reference", reference, source };
}

/** The model the last AzureMLRegisterModel step of this job registered, from the variables it set. */
export function lastRegisteredModel(): ModelChoice | undefined {
  const name = tl.getVariable(lastModelNameVariable)?.trim();
  const version = tl.getVariable(lastModelVersionVariable)?.trim();
  if (!name && !version) return undefined;
  const source = `variables ${lastModelNameVariable} and ${lastModelVersionVariable} (the last AzureMLRegisterModel step)`;
  if (!name || !version || !modelNamePattern.test(name) || !versionPattern.test(version)) {
    throw new InputError(
      `Variables ${lastModelNameVariable} and ${lastModelVersionVariable} are ${quoted(name ?? "")} and ${quoted(version ?? "")}, not a model name and version; set input 'model' to <name>:<version>.`,
    );
  }
  return { kind: "version", name, version, source };
}

/**
 * The model to deploy: input 'model' over the file's `model`; when neither names one, the model
 * the last AzureMLRegisterModel step of this job registered; else none.
 */
export function chooseModel(input: string | undefined, fileModel: DeploymentModel | undefined, file: string): ModelChoice {
  if (input) return parseModelInput(input);
  if (fileModel) return fileModelChoice(fileModel, file);
  return lastRegisteredModel() ?? { kind: "none" };
}

/** The choice in a few words for the log: "churn:3 (input 'model')". */
export function describeModelChoice(choice: ModelChoice): string {
  switch (choice.kind) {
    case "version":
      return `${choice.name}:${choice.version} (${choice.source})`;
    case "latest":
      return `${choice.name}@latest (${choice.source})`;
    case "reference":
      return `${choice.reference.text} (${choice.source})`;
    case "inline":
      return `an inline model at ${choice.model.path.text} (${choice.source})`;
    case "none":
      return "none (the deployment names no model, and no AzureMLRegisterModel step ran before in this job)";
  }
}
