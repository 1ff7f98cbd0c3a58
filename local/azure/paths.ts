import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** The repository root: the nearest folder above this file that holds package.json (works from local/ and from out/local/). */
export function repositoryRoot(): string {
  let folder = __dirname;
  while (!existsSync(join(folder, "package.json"))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`No package.json above ${__dirname}`);
    folder = parent;
  }
  return folder;
}

/** The preload that resolves *.localhost to loopback; it ships as plain CommonJS next to the sources. */
export function localhostResolverPath(): string {
  return join(repositoryRoot(), "local", "azure", "resolveLocalhost.cjs");
}
