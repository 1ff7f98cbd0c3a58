import { ChildProcess, fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { findFreePort } from "../../../local/azure/storage/freePort";

/**
 * A bare Azurite blob service for upload tests: loopback, plain HTTP, its own account with a key
 * made up for this run, data in a temporary folder. Started through the local Azure's own child
 * entry point, so it also dies if the test process dies.
 */
export class LocalAzurite {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dataDir: string,
    readonly url: string,
    readonly accountName: string,
    readonly accountKey: string,
  ) {}

  static async start(): Promise<LocalAzurite> {
    const port = await findFreePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "upload-azurite-"));
    const accountName = "uploadtest";
    const accountKey = randomBytes(64).toString("base64");
    const entry = path.join(__dirname, "../../../local/azure/storage/azuriteChild.js");
    const args = ["--blobHost", "127.0.0.1", "--blobPort", String(port), "--location", dataDir, "--disableTelemetry", "--skipApiVersionCheck", "--loose"];
    const environment: NodeJS.ProcessEnv = { ...process.env, AZURITE_ACCOUNTS: `${accountName}:${accountKey}` };
    delete environment.NODE_OPTIONS;
    const child = fork(entry, args, { env: environment, stdio: ["ignore", "pipe", "pipe", "ipc"] });
    await new Promise<void>((resolve, reject) => {
      let output = "";
      const timer = setTimeout(() => reject(new Error(`Azurite did not start: ${output}`)), 30000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("successfully listens on")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`Azurite exited (${code}) before listening: ${output}`));
      });
    });
    return new LocalAzurite(child, dataDir, `http://127.0.0.1:${port}/${accountName}`, accountName, accountKey);
  }

  serviceClient(): BlobServiceClient {
    return new BlobServiceClient(this.url, new StorageSharedKeyCredential(this.accountName, this.accountKey));
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      });
    }
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
