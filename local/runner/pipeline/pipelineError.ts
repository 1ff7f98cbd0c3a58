import * as path from "node:path";

/** Where a construct comes from: the YAML file (absolute) and the 1-based line. */
export interface Where {
  file: string;
  line: number;
}

/** How a file is named in messages: relative to the current folder when it is below it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

export function describeWhere(where: Where): string {
  return `${displayPath(where.file)}:${where.line}`;
}

/**
 * A mistake in the pipeline (or in what the command line gave it) found while reading,
 * expanding or planning it: the message names the construct, and the file and line lead it.
 */
export class PipelineError extends Error {
  override readonly name = "PipelineError";

  constructor(
    readonly reason: string,
    readonly where?: Where,
  ) {
    super(where ? `${describeWhere(where)}: ${reason}` : reason);
  }
}
