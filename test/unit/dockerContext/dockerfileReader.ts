/** A Dockerfile as the tests read it back: each instruction once its line continuations are joined. */
export interface ReadDockerfile {
  from: string[];
  /** Every ENV, later ones overriding earlier ones, values unescaped as Docker reads them. */
  env: Record<string, string>;
  /** The last USER. */
  user?: string;
  expose: string[];
  healthcheck?: string;
  /** CMD in exec form, parsed. */
  cmd?: string[];
  instructions: { keyword: string; argument: string }[];
}

export function readDockerfile(text: string): ReadDockerfile {
  const logical: string[] = [];
  let pending: string[] = [];
  for (const line of text.split("\n")) {
    if (pending.length === 0 && (line.trim() === "" || line.trimStart().startsWith("#"))) continue;
    if (line.endsWith("\\")) {
      pending.push(line.slice(0, -1).trim());
      continue;
    }
    logical.push([...pending, line.trim()].join(" "));
    pending = [];
  }
  const read: ReadDockerfile = { from: [], env: {}, expose: [], instructions: [] };
  for (const line of logical) {
    const match = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(line);
    if (!match) throw new Error(`not an instruction: ${line}`);
    const keyword = match[1].toUpperCase();
    const argument = match[2].trim();
    read.instructions.push({ keyword, argument });
    if (keyword === "FROM") read.from.push(argument);
    if (keyword === "USER") read.user = argument;
    if (keyword === "EXPOSE") read.expose.push(argument);
    if (keyword === "HEALTHCHECK") read.healthcheck = argument;
    if (keyword === "CMD") read.cmd = JSON.parse(argument) as string[];
    if (keyword === "ENV") {
      const pairs = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
      let consumed = "";
      for (const pair of argument.matchAll(pairs)) {
        read.env[pair[1]] = pair[2].replace(/\\(.)/g, "$1");
        consumed += pair[0];
      }
      if (consumed.length === 0) throw new Error(`ENV without KEY="value" pairs: ${argument}`);
    }
  }
  return read;
}
