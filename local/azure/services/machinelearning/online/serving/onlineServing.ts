import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { get } from "node:http";
import * as path from "node:path";
import { Logger } from "../../../../logging";
import { isJsonObject, textOf } from "../../../../state/json";
import { ResourceStore, StoredResource } from "../../../../state/resourceStore";
import { StorageBackend } from "../../../../storage/storageBackend";
import { repositoryRoot } from "../../../../paths";
import { jobOutputResolver } from "../../arm/machineLearningAssets";
import { WorkspaceStorage } from "../../arm/workspaceStorage";
import { endpointIdOf, onlineDeploymentType, workspaceIdOf } from "../onlineIds";
import { readinessDeadlineMs } from "../deploymentSettings";
import { servingStateOf } from "../servingState";
import { BoundedLogFile } from "./boundedLogFile";
import { prepareDeploymentFolder } from "./deploymentFolder";
import { ScoringProcess } from "./scoringProcess";
import { chooseServingPython } from "./servingPython";

export interface OnlineServingSettings {
  store: ResourceStore;
  storage: StorageBackend;
  /** Each deployment gets its folder (code, model, logs) under `<workDir>/<workspace key>/<endpoint>/<deployment>`. */
  workDir: string;
  /** The interpreter jobs run with (else LOCAL_AZURE_PYTHON, else found). */
  python?: string;
  /** The scoring app; default `tasks/AzureMLDeploy/assets/scoring-app/app.py` of this repository. */
  appPath?: string;
  log: Logger;
}

/** How starting a deployment's revision ended. */
export type ServingOutcome = { kind: "ready" } | { kind: "failed"; code: "ResourceNotReady" | "BadArgument"; detail: string } | { kind: "interrupted" };

export type ContainerType = "InferenceServer" | "StorageInitializer";

const systemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const maxRestartDelayMs = 30_000;

interface Instance {
  revision: number;
  process: ScoringProcess | undefined;
  url: string | undefined;
  outcome: Promise<ServingOutcome>;
  readyAt: number;
}

interface Entry {
  deploymentId: string;
  /** The instance requests go to. */
  current?: Instance;
  /** A newer revision starting; it replaces `current` once ready. */
  pending?: Instance;
  /** Once a revision has served, a crash restarts it, as a container's restart policy does. */
  keepRunning: boolean;
  restartTimer?: NodeJS.Timeout;
  restartAttempts: number;
  /** How the last start of a revision failed: asking again for that revision gets the same answer, unless it is a retry. */
  failed?: { revision: number; outcome: ServingOutcome };
}

function workspaceKey(workspaceId: string): string {
  return createHash("sha256").update(workspaceId.toLowerCase()).digest("hex").slice(0, 16);
}

function stringRecord(value: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  if (isJsonObject(value)) for (const [name, text] of Object.entries(value)) if (typeof text === "string") record[name] = text;
  return record;
}

