import { directiveOf, Directive, expandScalar } from "./compileTimeExpressions";
import { evaluateExpression, ExpressionContext } from "./expressions/evaluateExpression";
import { ExpressionValue, toBoolean } from "./expressions/expressionValues";
import { bindParameters, givenParameters, readParameterDeclarations } from "./parameters";
import { displayPath, PipelineError, Where } from "./pipelineError";
import { counterRefusal, statusFunctionRefusals } from "./statusFunctions";
import { TemplateFiles, TemplateSlot } from "./templates";
import {
  entryOf,
  isMapping,
  isSequence,
  keyText,
  mapping,
  MappingEntry,
  MappingNode,
  PipelineNode,
  scalar,
  scalarText,
  sequence,
  SequenceNode,
  valueOf,
} from "./yamlNodes";

/*
 * Compile time: template references replaced by what the templates hold, `${{ }}` evaluated in
 * keys and values, and the directives `if`/`elseif`/`else`, `each` and `insert` applied, in
 * sequences and in mappings, as Azure Pipelines does before a run starts:
 * https://learn.microsoft.com/azure/devops/pipelines/process/template-expressions
 * The context is `parameters` (of the pipeline or of the template) and the `variables` defined
 * in YAML so far (pipeline, then stage, then job) plus the predefined ones; never values set at
 * run time.
 */

interface Scope {
  parameters: MappingNode;
  /** Compile-time variables by lower-case name. */
  variables: Map<string, { name: string; value: string }>;
  /** Loop variables of `each`. */
  locals: Map<string, ExpressionValue>;
  /** How many templates deep this is. */
  depth: number;
}

