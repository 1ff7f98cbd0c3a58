import { EVENT_ID, Event, getScalarValue, SCALAR_STYLE, ScalarEvent } from "js-yaml";
import { LineIndex } from "./lineIndex";

/*
 * js-yaml builds values without positions, but its event stream carries source offsets. This
 * file rebuilds the document's shape from the same events with a line on every node, so that
 * a finding can point at the exact line of a nested key or a list item.
 */

/** How YAML resolves a scalar; only the distinctions the secret scan needs. */
export type ScalarType = "boolean" | "null" | "text";

export interface LocatedScalar {
  kind: "scalar";
  line: number;
  /** The decoded text (quotes, escapes and block indentation removed). */
  text: string;
  type: ScalarType;
}

export interface LocatedSequence {
  kind: "sequence";
  line: number;
  items: LocatedNode[];
}

export interface LocatedEntry {
  key: LocatedNode;
  value: LocatedNode;
}

export interface LocatedMapping {
  kind: "mapping";
  line: number;
  entries: LocatedEntry[];
}

/** `*name`: its content is located (and scanned) where the anchor `&name` defines it. */
export interface LocatedAlias {
  kind: "alias";
  line: number;
}

export type LocatedNode = LocatedScalar | LocatedSequence | LocatedMapping | LocatedAlias;

// YAML 1.2 core schema forms, which is the schema the loader uses.
const corePlainNull = /^(?:~|null|Null|NULL|)$/;
const corePlainBoolean = /^(?:true|True|TRUE|false|False|FALSE)$/;

function scalarType(source: string, event: ScalarEvent, text: string): ScalarType {
  if (event.tagStart >= 0) {
    const tag = source.slice(event.tagStart, event.tagEnd);
    if (/bool>?$/.test(tag)) return "boolean";
    if (/null>?$/.test(tag)) return "null";
    return "text";
  }
  if (event.style !== SCALAR_STYLE.PLAIN) return "text";
  if (corePlainNull.test(text)) return "null";
  if (corePlainBoolean.test(text)) return "boolean";
  return "text";
}

class Locator {
  private next = 0;
  private readonly lines: LineIndex;

  constructor(
    private readonly source: string,
    private readonly events: Event[],
  ) {
    this.lines = new LineIndex(source);
  }

  /** The content node of the document starting at `events[documentIndex]`. */
  documentContent(documentIndex: number): LocatedNode {
    this.next = documentIndex + 1;
    return this.node(1);
  }

  /** `fallbackLine` is for empty scalars (`key:` with nothing after it), which have no offset. */
  private node(fallbackLine: number): LocatedNode {
    const event = this.events[this.next++];
    switch (event.type) {
      case EVENT_ID.SCALAR: {
        const text = event.valueStart < 0 ? "" : getScalarValue(this.source, event);
        const line = event.valueStart < 0 ? fallbackLine : this.lines.lineOf(this.contentStart(event));
        return { kind: "scalar", line, text, type: scalarType(this.source, event, text) };
      }
      case EVENT_ID.ALIAS:
        return { kind: "alias", line: this.lines.lineOf(event.anchorStart) };
      case EVENT_ID.SEQUENCE: {
        const line = this.lines.lineOf(event.start);
        const items: LocatedNode[] = [];
        while (!this.atPop()) items.push(this.node(line));
        this.next++;
        return { kind: "sequence", line, items };
      }
      case EVENT_ID.MAPPING: {
        const line = this.lines.lineOf(event.start);
        const entries: LocatedEntry[] = [];
        while (!this.atPop()) {
          const key = this.node(line);
          entries.push({ key, value: this.node(key.line) });
        }
        this.next++;
        return { kind: "mapping", line, entries };
      }
      default:
        throw new Error(`Unexpected YAML event ${event.type} at index ${this.next - 1}.`);
    }
  }

  /** A block scalar's range starts right after its `|` or `>` line, blank lines included. */
  private contentStart(event: ScalarEvent): number {
    let offset = event.valueStart;
    while (offset < event.valueEnd && /\s/.test(this.source[offset])) offset++;
    return offset < event.valueEnd ? offset : event.valueStart;
  }

  private atPop(): boolean {
    return this.events[this.next].type === EVENT_ID.POP;
  }
}

/** The located content of every document in the event stream, in order. */
export function locateDocuments(source: string, events: Event[]): LocatedNode[] {
  const locator = new Locator(source, events);
  const documents: LocatedNode[] = [];
  events.forEach((event, index) => {
    if (event.type === EVENT_ID.DOCUMENT) documents.push(locator.documentContent(index));
  });
  return documents;
}
