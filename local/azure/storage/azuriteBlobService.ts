import { ChildProcess, fork } from "node:child_process";
import { createWriteStream, mkdirSync, WriteStream } from "node:fs";
import { Agent, request } from "node:https";
import { join } from "node:path";
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  ContainerClient,
  generateAccountSASQueryParameters,
  StoragePipelineOptions,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import type { PipelineOptions } from "@azure/core-rest-pipeline";
import { Logger } from "../logging";
import { StorageBackend } from "./storageBackend";
import { readJsonIfExists, writeJsonAtomic } from "../state/atomicFile";
import { findFreePort, isPortFree } from "./freePort";

export interface AzuriteSettings {
  stateDir: string;
  certPath: string;
  keyPath: string;
  caCertPem: string;
  /** account name → its keys (base64) */
  accounts: Map<string, readonly string[]>;
  log: Logger;
}

const startTimeoutMs = 30000;
const stopTimeoutMs = 5000;

/**
 * Azurite's blob service in a child process, on loopback, over HTTPS with our certificate.
 * Azurite reads AZURITE_ACCOUNTS when it starts (and re-reads only its own environment), so a
 * new storage account means a restart; its data lives on disk and survives.
 */
export class AzuriteBlobService implements StorageBackend {
  readonly protocol = "https" as const;
  private child: ChildProcess | undefined;
  private logStream: WriteStream;
  private restartChain: Promise<void> = Promise.resolve();
  private stopping = false;
  private agent: Agent | undefined;

  private constructor(
    private readonly settings: AzuriteSettings,
    readonly port: number,
  ) {
    mkdirSync(join(settings.stateDir, "logs"), { recursive: true });
    this.logStream = createWriteStream(join(settings.stateDir, "logs", "azurite.log"), { flags: "a" });
  }

  /** Reuses the port of the previous run when it is free, so stored endpoints stay valid. */
  static async start(settings: AzuriteSettings): Promise<{ service: AzuriteBlobService; previousPort: number | undefined }> {
    const portFile = join(settings.stateDir, "storage", "azurite.json");
    const previousPort = readJsonIfExists<{ port: number }>(portFile)?.port;
    const port = previousPort !== undefined && (await isPortFree(previousPort)) ? previousPort : await findFreePort();
    writeJsonAtomic(portFile, { port });
    const service = new AzuriteBlobService(settings, port);
    await service.launch();
    return { service, previousPort };
  }

  get endpointSuffix(): string {
    return `localhost:${this.port}`;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  private accountsVariable(): string {
    return [...this.settings.accounts.entries()].map(([name, keys]) => [name, ...keys].join(":")).join(";");
  }

  private launch(): Promise<void> {
    const dataDir = join(this.settings.stateDir, "azurite");
    mkdirSync(dataDir, { recursive: true });
    const args = [
      "--blobHost",
      "127.0.0.1",
      "--blobPort",
      String(this.port),
      "--location",
      dataDir,
      "--cert",
      this.settings.certPath,
      "--key",
      this.settings.keyPath,
      "--disableTelemetry",
      "--skipApiVersionCheck",
      "--loose",
    ];
    const environment: NodeJS.ProcessEnv = { ...process.env };
    const accounts = this.accountsVariable();
    if (accounts) environment.AZURITE_ACCOUNTS = accounts;
    else delete environment.AZURITE_ACCOUNTS;
    // Our own preload and CA settings are for clients, not for Azurite.
    delete environment.NODE_OPTIONS;
    const child = fork(join(__dirname, "azuriteChild.js"), args, { env: environment, stdio: ["ignore", "pipe", "pipe", "ipc"] });
    this.child = child;
    return new Promise((resolve, reject) => {
      let output = "";
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`Azurite did not start within ${startTimeoutMs} ms:\n${output}`));
      }, startTimeoutMs);
      const onData = (chunk: Buffer) => {
        const text = chunk.toString();
        this.logStream.write(text);
        if (output.length < 20000) output += text;
        if (output.includes("successfully listens on")) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        if (!this.stopping && this.child === child) this.settings.log("error", `Azurite exited unexpectedly (code ${code}, signal ${signal})`);
        reject(new Error(`Azurite exited (code ${code}, signal ${signal}) before listening:\n${output}`));
      });
    });
  }

  private terminate(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), stopTimeoutMs);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  }

  private restart(reason: string): Promise<void> {
    const run = this.restartChain.then(async () => {
      if (this.stopping) return;
      const started = Date.now();
      this.stopping = true;
      await this.terminate();
      this.stopping = false;
      await this.launch();
      this.settings.log("info", `Azurite restarted (${reason}) in ${Date.now() - started} ms`);
    });
    this.restartChain = run.catch(() => undefined);
    return run;
  }

  async registerAccount(name: string, keys: readonly string[]): Promise<void> {
    const known = this.settings.accounts.get(name);
    if (known && known.join() === keys.join()) return;
    this.settings.accounts.set(name, keys);
    await this.restart(`account ${name} added`);
  }

  async forgetAccount(name: string): Promise<void> {
    if (!this.settings.accounts.delete(name)) return;
    await this.restart(`account ${name} removed`);
  }

  /** Through Azurite's path-style URL and an account SAS, as the resource provider would with its keys. */
  createContainer(accountName: string, accountKey: string, containerName: string): Promise<void> {
    const sas = generateAccountSASQueryParameters(
      {
        expiresOn: new Date(Date.now() + 10 * 60 * 1000),
        permissions: AccountSASPermissions.parse("rwdlac"),
        resourceTypes: AccountSASResourceTypes.parse("sc").toString(),
        services: AccountSASServices.parse("b").toString(),
      },
      new StorageSharedKeyCredential(accountName, accountKey),
    ).toString();
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: "127.0.0.1",
          port: this.port,
          method: "PUT",
          path: `/${accountName}/${containerName}?restype=container&${sas}`,
          ca: this.settings.caCertPem,
          headers: { "x-ms-version": "2021-12-02", "Content-Length": "0" },
        },
        (response) => {
          response.resume();
          response.on("end", () => {
            if (response.statusCode === 201 || response.statusCode === 409) resolve();
            else reject(new Error(`Azurite refused to create container ${accountName}/${containerName}: HTTP ${response.statusCode}`));
          });
        },
      );
      outgoing.on("error", reject);
      outgoing.end();
    });
  }

  /**
   * Path-style (`https://127.0.0.1:<port>/<account>/<container>`): this process has no resolver
   * for `*.blob.localhost` and does not trust our CA by default, so the agent carries the CA.
   */
  containerClient(accountName: string, accountKey: string, containerName: string): ContainerClient {
    this.agent ??= new Agent({ ca: this.settings.caCertPem, keepAlive: true });
    const options: StoragePipelineOptions & Pick<PipelineOptions, "agent"> = { agent: this.agent, retryOptions: { maxTries: 3 } };
    return new ContainerClient(`${this.url}/${accountName}/${containerName}`, new StorageSharedKeyCredential(accountName, accountKey), options);
  }

  async stop(): Promise<void> {
    await this.restartChain;
    this.stopping = true;
    await this.terminate();
    this.agent?.destroy();
    await new Promise<void>((resolve) => this.logStream.end(() => resolve()));
  }
}
