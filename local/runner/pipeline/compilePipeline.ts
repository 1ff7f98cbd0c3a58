import * as path from "node:path";
import { bindParameters, readParameterDeclarations } from "./parameters";
import { planPipeline } from "./plan";
import { StepPlanning } from "./planSteps";
import { PipelinePlan } from "./planTypes";
import { parsePipelineYaml, loadPipelineYaml } from "./yamlLoading";
import { PipelineError } from "./pipelineError";
import { TemplateExpander } from "./templateExpansion";
import { TemplateFiles } from "./templates";
import { entryOf, isMapping, keyText, mapping, MappingEntry, MappingNode, PipelineNode, scalar, valueOf } from "./yamlNodes";

/*
 * Compile time, as Azure Pipelines does it when a run is queued: the file read, the pipeline's
 * parameters bound, templates and `${{ }}` expanded, and the result read into a plan.
 */

export interface CompileOptions {
  /** Pipeline parameters given on the command line: name → text (YAML for object and list types). */
  parameters: Record<string, string>;
  /** Predefined variables available to `${{ variables.x }}` (Build.SourceBranch…). */
  predefinedVariables: Record<string, string>;
  /** Where `/path` template references start. */
  repositoryRoot: string;
}

export interface CompiledPipeline {
  /** The pipeline after expansion: what the plan is read from, and what the schema validates. */
  expanded: MappingNode;
  plan: PipelinePlan;
}

/** Keys Azure does not expand (triggers and resources are read before templates run). */
const notExpanded = new Set(["trigger", "pr", "schedules", "resources", "name", "parameters", "extends"]);

/** `--param name=value`: text for scalars, YAML for objects and lists. */
function commandLineParameters(given: Record<string, string>, declarations: ReturnType<typeof readParameterDeclarations>): MappingNode {
  const at = { file: "(command line)", line: 0 };
  const entries: MappingEntry[] = Object.entries(given).map(([name, text]) => {
    const declaration = declarations.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
    const structured = declaration && !["string", "number", "boolean", undefined].includes(declaration.type);
    let value: PipelineNode = scalar(text, at);
    if (structured) {
      try {
        value = parsePipelineYaml(text, `(--param ${name})`);
      } catch (error) {
        throw new PipelineError(`--param ${name}: the value of a ${declaration.type} parameter is YAML, and '${text}' is not: ${(error as Error).message}`);
      }
    }
    return { key: scalar(name, at), value };
  });
  return mapping(entries, at);
}

export function expandPipeline(file: string, options: CompileOptions): MappingNode {
  const root = loadPipelineYaml(file);
  if (!isMapping(root)) throw new PipelineError("a pipeline must be a mapping (stages:, jobs: or steps:, with variables:, parameters:…)", root.at);
  const declarations = readParameterDeclarations(valueOf(root, "parameters"), false);
  const parameters = bindParameters(declarations, commandLineParameters(options.parameters, declarations), root.at, "the pipeline");
  const expander = new TemplateExpander(new TemplateFiles(options.repositoryRoot));
  const scope = expander.rootScope(parameters, options.predefinedVariables);

  const own = mapping(
    root.entries.filter((entry) => !notExpanded.has(keyText(entry))),
    root.at,
  );
  const expanded = expander.expandMapping(own, scope);
  const kept = root.entries.filter((entry) => notExpanded.has(keyText(entry)) && keyText(entry) !== "extends");
  const extendsEntry = entryOf(root, "extends");
  if (!extendsEntry) return mapping([...kept, ...expanded.entries], root.at);

  const extended = expander.expandExtends(extendsEntry.value, scope);
  const entries: MappingEntry[] = [...kept, ...expanded.entries];
  for (const entry of extended.entries) {
    const key = keyText(entry);
    const existing = entries.find((candidate) => keyText(candidate) === key);
    if (!existing) {
      entries.push(entry);
    } else if (key === "variables") {
      // The pipeline's variables first, then the template's.
      existing.value = mergeVariables(existing.value, entry.value);
    } else {
      throw new PipelineError(`'${key}' is given by both the pipeline and the template it extends (line ${existing.key.at.line})`, entry.key.at);
    }
  }
  return mapping(entries, root.at);
}

function asList(node: PipelineNode): PipelineNode[] {
  if (node.kind === "sequence") return node.items;
  if (node.kind === "mapping") {
    return node.entries.map((entry) =>
      mapping(
        [
          { key: scalar("name", entry.key.at), value: entry.key },
          { key: scalar("value", entry.key.at), value: entry.value },
        ],
        entry.key.at,
      ),
    );
  }
  return [];
}

function mergeVariables(first: PipelineNode, second: PipelineNode): PipelineNode {
  return { kind: "sequence", items: [...asList(first), ...asList(second)], at: first.at };
}

export function compilePipeline(file: string, options: CompileOptions, planning: Omit<StepPlanning, "notices">): CompiledPipeline {
  const absolute = path.resolve(file);
  const expanded = expandPipeline(absolute, options);
  return { expanded, plan: planPipeline(expanded, absolute, planning) };
}
