import * as fs from "node:fs";
import * as path from "node:path";
import { InputError } from "../../../common/src/errors/inputError";
import { quoted } from "../../../common/src/text/printable";

/*
 * The folder the context is written to. The task may run again on the same agent folder (a
 * re-run, a second deployment), so a context it wrote before is replaced; any other non-empty
 * folder is refused rather than emptied, since it may hold someone's work.
 */

/** Left in every context this task writes; its presence is what allows replacing the folder. */
export const markerFile = ".azureml-docker-context.json";

export interface ContextMarker {
  writtenBy: "AzureMLDeploy";
  deployment: string;
  endpoint: string;
  model: string;
}

/** Makes `folder` an empty folder to write into: created when absent, emptied when it holds a context written before. */
export function prepareContextFolder(folder: string): void {
  const where = `Input 'contextPath' names ${quoted(folder)}`;
  let stats: fs.Stats | undefined;
  try {
    stats = fs.statSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw new InputError(`${where}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
  if (stats === undefined) {
    fs.mkdirSync(folder, { recursive: true });
    return;
  }
  if (!stats.isDirectory()) throw new InputError(`${where}, which is a file; give a folder for the Docker build context.`);
  const entries = fs.readdirSync(folder);
  if (entries.length === 0) return;
  if (!entries.includes(markerFile)) {
    throw new InputError(
      `${where}, which is not empty and is not a Docker context this task wrote (it has no ${markerFile}); give an empty or new folder, so that nothing in it is overwritten.`,
    );
  }
  for (const entry of entries) fs.rmSync(path.join(folder, entry), { recursive: true, force: true });
}

export function writeMarker(folder: string, marker: ContextMarker): void {
  fs.writeFileSync(path.join(folder, markerFile), `${JSON.stringify(marker, null, 2)}\n`);
}
