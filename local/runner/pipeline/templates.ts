import * as path from "node:path";
import { displayPath, PipelineError, Where } from "./pipelineError";
import { loadPipelineYaml } from "./yamlLoading";
import { entryOf, isMapping, keyText, MappingNode, PipelineNode } from "./yamlNodes";

/*
 * `- template: file.yml` (stages, jobs, steps, variables) and `extends: template:` — where the
 * file is and what it may hold:
 * https://learn.microsoft.com/azure/devops/pipelines/process/templates
 * A path is relative to the file that holds the reference; `/path` starts at the repository's
 * root. Templates of other repositories (`file@alias`) need resources this runner does not
 * fetch. The limits are Azure's: 100 files included, 20 levels of nesting.
 */

export type TemplateSlot = "stages" | "jobs" | "steps" | "variables" | "extends";

export const templateLimits = { maxFiles: 100, maxDepth: 20 };

/** What an `extends` template may hold besides its parameters. */
const extendsKeys = ["stages", "jobs", "steps", "variables", "pool", "resources", "trigger", "pr", "name", "lockBehavior", "schedules"];

export interface LoadedTemplate {
  file: string;
  /** The template's mapping without `parameters`. */
  body: MappingNode;
  parameters: PipelineNode | undefined;
}

export class TemplateFiles {
  private included = 0;

  constructor(private readonly repositoryRoot: string) {}

  /** The absolute file a reference written at `at` names. */
  resolve(reference: string, at: Where): string {
    let target = reference.trim();
    const alias = /@([^@/\\]+)$/.exec(target);
    if (alias) {
      if (alias[1].toLowerCase() !== "self") {
        throw new PipelineError(
          `the template '${target}' comes from the repository resource '${alias[1]}'; templates from other repositories are not supported by the local runner`,
          at,
        );
      }
      target = target.slice(0, alias.index);
    }
    if (target === "") throw new PipelineError("the template reference names no file", at);
    if (target.startsWith("/")) return path.join(this.repositoryRoot, target);
    return path.resolve(path.dirname(at.file), target);
  }

  /** Loads the template for `slot`; `depth` is how many templates deep the reference is. */
  load(file: string, slot: TemplateSlot, at: Where, depth: number): LoadedTemplate {
    if (depth > templateLimits.maxDepth) throw new PipelineError(`templates nest more than ${templateLimits.maxDepth} levels deep (Azure's limit)`, at);
    if (++this.included > templateLimits.maxFiles)
      throw new PipelineError(`more than ${templateLimits.maxFiles} template files are included (Azure's limit)`, at);
    let content: PipelineNode;
    try {
      content = loadPipelineYaml(file);
    } catch (error) {
      if (error instanceof PipelineError && !error.where) throw new PipelineError(`the template ${displayPath(file)} cannot be used: ${error.reason}`, at);
      throw error;
    }
    if (!isMapping(content)) throw new PipelineError(`the template ${displayPath(file)} must be a mapping (parameters: and ${slot}:)`, content.at);
    const allowed = slot === "extends" ? extendsKeys : [slot];
    for (const entry of content.entries) {
      const key = keyText(entry);
      if (key === "parameters" || key.trim().startsWith("${{")) continue;
      if (!allowed.includes(key)) {
        const used = slot === "extends" ? "extends" : `'${slot}'`;
        throw new PipelineError(`the template is used for ${used}, so it may hold only parameters and ${allowed.join(", ")}, not '${key}'`, entry.key.at);
      }
    }
    const parameters = entryOf(content, "parameters")?.value;
    return { file, body: { ...content, entries: content.entries.filter((entry) => keyText(entry) !== "parameters") }, parameters };
  }
}
