import * as fs from "node:fs";
import { request } from "node:https";
import * as path from "node:path";

export interface ScoringResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface ScoringOptions {
  method?: string;
  body?: string;
  /** Sent as `Authorization: Bearer <credential>`. */
  credential?: string;
  headers?: Record<string, string>;
}

/** One request to a scoring URI over HTTPS, trusting the local Azure's CA, as a client of the endpoint would send it. */
export function scoringRequest(uri: string, caPath: string, options: ScoringOptions = {}): Promise<ScoringResponse> {
  const headers: Record<string, string> = { "Content-Type": "application/json", ...(options.headers ?? {}) };
  if (options.credential !== undefined) headers.Authorization = `Bearer ${options.credential}`;
  return new Promise((resolve, reject) => {
    const outgoing = request(uri, { method: options.method ?? "POST", headers, ca: fs.readFileSync(caPath, "utf8"), agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
        resolve({ status: response.statusCode ?? 0, headers: flat, text, json });
      });
      response.on("error", reject);
    });
    outgoing.on("error", reject);
    outgoing.end(options.body);
  });
}

/** The process groups whose processes work in a folder under `folder` (deployments' processes run in their own folders). */
export function processGroupsWorkingUnder(folder: string): number[] {
  const groups = new Set<number>();
  const prefix = path.resolve(folder) + path.sep;
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${entry}/cwd`);
      if (!(cwd + path.sep).startsWith(prefix)) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[0] !== "Z") groups.add(Number(fields[2]));
    } catch {
      // gone while we looked, or not ours to read
    }
  }
  return [...groups];
}
