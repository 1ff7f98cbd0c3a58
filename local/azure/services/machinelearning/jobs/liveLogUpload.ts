/**
 * Copies a running job's log to the artifact store while it grows, as Azure ML's compute does:
 * azure-ai-ml's `job stream` reads `user_logs/` there when a job's `default` output is a
 * uri_folder. At most one upload runs at a time, at most one every `intervalMs`; `stop()` waits
 * for the one in flight, so none outlives the job (or the local Azure).
 */
export class LiveLogUpload {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly upload: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The log grew: upload it soon. */
  poke(): void {
    if (this.stopped || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      if (this.running) {
        void this.running.then(() => this.poke());
        return;
      }
      this.running = this.upload()
        .catch((error: unknown) => this.onError(error))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
