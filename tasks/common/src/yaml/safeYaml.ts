import { constructFromEvents, CORE_SCHEMA, Event, EVENT_ID, mergeTag, parseEvents, YAMLException } from "js-yaml";
import { LineIndex } from "../configuration/lineIndex";
import { InputError } from "../errors/inputError";

/*
 * The one YAML loader of the tasks: configuration files, compute clusters (inline and file), and
 * the job, model, endpoint and deployment files to come. YAML's anchors and aliases let a few
 * lines stand for a tree of billions of nodes ("billion laughs"); js-yaml shares an aliased
 * node instead of copying it, but everything that walks the result (conversion, merge, secret
 * scan, script arguments) copies it again. So the expanded size is measured on the event
 * stream, where it costs one pass, and a document that would blow up is refused before any
 * value is built.
 */

export interface YamlLimits {
  /** Characters of source. Files are held to the same size when read (see files/fileInputs.ts). */
  maxCharacters: number;
  /** Nesting of mappings and sequences, aliases followed. */
  maxDepth: number;
  /** Alias nodes (`*name`, including `<<: *name`) per document. */
  maxAliases: number;
  /** Nodes once every alias is replaced by what it points at. */
  maxExpandedNodes: number;
}

/*
 * Configuration and cluster files are written by hand: a few hundred lines, a dozen anchors,
 * a nesting of five or six. 1 MiB is thousands of times that and still parses in well under a
 * second; 64 levels leaves room for generated files (js-yaml's own default is 100, which the
 * recursive walks downstream would also survive); a million expanded nodes takes a fraction of
 * a second to copy, while a bomb's 9 levels of 9 aliases are 387 million.
 */
export const defaultYamlLimits: YamlLimits = {
  maxCharacters: 1024 * 1024,
  maxDepth: 64,
  maxAliases: 1000,
  maxExpandedNodes: 1_000_000,
};

/** How the YAML is named in errors: `The configuration file /x/c.yml`, `Input 'computeClusters'`. */
export interface YamlOrigin {
  name: string;
  /** A file reads `name:4 (column 2)`, an input `name line 4`. */
  positions: "file" | "input";
}

export interface LoadedYaml {
  source: string;
  /** The parser's events, for `locateDocuments` (lines for the secret scan). */
  events: Event[];
  /** One value per document, in order; `null` for an empty document. */
  documents: unknown[];
}

// `<<: *defaults` is common in configuration files; the core schema leaves it out by default.
const schema = CORE_SCHEMA.withTags(mergeTag);

function at(origin: YamlOrigin, line: number, column?: number): string {
  if (origin.positions === "file") return `${origin.name}:${line}${column === undefined ? "" : ` (column ${column})`}`;
  return `${origin.name} line ${line}`;
}

/**
 * Only the reason and the position: js-yaml's own message adds a snippet of the source, which
 * could print a secret the file should never have held.
 */
function syntaxError(origin: YamlOrigin, error: YAMLException, limits: YamlLimits): InputError {
  const where = error.mark ? at(origin, error.mark.line + 1, error.mark.column + 1) : origin.name;
  if (/^nesting exceeded maxDepth/.test(error.reason)) {
    return new InputError(`${where} is refused: it nests mappings and lists deeper than ${limits.maxDepth} levels.`);
  }
  return new InputError(`${where} is not valid YAML: ${error.reason}.`);
}

interface Measure {
  nodes: number;
  depth: number;
}

/**
 * Sizes every node as if its aliases were copied out, in one pass over the events: an anchor's
 * size is recorded once, and an alias adds that size instead of walking it again.
 */
class ExpansionCheck {
  private next = 0;
  /** Per anchor name, the size of its node; "open" while that node is still being read. */
  private anchors = new Map<string, Measure | "open">();
  private aliases = 0;

  constructor(
    private readonly source: string,
    private readonly events: Event[],
    private readonly limits: YamlLimits,
    private readonly origin: YamlOrigin,
  ) {}

  run(): void {
    while (this.next < this.events.length) {
      const event = this.events[this.next++];
      if (event.type !== EVENT_ID.DOCUMENT) continue;
      this.anchors = new Map();
      this.aliases = 0;
      this.node();
      this.next++; // the document's POP
    }
  }

  private node(): Measure {
    const event = this.events[this.next++];
    if (event.type === EVENT_ID.ALIAS) {
      if (++this.aliases > this.limits.maxAliases) {
        this.refuse(event.anchorStart, `it holds more than ${this.limits.maxAliases} aliases (*name)`);
      }
      const name = this.source.slice(event.anchorStart, event.anchorEnd);
      const target = this.anchors.get(name);
      // js-yaml would build a cycle, which every walk of the values downstream follows forever.
      if (target === "open") this.refuse(event.anchorStart, `the alias *${name} points into its own anchor &${name}, a loop`);
      return target ?? { nodes: 1, depth: 0 };
    }
    let measure: Measure = { nodes: 1, depth: 0 };
    if (event.type === EVENT_ID.SEQUENCE || event.type === EVENT_ID.MAPPING) {
      const anchor = event.anchorStart >= 0 ? this.source.slice(event.anchorStart, event.anchorEnd) : undefined;
      if (anchor !== undefined) this.anchors.set(anchor, "open");
      while (this.events[this.next].type !== EVENT_ID.POP) {
        const child = this.node();
        measure = { nodes: measure.nodes + child.nodes, depth: Math.max(measure.depth, child.depth + 1) };
        this.check(measure, event.start);
      }
      this.next++;
      if (anchor !== undefined) this.anchors.set(anchor, measure);
    } else if (event.type === EVENT_ID.SCALAR && event.anchorStart >= 0) {
      this.anchors.set(this.source.slice(event.anchorStart, event.anchorEnd), measure);
    }
    return measure;
  }

  private check(measure: Measure, offset: number): void {
    if (measure.nodes > this.limits.maxExpandedNodes) {
      this.refuse(
        offset,
        `its aliases (*name) expand to more than ${this.limits.maxExpandedNodes.toLocaleString("en-US")} values, ` +
          "the shape of a YAML bomb; write the values out or use fewer aliases",
      );
    }
    if (measure.depth > this.limits.maxDepth) {
      this.refuse(offset, `with its aliases (*name) followed, it nests deeper than ${this.limits.maxDepth} levels`);
    }
  }

  private refuse(offset: number, reason: string): never {
    throw new InputError(`${at(this.origin, new LineIndex(this.source).lineOf(offset))} is refused: ${reason}.`);
  }
}

function guarded<T>(origin: YamlOrigin, limits: YamlLimits, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof YAMLException) throw syntaxError(origin, error, limits);
    throw error;
  }
}

/**
 * Parses YAML with the YAML 1.2 core schema plus merge keys (`<<`), within `limits`. Every
 * document is returned; the caller decides how many it accepts.
 */
export function loadYaml(source: string, origin: YamlOrigin, limits: YamlLimits = defaultYamlLimits): LoadedYaml {
  if (source.length > limits.maxCharacters) {
    throw new InputError(
      `${origin.name} is ${source.length.toLocaleString("en-US")} characters long; the task reads YAML of at most ${limits.maxCharacters.toLocaleString("en-US")}.`,
    );
  }
  const events = guarded(origin, limits, () => parseEvents(source, { maxDepth: limits.maxDepth }));
  new ExpansionCheck(source, events, limits, origin).run();
  const documents = guarded(origin, limits, () => constructFromEvents(events, { source, schema, maxAliases: limits.maxAliases }));
  return { source, events, documents };
}