const slotKeys = new Set<string>(["stages", "jobs", "steps", "variables"]);
const malformedDirective = /^\s*\$\{\{\s*(if|elseif|else|each|insert)\b/;

type Chain = "none" | "unmatched" | "matched";

interface Applied<T> {
  chain: Chain;
  results: T[];
}

export class TemplateExpander {
  constructor(private readonly files: TemplateFiles) {}

  /** A scope for a pipeline's root: its bound parameters and the predefined variables. */
  rootScope(parameters: MappingNode, predefined: Record<string, string>): Scope {
    const variables = new Map(Object.entries(predefined).map(([name, value]) => [name.toLowerCase(), { name, value }]));
    return { parameters, variables, locals: new Map(), depth: 0 };
  }

  context(scope: Scope, at: Where): ExpressionContext {
    const variables = mapping(
      [...scope.variables.values()].map(({ name, value }) => ({ key: scalar(name, at), value: scalar(value, at) })),
      at,
    );
    const named = new Map<string, ExpressionValue>([
      ["parameters", scope.parameters],
      ["variables", variables],
    ]);
    for (const [name, value] of scope.locals) named.set(name, value);
    const where = "in a template expression (${{ }})";
    return { at, named, refused: { ...statusFunctionRefusals(where), ...counterRefusal(where) } };
  }

  expand(node: PipelineNode, scope: Scope, slot?: TemplateSlot): PipelineNode {
    if (node.kind === "scalar") return expandScalar(node, this.context(scope, node.at));
    if (node.kind === "sequence") return this.expandSequence(node, scope, slot);
    return this.expandMapping(node, scope);
  }

  expandMapping(node: MappingNode, scope: Scope): MappingNode {
    // Variables defined here are visible to the rest of the mapping (a stage's jobs, a job's steps).
    let inner = scope;
    let expandedVariables: PipelineNode | undefined;
    const variablesEntry = entryOf(node, "variables");
    if (variablesEntry && variablesEntry.value.kind !== "scalar") {
      expandedVariables = this.expand(variablesEntry.value, scope, "variables");
      inner = { ...scope, variables: new Map(scope.variables) };
      for (const [name, value] of staticVariables(expandedVariables)) inner.variables.set(name.toLowerCase(), { name, value });
    }

    const entries: MappingEntry[] = [];
    const add = (entry: MappingEntry) => {
      const key = keyText(entry);
      const earlier = entries.find((existing) => keyText(existing) === key);
      if (earlier)
        throw new PipelineError(
          `'${key}' is given twice in this mapping (first at line ${earlier.key.at.line} of ${displayPath(earlier.key.at.file)})`,
          entry.key.at,
        );
      entries.push(entry);
    };
    let chain: Chain = "none";
    for (const entry of node.entries) {
      const key = keyText(entry);
      const directive = this.directive(key, entry.key.at);
      if (!directive) {
        chain = "none";
        if (entry === variablesEntry && expandedVariables) {
          add({ key: entry.key, value: expandedVariables });
          continue;
        }
        const expandedKey = expandScalar(entry.key, this.context(inner, entry.key.at));
        if (expandedKey.kind !== "scalar") throw new PipelineError(`the key '${key}' must expand to a plain value, not a ${expandedKey.kind}`, entry.key.at);
        const keyNode = scalar(scalarText(expandedKey.value), entry.key.at);
        add({ key: keyNode, value: this.expand(entry.value, inner, slotOf(keyNode.value as string)) });
        continue;
      }
      const taken: Applied<MappingEntry> = this.applyDirective(directive, chain, entry, inner, (chosenScope) => {
        if (!isMapping(entry.value)) {
          throw new PipelineError(`in a mapping, '${key}' must hold a mapping of keys to insert, not a ${entry.value.kind}`, entry.value.at);
        }
        return this.expandMapping(entry.value, chosenScope).entries;
      });
      chain = taken.chain;
      taken.results.forEach(add);
    }
    return mapping(entries, node.at);
  }

  expandSequence(node: SequenceNode, scope: Scope, slot?: TemplateSlot): SequenceNode {
    const items: PipelineNode[] = [];
    let chain: Chain = "none";
    for (const item of node.items) {
      const single = isMapping(item) && item.entries.length === 1 ? item.entries[0] : undefined;
      const directive = single ? this.directive(keyText(single), single.key.at) : undefined;
      if (single && directive && !isMapping(single.value)) {
        const taken: Applied<PipelineNode> = this.applyDirective(directive, chain, single, scope, (chosenScope) => {
          if (single.value.kind === "scalar" && single.value.value === null) return [];
          if (!isSequence(single.value)) {
            throw new PipelineError(`in a list, '${keyText(single)}' must hold a list of items to insert, not a ${single.value.kind}`, single.value.at);
          }
          return this.expandSequence(single.value, chosenScope, slot).items;
        });
        chain = taken.chain;
        items.push(...taken.results);
        continue;
      }
      chain = "none";
      if (slot && slot !== "extends" && isMapping(item) && entryOf(item, "template")) {
        items.push(...this.includeTemplate(item, scope, slot));
        continue;
      }
      const expanded = this.expand(item, scope, slot);
      // A whole-expression item that is a list (a stepList parameter) is inserted item by item.
      if (item.kind === "scalar" && expanded.kind === "sequence") items.push(...expanded.items);
      else if (!(isMapping(item) && isMapping(expanded) && expanded.entries.length === 0 && item.entries.length > 0)) items.push(expanded);
    }
    return sequence(items, node.at);
  }

  /** `extends: { template, parameters }`: the template's stages/jobs/steps/variables and the rest it holds. */
  expandExtends(reference: PipelineNode, scope: Scope): MappingNode {
    if (!isMapping(reference) || !entryOf(reference, "template"))
      throw new PipelineError("'extends' must hold 'template' (and its 'parameters')", reference.at);
    return this.loadAndExpand(reference, scope, "extends");
  }

  private includeTemplate(reference: MappingNode, scope: Scope, slot: Exclude<TemplateSlot, "extends">): PipelineNode[] {
    const body = this.loadAndExpand(reference, scope, slot);
    const content = valueOf(body, slot);
    if (!content || (content.kind === "scalar" && content.value === null)) return [];
    if (slot === "variables" && isMapping(content)) {
      // A variables template in the mapping form still inserts into a list.
      return content.entries.map((entry) =>
        mapping(
          [
            { key: scalar("name", entry.key.at), value: entry.key },
            { key: scalar("value", entry.key.at), value: entry.value },
          ],
          entry.key.at,
        ),
      );
    }
    if (!isSequence(content)) throw new PipelineError(`the template's '${slot}' must be a list`, content.at);
    return content.items;
  }

  private loadAndExpand(reference: MappingNode, scope: Scope, slot: TemplateSlot): MappingNode {
    for (const entry of reference.entries) {
      const key = keyText(entry);
      if (key !== "template" && key !== "parameters") {
        throw new PipelineError(`a template reference takes only 'template' and 'parameters', not '${key}'`, entry.key.at);
      }
    }
    const pathNode = entryOf(reference, "template")?.value;
    if (!pathNode) throw new PipelineError("the template reference names no file", reference.at);
    const expandedPath = this.expand(pathNode, scope);
    if (expandedPath.kind !== "scalar") throw new PipelineError("'template' must name a file", pathNode.at);
    const file = this.files.resolve(scalarText(expandedPath.value), pathNode.at);
    const template = this.files.load(file, slot, pathNode.at, scope.depth + 1);
    const declarations = readParameterDeclarations(template.parameters, true);
    const given = givenParameters(reference);
    const expandedGiven = given ? this.expandMapping(given, scope) : undefined;
    const parameters = bindParameters(declarations, expandedGiven, reference.at, `the template ${displayPath(file)}`);
    const inner: Scope = { parameters, variables: scope.variables, locals: new Map(), depth: scope.depth + 1 };
    return this.expandMapping(template.body, inner);
  }

  private directive(key: string, at: Where): Directive | undefined {
    const directive = directiveOf(key);
    if (!directive && malformedDirective.test(key)) {
      throw new PipelineError(
        `'${key}' is not a valid directive: write \${{ if cond }}, \${{ elseif cond }}, \${{ else }}, \${{ each x in collection }} or \${{ insert }}`,
        at,
      );
    }
    return directive;
  }

  /** Applies one directive: which branch of an if-chain runs, how often an `each` body runs. */
  private applyDirective<T>(directive: Directive, chain: Chain, entry: MappingEntry, scope: Scope, body: (scope: Scope) => T[]): Applied<T> {
    const at = entry.key.at;
    const test = (condition: string) => toBoolean(evaluateExpression(condition, this.context(scope, at), "the condition of ${{ if }}"));
    switch (directive.kind) {
      case "if":
        return test(directive.condition) ? { chain: "matched", results: body(scope) } : { chain: "unmatched", results: [] };
      case "elseif":
        if (chain === "none") throw new PipelineError("'${{ elseif }}' must follow '${{ if }}' or another '${{ elseif }}'", at);
        if (chain === "matched") return { chain, results: [] };
        return test(directive.condition) ? { chain: "matched", results: body(scope) } : { chain: "unmatched", results: [] };
      case "else":
        if (chain === "none") throw new PipelineError("'${{ else }}' must follow '${{ if }}' or '${{ elseif }}'", at);
        return { chain: "none", results: chain === "unmatched" ? body(scope) : [] };
      case "insert":
        return { chain: "none", results: body(scope) };
      case "each": {
        const collection = evaluateExpression(directive.collection, this.context(scope, at), "the collection of ${{ each }}");
        const results: T[] = [];
        for (const element of elementsOf(collection, directive.collection, at)) {
          const locals = new Map(scope.locals);
          locals.set(directive.variable.toLowerCase(), element);
          results.push(...body({ ...scope, locals }));
        }
        return { chain: "none", results };
      }
    }
  }
}

function elementsOf(collection: ExpressionValue, text: string, at: Where): ExpressionValue[] {
  switch (collection.kind) {
    case "sequence":
    case "filtered":
      return collection.items;
    case "mapping":
      // Over a mapping, each element is a pair with `key` and `value`.
      return collection.entries.map((entry) =>
        mapping(
          [
            { key: scalar("key", entry.key.at), value: entry.key },
            { key: scalar("value", entry.key.at), value: entry.value },
          ],
          entry.key.at,
        ),
      );
    case "scalar":
      if (collection.value === null) return [];
      throw new PipelineError(`\${{ each }} needs a list or a mapping; '${text.trim()}' is a ${typeof collection.value}`, at);
    default:
      throw new PipelineError(`\${{ each }} needs a list or a mapping; '${text.trim()}' is a ${collection.kind}`, at);
  }
}

function slotOf(key: string): TemplateSlot | undefined {
  return slotKeys.has(key) ? (key as TemplateSlot) : undefined;
}

/** The variables a `variables:` value defines with a literal value (groups are only known at run time). */
export function staticVariables(node: PipelineNode): Array<[string, string]> {
  if (isMapping(node)) {
    return node.entries.flatMap((entry): Array<[string, string]> => (entry.value.kind === "scalar" ? [[keyText(entry), scalarText(entry.value.value)]] : []));
  }
  if (!isSequence(node)) return [];
  const found: Array<[string, string]> = [];
  for (const item of node.items) {
    if (!isMapping(item)) continue;
    const name = valueOf(item, "name");
    const value = valueOf(item, "value");
    if (name?.kind === "scalar" && (!value || value.kind === "scalar")) found.push([scalarText(name.value), value ? scalarText(value.value) : ""]);
  }
  return found;
}
