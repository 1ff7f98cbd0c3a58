import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "./project";

/** Where the tasks' help links point: the README on GitHub. */
export const README_URL = "https://github.com/azureml-devops/azureml-devops-tasks";

/**
 * A heading's anchor as GitHub makes it (github-slugger): the heading's text without its markdown
 * (code spans, emphasis, links), lower-cased, every character but letters, digits, `_`, `-` and
 * spaces dropped, each space made a `-`; a repeated slug gets `-1`, `-2`… in order.
 */
export function headingAnchors(markdown: string): string[] {
  const seen = new Map<string, number>();
  const anchors: string[] = [];
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = !inFence && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1]
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/[`*]/g, "")
      .toLowerCase();
    const slug = text.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.push(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

export const readmeAnchors = (): string[] => headingAnchors(readFileSync(join(projectRoot, "README.md"), "utf8"));
