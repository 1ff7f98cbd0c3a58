import * as fs from "node:fs";
import * as path from "node:path";

/**
 * A container's log as a file that never grows past `maxBytes`: past it, the older half is
 * dropped (from a line start), as a container runtime rotates what it keeps. It outlives the
 * process that wrote it (GetLogs of a failed deployment, after a restart too).
 */
export class BoundedLogFile {
  private size: number;

  constructor(
    readonly file: string,
    private readonly maxBytes = 1024 * 1024,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  }

  append(text: string): void {
    if (text === "") return;
    fs.appendFileSync(this.file, text);
    this.size += Buffer.byteLength(text);
    if (this.size > this.maxBytes) this.dropOlderHalf();
  }

  /** The whole log, or its last `lines` lines. */
  read(lines?: number): string {
    const text = fs.existsSync(this.file) ? fs.readFileSync(this.file, "utf8") : "";
    if (lines === undefined) return text;
    if (lines <= 0) return "";
    const all = text.endsWith("\n") ? text.slice(0, -1).split("\n") : text.split("\n");
    const kept = all.slice(-lines).join("\n");
    return text.endsWith("\n") && kept !== "" ? `${kept}\n` : kept;
  }

  private dropOlderHalf(): void {
    const content = fs.readFileSync(this.file);
    let start = content.length - Math.floor(this.maxBytes / 2);
    const newline = content.indexOf(0x0a, start);
    start = newline >= 0 ? newline + 1 : start;
    const kept = content.subarray(start);
    fs.writeFileSync(this.file, kept);
    this.size = kept.length;
  }
}
