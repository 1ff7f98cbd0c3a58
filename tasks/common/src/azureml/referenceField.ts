import * as fs from "node:fs";
import { quoted } from "../text/printable";
import { AzureMLReference, describeReferenceKind, parseReference, ReferenceKind, ReferenceSyntaxError } from "./references";
import { YamlField } from "./yamlFields";

/** What a local path must be where it is written. */
export type LocalPathExpectation = "folder" | "file" | "file or folder";

/**
 * The reference a field holds, of one of the `accepted` kinds; a local path must exist (a
 * job's code and inputs are uploaded at submission, so a missing one fails before any Azure call).
 */
export function readReference(
  field: YamlField,
  folder: string,
  accepted: readonly ReferenceKind[],
  local: LocalPathExpectation = "file or folder",
): AzureMLReference {
  const text = field.nonEmptyText();
  let reference: AzureMLReference;
  try {
    reference = parseReference(text, folder);
  } catch (error) {
    if (error instanceof ReferenceSyntaxError) throw field.error(`${error.message}.`);
    throw error;
  }
  if (!accepted.includes(reference.kind)) {
    throw field.error(`is ${describeReferenceKind(reference.kind)}, which is not accepted here; give ${accepted.map(describeReferenceKind).join(", or ")}.`);
  }
  if (reference.kind === "localPath") checkLocalPath(field, reference.path, local);
  return reference;
}

function checkLocalPath(field: YamlField, absolute: string, expected: LocalPathExpectation): void {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(absolute);
  } catch {
    throw field.error(`names the local path ${quoted(absolute)}, which does not exist (relative paths start from the YAML file's folder).`);
  }
  if (expected === "folder" && !stats.isDirectory()) throw field.error(`names ${quoted(absolute)}, which is not a folder.`);
  if (expected === "file" && !stats.isFile()) throw field.error(`names ${quoted(absolute)}, which is not a file.`);
  if (expected === "file or folder" && !stats.isFile() && !stats.isDirectory()) {
    throw field.error(`names ${quoted(absolute)}, which is neither a file nor a folder.`);
  }
}
