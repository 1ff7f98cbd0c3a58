import * as fs from "node:fs";
import * as path from "node:path";

/*
 * Pipeline artifacts of a local run: a folder per artifact under the run's artifacts folder.
 * Publishing (PublishPipelineArtifact@1, `publish:`, ##vso[artifact.upload]) copies a file or a
 * folder there; downloading (DownloadPipelineArtifact@2, `download:`, the automatic download of
 * a deployment's deploy hook) copies it back out, filtered by minimatch-style patterns.
 */

export class ArtifactStore {
  constructor(readonly root: string) {}

  names(): string[] {
    return fs.existsSync(this.root) ? fs.readdirSync(this.root).sort() : [];
  }

  /** Copies `source` (a file or a folder) as the artifact `name`; a name is published once per run. */
  publish(name: string, source: string): string {
    if (!/^[^\\/:*?"<>|]+$/.test(name)) throw new Error(`'${name}' is not a valid artifact name.`);
    if (!fs.existsSync(source)) throw new Error(`the path '${source}' to publish as artifact '${name}' does not exist`);
    const target = path.join(this.root, name);
    if (fs.existsSync(target)) throw new Error(`an artifact named '${name}' was already published in this run`);
    fs.mkdirSync(target, { recursive: true });
    if (fs.statSync(source).isDirectory()) fs.cpSync(source, target, { recursive: true });
    else fs.copyFileSync(source, path.join(target, path.basename(source)));
    return target;
  }

  /** Copies one artifact's files matching `patterns` into `target`; the number of files copied. */
  download(name: string, target: string, patterns = "**"): number {
    const source = path.join(this.root, name);
    if (!fs.existsSync(source)) {
      const known = this.names();
      throw new Error(`no artifact named '${name}' was published in this run${known.length ? ` (there are: ${known.join(", ")})` : ""}`);
    }
    const matcher = patternMatcher(patterns);
    let copied = 0;
    for (const relative of filesUnder(source)) {
      if (!matcher(relative)) continue;
      const destination = path.join(target, relative);
      fs.mkdirSync(path.dirname(destination), { recursive: true });
      fs.copyFileSync(path.join(source, relative), destination);
      copied++;
    }
    return copied;
  }
}

function filesUnder(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"));
}

function globToRegExp(glob: string): RegExp {
  let pattern = "";
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index];
    if (char === "*" && glob[index + 1] === "*") {
      const slashAfter = glob[index + 2] === "/";
      pattern += slashAfter ? "(?:.*/)?" : ".*";
      index += slashAfter ? 2 : 1;
    } else if (char === "*") {
      pattern += "[^/]*";
    } else if (char === "?") {
      pattern += "[^/]";
    } else {
      pattern += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${pattern}$`);
}

/** Patterns one per line (or comma-separated); `!` excludes; the last matching pattern decides. */
export function patternMatcher(patterns: string): (relativePath: string) => boolean {
  const rules = patterns
    .split(/\r?\n|,/)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => ({ exclude: line.startsWith("!"), test: globToRegExp(line.replace(/^!/, "")) }));
  return (relativePath) => {
    let included = false;
    for (const rule of rules) if (rule.test.test(relativePath)) included = !rule.exclude;
    return included;
  };
}
