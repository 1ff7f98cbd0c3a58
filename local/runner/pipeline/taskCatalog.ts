import * as fs from "node:fs";
import * as path from "node:path";

/*
 * The tasks a pipeline may run through the runner: ours (tasks/<Name>/task.json, referenced as
 * `Name@Major`), and the few built-in ones the runner does itself.
 */

export interface TaskInputDefinition {
  name: string;
  type: string;
  aliases?: string[];
  defaultValue?: string;
}

export interface CatalogTask {
  name: string;
  major: number;
  sourceDirectory: string;
  inputs: TaskInputDefinition[];
}

interface TaskJson {
  name: string;
  version: { Major: number };
  inputs?: TaskInputDefinition[];
}

/** Built-in tasks the runner carries out itself, and how (the step shortcuts they stand for). */
export const builtInTasks = {
  "publishpipelineartifact@1": "publish",
  "downloadpipelineartifact@2": "download",
  "cmdline@2": "script",
  "bash@3": "bash",
} as const;

export class TaskCatalog {
  private readonly tasks: CatalogTask[];

  constructor(tasksRoot: string) {
    this.tasks = fs.existsSync(tasksRoot)
      ? fs
          .readdirSync(tasksRoot)
          .filter((folder) => fs.existsSync(path.join(tasksRoot, folder, "task.json")))
          .map((folder) => {
            const sourceDirectory = path.join(tasksRoot, folder);
            const json = JSON.parse(fs.readFileSync(path.join(sourceDirectory, "task.json"), "utf8")) as TaskJson;
            return { name: json.name, major: json.version.Major, sourceDirectory, inputs: json.inputs ?? [] };
          })
      : [];
  }

  /** `Name@Major`, the name matched ignoring case as Azure Pipelines does. */
  find(reference: string): CatalogTask | undefined {
    const match = /^([^@]+)@(\d+)$/.exec(reference.trim());
    if (!match) return undefined;
    return this.tasks.find((task) => task.name.toLowerCase() === match[1].toLowerCase() && task.major === Number(match[2]));
  }

  /** What the catalog offers, for messages: `AzureMLTrain@1, …`. */
  references(): string[] {
    return this.tasks.map((task) => `${task.name}@${task.major}`).sort();
  }
}
