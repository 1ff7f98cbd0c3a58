export interface RequestLogEntry {
  time: string;
  target: "arm" | "identity" | "azureml" | "admin" | "inference" | "other";
  method: string;
  path: string;
  operationId?: string;
  status: number;
  principal?: string;
  fault?: string;
  durationMs: number;
}

const capacity = 20000;

/** What the emulator was asked, kept in memory for tests and benchmarks (call counts per operation). */
export class RequestLog {
  private readonly entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > capacity) this.entries.splice(0, this.entries.length - capacity);
  }

  list(): RequestLogEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries.length = 0;
  }
}