/** GET `url`/ until it answers 200 (the readiness probe), or the deadline passes. */
async function becameHealthy(url: string, deadline: number, stillWanted: () => boolean): Promise<boolean> {
  while (Date.now() < deadline && stillWanted()) {
    const status = await new Promise<number>((resolve) => {
      const request = get(`${url}/`, { timeout: 2000 }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("timeout", () => request.destroy());
      request.on("error", () => resolve(0));
    });
    if (status === 200) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/**
 * Serves online deployments on this machine: one scoring app process per deployment (in its own
 * process group), started from a folder laid out as Azure's container is, with the code and model
 * downloaded by a "storage initializer" first. A new revision (an update) replaces the serving
 * process only once it is ready; a process that crashes after it served is restarted.
 */
export class OnlineServing {
  private readonly entries = new Map<string, Entry>();
  /** Deployments being forgotten (their processes ending): stopAll waits for them too. */
  private readonly forgetting = new Set<Promise<void>>();
  private readonly appPath: string;
  private stopping = false;

  constructor(private readonly settings: OnlineServingSettings) {
    this.appPath = settings.appPath ?? path.join(repositoryRoot(), "tasks", "AzureMLDeploy", "assets", "scoring-app", "app.py");
    settings.store.onDeleted((deleted) => {
      for (const resource of deleted) {
        if (resource.type !== onlineDeploymentType) continue;
        const forgotten = this.forget(resource.id).finally(() => this.forgetting.delete(forgotten));
        this.forgetting.add(forgotten);
      }
    });
  }

  /** The deployment's folder; its names lower-cased, as Azure ML compares them. */
  private deploymentDir(deploymentId: string): string {
    const endpointId = endpointIdOf(deploymentId);
    const endpointName = endpointId.slice(endpointId.lastIndexOf("/") + 1).toLowerCase();
    const deploymentName = deploymentId.slice(deploymentId.lastIndexOf("/") + 1).toLowerCase();
    return path.join(this.settings.workDir, workspaceKey(workspaceIdOf(deploymentId)), endpointName, deploymentName);
  }

  private logFile(deploymentId: string, container: ContainerType): BoundedLogFile {
    const name = container === "InferenceServer" ? "inference-server.log" : "storage-initializer.log";
    return new BoundedLogFile(path.join(this.deploymentDir(deploymentId), "logs", name));
  }

  /** GetLogs: the container's console output (or the storage initializer's notes), all or the last `tail` lines. */
  logs(deploymentId: string, container: ContainerType, tail?: number): string {
    return this.logFile(deploymentId, container).read(tail);
  }

  /** Where a request for the deployment goes, while a process of it is ready. */
  target(deploymentId: string): string | undefined {
    return this.entries.get(deploymentId.toLowerCase())?.current?.url;
  }

  /**
   * Starts the deployment's stored revision unless it already runs or is starting; resolves once it
   * is ready, has failed, or the local Azure stops. Starting again the same revision waits for it
   * (or answers how it failed, unless `retry`: a restart after a crash).
   */
  start(deploymentId: string, retry = false): Promise<ServingOutcome> {
    if (this.stopping) return Promise.resolve({ kind: "interrupted" });
    const deployment = this.settings.store.get(deploymentId);
    const state = deployment ? servingStateOf(deployment) : undefined;
    if (!deployment || !state) return Promise.resolve({ kind: "failed", code: "ResourceNotReady", detail: "the deployment no longer exists." });
    const key = deploymentId.toLowerCase();
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { deploymentId: deployment.id, keepRunning: false, restartAttempts: 0 };
      this.entries.set(key, entry);
    }
    if (entry.current?.revision === state.revision) return Promise.resolve({ kind: "ready" });
    if (entry.pending?.revision === state.revision) return entry.pending.outcome;
    if (!retry && entry.failed?.revision === state.revision) return Promise.resolve(entry.failed.outcome);
    if (entry.pending) void this.retire(entry.pending);
    clearTimeout(entry.restartTimer);
    return this.launch(entry, deployment, state.revision).outcome;
  }

  /** Ends a starting revision that its operation gave up on (a fault made the operation fail). */
  async abandon(deploymentId: string): Promise<void> {
    const entry = this.entries.get(deploymentId.toLowerCase());
    if (!entry?.pending) return;
    const pending = entry.pending;
    entry.pending = undefined;
    await this.retire(pending);
  }

  private launch(entry: Entry, deployment: StoredResource, revision: number): Instance {
    const instance: Instance = { revision, process: undefined, url: undefined, outcome: Promise.resolve({ kind: "interrupted" }), readyAt: 0 };
    entry.pending = instance;
    const wanted = () => !this.stopping && this.entries.get(entry.deploymentId.toLowerCase()) === entry && entry.pending === instance;
    const settled = this.run(deployment, instance, wanted).catch((error: unknown): ServingOutcome => {
      const detail = error instanceof Error ? error.message : String(error);
      this.settings.log("error", `serving ${entry.deploymentId}: ${detail}`);
      return { kind: "failed", code: "ResourceNotReady", detail };
    });
    instance.outcome = settled.then(async (outcome): Promise<ServingOutcome> => {
      if (outcome.kind === "ready" && wanted()) {
        const previous = entry.current;
        entry.current = instance;
        entry.pending = undefined;
        entry.failed = undefined;
        entry.keepRunning = true;
        instance.readyAt = Date.now();
        if (previous) await this.retire(previous);
        this.removeOtherRevisions(entry.deploymentId, revision);
        return outcome;
      }
      if (entry.pending === instance) entry.pending = undefined;
      if (outcome.kind === "failed") entry.failed = { revision, outcome };
      await this.retire(instance);
      return outcome.kind === "ready" ? { kind: "interrupted" } : outcome;
    });
    return instance;
  }

  private async run(deployment: StoredResource, instance: Instance, wanted: () => boolean): Promise<ServingOutcome> {
    const { store, storage: backend, log } = this.settings;
    const state = servingStateOf(deployment);
    if (!state) return { kind: "failed", code: "ResourceNotReady", detail: "the deployment has no serving state." };
    const properties = isJsonObject(deployment.body.properties) ? deployment.body.properties : {};
    const deadline = Date.now() + readinessDeadlineMs(properties);
    const serverLog = this.logFile(deployment.id, "InferenceServer");
    const python = chooseServingPython(this.settings.python);
    if (!python.ok) {
      serverLog.append(`${python.message}\n`);
      return { kind: "failed", code: "ResourceNotReady", detail: python.message };
    }
    if (!fs.existsSync(this.appPath)) {
      const message = `The scoring app is missing at ${this.appPath}.`;
      serverLog.append(`${message}\n`);
      return { kind: "failed", code: "ResourceNotReady", detail: message };
    }
    const workspace = store.get(workspaceIdOf(deployment.id));
    if (!workspace) return { kind: "failed", code: "ResourceNotReady", detail: "the workspace no longer exists." };
    const root = path.join(this.deploymentDir(deployment.id), `r${instance.revision}`);
    let folder;
    try {
      folder = await prepareDeploymentFolder({
        root,
        source: state.source,
        storage: new WorkspaceStorage(store, backend, workspace),
        resolveJobOutput: jobOutputResolver(store, workspace),
        log: this.logFile(deployment.id, "StorageInitializer"),
      });
    } catch (error) {
      // Azure: BadArgument, "Unable to download user model" / code (how-to-troubleshoot-online-endpoints).
      const reason = error instanceof Error ? error.message : String(error);
      return { kind: "failed", code: "BadArgument", detail: `The code or model could not be downloaded: ${reason}` };
    }
    if (!wanted()) return { kind: "interrupted" };

    const env: Record<string, string> = {
      HOME: process.env.HOME ?? root,
      LANG: "C.UTF-8",
      PATH: [path.dirname(python.executable), systemPath].join(path.delimiter),
      ...stringRecord(properties.environmentVariables),
      AML_APP_ROOT: folder.appRoot,
      AZUREML_ENTRY_SCRIPT: folder.entryScript,
      HOST: "127.0.0.1",
      PORT: "0",
      PYTHONUNBUFFERED: "1",
    };
    if (folder.modelDir) env.AZUREML_MODEL_DIR = folder.modelDir;
    serverLog.append(
      `${new Date().toISOString()} Starting the inference server for revision ${instance.revision} (${python.executable} -u ${this.appPath}).\n`,
    );
    const scoring = new ScoringProcess({ python: python.executable, appPath: this.appPath, cwd: root, env, log: serverLog });
    instance.process = scoring;
    scoring.onExit((code, signal) => this.exited(deployment.id, instance, code, signal));

    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), Math.max(0, deadline - Date.now()))));
    const listened = await Promise.race([scoring.start(), timedOut]);
    clearTimeout(timer);
    const readiness = isJsonObject(properties.readinessProbe) ? properties.readinessProbe : {};
    const notReady = `The container did not become ready within ${Math.round(readinessDeadlineMs(properties) / 1000)} seconds (readinessProbe initialDelay ${textOf(readiness.initialDelay) || "PT10S"} + period ${textOf(readiness.period) || "PT10S"} × failureThreshold ${textOf(readiness.failureThreshold) || "30"}); see the deployment's logs.`;
    if (listened === "timeout") return { kind: "failed", code: "ResourceNotReady", detail: notReady };
    if (!listened.listening) {
      if (!wanted()) return { kind: "interrupted" };
      const how = listened.exitCode !== null ? `exit code ${listened.exitCode}` : `signal ${listened.signal ?? "unknown"}`;
      const why = listened.exitCode === 3 ? ": the scoring script could not be loaded, has no init() or run(), or its init() raised" : "";
      return {
        kind: "failed",
        code: "ResourceNotReady",
        detail: `The inference server ended with ${how} before it became ready${why}; see the deployment's logs.`,
      };
    }
    instance.url = listened.url.replace(/\/+$/, "");
    const running = () => wanted() && scoring.pid !== undefined;
    if (!(await becameHealthy(instance.url, deadline, running))) {
      if (!wanted()) return { kind: "interrupted" };
      if (scoring.pid === undefined)
        return { kind: "failed", code: "ResourceNotReady", detail: "The inference server ended before it became ready; see the deployment's logs." };
      return { kind: "failed", code: "ResourceNotReady", detail: notReady };
    }
    log("info", `serving ${deployment.id} revision ${instance.revision} at ${instance.url}`);
    return { kind: "ready" };
  }

  /** The folders of older (or failed) revisions, once a newer one serves: the state folder does not grow with updates. */
  private removeOtherRevisions(deploymentId: string, revision: number): void {
    const folder = this.deploymentDir(deploymentId);
    for (const name of fs.existsSync(folder) ? fs.readdirSync(folder) : []) {
      if (/^r\d+$/.test(name) && name !== `r${revision}`) fs.rmSync(path.join(folder, name), { recursive: true, force: true });
    }
  }

  /** A serving process ended without being asked to: note it and restart the deployment. */
  private exited(deploymentId: string, instance: Instance, code: number | null, signal: NodeJS.Signals | null): void {
    const entry = this.entries.get(deploymentId.toLowerCase());
    if (!entry || instance.process?.stopRequested || entry.current !== instance || this.stopping) return;
    entry.current = undefined;
    const how = code !== null ? `exit code ${code}` : `signal ${signal ?? "unknown"}`;
    this.logFile(entry.deploymentId, "InferenceServer").append(`${new Date().toISOString()} The inference server ended (${how}); restarting it.\n`);
    this.settings.log("warn", `serving ${entry.deploymentId}: the process ended (${how}); restarting it`);
    if (Date.now() - instance.readyAt > 60_000) entry.restartAttempts = 0;
    this.scheduleRestart(entry);
  }

  private scheduleRestart(entry: Entry): void {
    if (this.stopping || this.entries.get(entry.deploymentId.toLowerCase()) !== entry) return;
    const delay = Math.min(maxRestartDelayMs, 1000 * 2 ** entry.restartAttempts);
    entry.restartAttempts++;
    clearTimeout(entry.restartTimer);
    entry.restartTimer = setTimeout(() => {
      void this.start(entry.deploymentId, true).then((outcome) => {
        if (outcome.kind === "failed") this.scheduleRestart(entry);
      });
    }, delay);
  }

  private async retire(instance: Instance): Promise<void> {
    await instance.process?.stop();
  }

  /** The deployment is gone (deleted, or with its endpoint, workspace or group): its processes end and its folder goes. */
  async forget(deploymentId: string): Promise<void> {
    const key = deploymentId.toLowerCase();
    const entry = this.entries.get(key);
    this.entries.delete(key);
    if (entry) {
      clearTimeout(entry.restartTimer);
      await Promise.all([entry.current, entry.pending].map((instance) => (instance ? this.retire(instance) : Promise.resolve())));
    }
    fs.rmSync(this.deploymentDir(deploymentId), { recursive: true, force: true });
  }

  /** After a restart of the local Azure: the deployments that were serving serve again. */
  recover(): void {
    for (const deployment of this.settings.store.ofType(onlineDeploymentType)) {
      const properties = isJsonObject(deployment.body.properties) ? deployment.body.properties : {};
      if (properties.provisioningState !== "Succeeded") continue;
      void this.start(deployment.id).then((outcome) => {
        const entry = this.entries.get(deployment.id.toLowerCase());
        if (outcome.kind !== "failed" || !entry) return;
        this.settings.log("warn", `serving ${deployment.id} after the restart failed: ${outcome.detail}`);
        entry.keepRunning = true;
        this.scheduleRestart(entry);
      });
    }
  }

  /** Ends every serving process and waits until each process group is gone. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    const entries = [...this.entries.values()];
    for (const entry of entries) clearTimeout(entry.restartTimer);
    await Promise.all(entries.flatMap((entry) => [entry.current, entry.pending]).map((instance) => (instance ? this.retire(instance) : Promise.resolve())));
    // Starts that were downloading end by themselves once they see the stop; wait for them too.
    await Promise.all([...entries.map((entry) => entry.pending?.outcome), ...this.forgetting]);
    await Promise.all(entries.flatMap((entry) => [entry.current, entry.pending]).map((instance) => (instance ? this.retire(instance) : Promise.resolve())));
  }
}
