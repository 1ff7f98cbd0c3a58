import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// The tests run compiled, from out/test/unit/packaging/: the project root is four levels up.
export const projectRoot = join(__dirname, "..", "..", "..", "..");

/** Task folders, discovered as the bundler discovers them: tasks/<Task>/task.json. */
export function taskFolders(): string[] {
  const tasksDir = join(projectRoot, "tasks");
  return readdirSync(tasksDir)
    .filter((name) => existsSync(join(tasksDir, name, "task.json")))
    .sort();
}

/**
 * Tasks being built on other branches, which the documents (overview.md, the sample release
 * definition) already present. A test fails once such a task's folder exists, so whoever merges
 * it removes it from this list and the checks become exact again.
 */
export const TASKS_IN_PROGRESS: readonly string[] = [];

/** Whether tasks/<task>/task.json exists. */
export const taskExists = (task: string): boolean => existsSync(join(projectRoot, "tasks", task, "task.json"));

export function readJson<T>(relativePath: string): T {
  return JSON.parse(readFileSync(join(projectRoot, relativePath), "utf8")) as T;
}

export interface TaskInput {
  name: string;
  aliases?: string[];
  type: string;
  label: string;
  defaultValue?: string;
  required?: boolean;
  groupName?: string;
  helpMarkDown?: string;
  visibleRule?: string;
  options?: Record<string, string>;
  properties?: Record<string, string>;
}

/** A task input's list of values from its service connection, resolved by the server (test/local/pickers/). */
export interface DataSourceBinding {
  target: string;
  endpointId: string;
  endpointUrl?: string;
  dataSourceName?: string;
  parameters?: Record<string, string>;
  resultSelector?: string;
  resultTemplate?: string;
  initialContextTemplate?: string;
  callbackContextTemplate?: string;
  callbackRequiredTemplate?: string;
}

export interface TaskJson {
  id: string;
  name: string;
  helpMarkDown?: string;
  instanceNameFormat: string;
  version: { Major: number; Minor: number; Patch: number };
  groups?: { name: string; displayName: string }[];
  inputs?: TaskInput[];
  outputVariables?: { name: string; description?: string }[];
  dataSourceBindings?: DataSourceBinding[];
  execution?: Record<string, { target: string }>;
}

export function readTaskJson(task: string): TaskJson {
  return readJson<TaskJson>(join("tasks", task, "task.json"));
}
