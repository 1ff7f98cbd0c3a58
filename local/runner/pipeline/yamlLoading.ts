import * as fs from "node:fs";
import { EVENT_ID } from "js-yaml";
import { LocatedNode, locateDocuments } from "../../../tasks/common/src/configuration/locatedYaml";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { LineIndex } from "../../../tasks/common/src/configuration/lineIndex";
import { loadYaml } from "../../../tasks/common/src/yaml/safeYaml";
import { displayPath, PipelineError, Where } from "./pipelineError";
import { mapping, PipelineNode, scalar, sequence } from "./yamlNodes";

/** How a file is named in messages: relative to the current folder when it is below it. */

function toNode(node: LocatedNode, file: string): PipelineNode {
  const at: Where = { file, line: node.line };
  switch (node.kind) {
    case "scalar":
      // Azure Pipelines reads every scalar as text; only an empty value or `~`/`null` is null.
      return scalar(node.type === "null" ? null : node.text, at);
    case "sequence":
      return sequence(
        node.items.map((item) => toNode(item, file)),
        at,
      );
    case "mapping":
      return mapping(
        node.entries.map((entry) => {
          const key = toNode(entry.key, file);
          if (key.kind !== "scalar") throw new PipelineError("a mapping key must be a plain value, not a mapping or a sequence", key.at);
          return { key: { ...key, value: key.value ?? "" }, value: toNode(entry.value, file) };
        }),
        at,
      );
    case "alias":
      throw new PipelineError("YAML aliases (*name) are not supported by Azure Pipelines", at);
  }
}

/**
 * Reads one pipeline or template file with the project's safe YAML loader (size, depth and
 * alias limits) and keeps a line on every node. Azure Pipelines refuses anchors and aliases,
 * and so does this; a file holds exactly one document.
 */
export function loadPipelineYaml(file: string): PipelineNode {
  let source: string;
  try {
    source = fs.readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : `cannot be read (${(error as Error).message})`;
    throw new PipelineError(`The file ${displayPath(file)} ${reason}.`);
  }
  return parsePipelineYaml(source, file);
}

/** As `loadPipelineYaml`, from text already read; `file` is the absolute path it stands for. */
export function parsePipelineYaml(source: string, file: string): PipelineNode {
  const name = displayPath(file);
  let loaded;
  try {
    loaded = loadYaml(source, { name, positions: "file" });
  } catch (error) {
    if (error instanceof InputError) throw new PipelineError(error.message);
    throw error;
  }
  const lines = new LineIndex(source);
  for (const event of loaded.events) {
    if ((event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE || event.type === EVENT_ID.SCALAR) && event.anchorStart >= 0) {
      throw new PipelineError("YAML anchors (&name) are not supported by Azure Pipelines", { file, line: lines.lineOf(event.anchorStart) });
    }
  }
  const documents = locateDocuments(source, loaded.events);
  if (documents.length > 1) throw new PipelineError(`${name} holds ${documents.length} YAML documents; a pipeline file holds one.`);
  const content = documents[0];
  if (!content || (content.kind === "scalar" && content.type === "null")) throw new PipelineError(`${name} is empty.`);
  return toNode(content, file);
}
