import type { OnlineEndpoint } from "@azure/arm-machinelearning";
import type { AssetGateway } from "../../../common/src/assets/assetGateway";
import { maskSecret } from "../../../common/src/auth/secretMasking";
import type { EndpointAuthMode, OnlineEndpointSpec } from "../../../common/src/azureml/onlineEndpointFile";
import { AzureMLFailure } from "../../../common/src/errors/azureMLFailure";
import { InputError } from "../../../common/src/errors/inputError";
import { inLogGroup } from "../../../common/src/log/logGroup";
import { PhaseTimes, type PhaseTime } from "../../../common/src/log/phaseTimes";
import { resolveDeploymentAssets, type DeploymentAssetOutcomes } from "../assets/deploymentAssets";
import type { OnlineDeploySettings, OnlineSettings } from "../settings/deploySettings";
import { runSmokeTest, type SmokeTestResult } from "../smokeTest/smokeTest";
import type { ScoringClient } from "../smokeTest/scoringClient";
import { deploymentBody } from "./deploymentBody";
import { printDeploymentLogs } from "./deploymentLogs";
import { endpointUpdateBody, fileAuthMode, newEndpointBody } from "./endpointBody";
import type { OnlineEndpointGateway, ProvisioningOperation } from "./onlineEndpointGateway";
import { minutesText, ProvisioningTimedOut, realClock, waitForOperation, type WaitClock, type WaitOutcome } from "./provisioningWait";
import { describeTraffic, retiredDeployments, sameTraffic, trafficSchedule, type Traffic } from "./trafficPlan";

/** What the task talks to, and how it reports. */
export interface OnlineRolloutDependencies {
  endpoints: OnlineEndpointGateway;
  assets: AssetGateway;
  scoring: ScoringClient;
  log: (line: string) => void;
  warn: (message: string) => void;
  clock?: WaitClock;
}

/** What differs between managed and Kubernetes online endpoints (one strategy each). */
export interface OnlineEndpointKind {
  readonly kind: "managed" | "kubernetes";
  /** "managed online endpoint" */
  readonly label: string;
  /** The checked compute id of a new endpoint: none for managed endpoints, the attached Kubernetes compute for Kubernetes ones. */
  newEndpointCompute(
    spec: OnlineEndpointSpec | undefined,
    endpointName: string,
    context: { endpoints: OnlineEndpointGateway; workspaceId: string; workspaceName: string },
  ): Promise<string | undefined>;
}

/** What an online rollout did, for the outputs and the summary. */
export interface OnlineOutcome {
  kind: "online";
  endpointName: string;
  deploymentName: string;
  endpointKind: "managed" | "kubernetes";
  endpointCreated: boolean;
  deploymentCreated: boolean;
  scoringUri: string;
  swaggerUri?: string;
  authMode: EndpointAuthMode;
  /** The endpoint's primary key (key authentication only), masked. */
  key?: string;
  assets: DeploymentAssetOutcomes;
  smokeTest: SmokeTestResult;
  trafficBefore: Traffic;
  trafficAfter: Traffic;
  /** Deployments removed because they lost their traffic (previousDeployments: delete). */
  deleted: string[];
  /** Deletions that failed: the deployment is left, with a warning. */
  notDeleted: string[];
  /** Wall time of each phase of the rollout, in order. */
  phases: PhaseTime[];
}

function trafficOf(endpoint: OnlineEndpoint | undefined): Traffic {
  return { ...(endpoint?.properties.traffic ?? {}) };
}

function sameTags(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const left = a ?? {};
  return Object.keys(left).length === Object.keys(b).length && Object.entries(b).every(([key, value]) => left[key] === value);
}

/**
 * The online rollout both endpoint kinds share: endpoint kept or created, deployment created or
 * updated and waited for (logs printed and traffic untouched when it fails), smoke test at 0 %,
 * then traffic moved (in steps if asked), and the previous deployments deleted if asked.
 */
export class OnlineRollout {
  private readonly online: OnlineSettings;
  private readonly endpointName: string;
  private readonly deploymentName: string;
  private readonly timeoutMs: number;

  constructor(
    private readonly settings: OnlineDeploySettings,
    private readonly dependencies: OnlineRolloutDependencies,
    private readonly kind: OnlineEndpointKind,
  ) {
    this.online = settings.online;
    this.endpointName = settings.online.endpointName.value;
    this.deploymentName = settings.deploymentName.value;
    this.timeoutMs = settings.online.timeoutMinutes * 60_000;
  }

  private get what(): string {
    return `Deployment '${this.deploymentName}' of endpoint '${this.endpointName}'`;
  }

  private log(line: string): void {
    this.dependencies.log(line);
  }

  async run(): Promise<OnlineOutcome> {
    const { endpoints } = this.dependencies;
    const phases = new PhaseTimes(() => (this.dependencies.clock ?? realClock).now());
    // The first call signs in: its time is the lookup's.
    const { existing, computeId, location } = await phases.time("endpoint lookup", async () => {
      const found = await endpoints.getEndpoint(this.endpointName);
      // Checked before anything is uploaded or created: a wrong kind or compute changes nothing.
      const compute = found ? undefined : await this.checkNewEndpoint();
      if (found) this.checkExistingEndpoint(found);
      return { existing: found, computeId: compute, location: await endpoints.workspaceLocation() };
    });

    const { assets, outcomes } = await inLogGroup("Preparing the model, code and environment", () =>
      resolveDeploymentAssets(
        this.settings.deployment,
        this.settings.model,
        {
          gateway: this.dependencies.assets,
          workspaceId: this.settings.workspace.id,
          workspaceName: this.settings.workspace.name,
          log: (line) => this.log(line),
        },
        phases,
      ),
    );

    const endpoint = existing
      ? await phases.time("endpoint kept", () => this.keepEndpoint(existing))
      : await phases.time("endpoint creation", () => this.createEndpoint(location, computeId));
    const trafficBefore = trafficOf(endpoint);
    this.log(`Traffic of endpoint '${this.endpointName}' now: ${describeTraffic(trafficBefore)}.`);

    const body = deploymentBody(this.settings.deployment, assets, location);
    // Created or updated, and waited for until it serves.
    const deploymentCreated = await phases.time("deployment", () => this.deploy(body, trafficBefore));

    const { ready, authMode, credential } = await phases.time("scoring URI and key", async () => {
      const read = (await endpoints.getEndpoint(this.endpointName)) ?? endpoint;
      const mode = fileAuthMode(read.properties.authMode) ?? "key";
      const needsCredential = this.online.smokeTest !== undefined || mode === "key";
      return { ready: read, authMode: mode, credential: needsCredential ? await this.credential(mode) : undefined };
    });
    const scoringUri = ready.properties.scoringUri ?? "";

    const smokeTest = await phases.time("smoke test", () => this.smokeTest(scoringUri, credential));
    const trafficAfter = await phases.time("traffic", () => this.moveTraffic(trafficBefore));
    const { deleted, notDeleted } =
      this.online.traffic.previousDeployments === "delete"
        ? await phases.time("previous deployments", () => this.retire(trafficBefore, trafficAfter))
        : { deleted: [], notDeleted: [] };

    return {
      kind: "online",
      endpointName: this.endpointName,
      deploymentName: this.deploymentName,
      endpointKind: this.kind.kind,
      endpointCreated: existing === undefined,
      deploymentCreated,
      scoringUri,
      ...(ready.properties.swaggerUri ? { swaggerUri: ready.properties.swaggerUri } : {}),
      authMode,
      ...(authMode === "key" && credential ? { key: credential } : {}),
      assets: outcomes,
      smokeTest,
      trafficBefore,
      trafficAfter,
      deleted,
      notDeleted,
      phases: phases.list(),
    };
  }

  private async checkNewEndpoint(): Promise<string | undefined> {
    const spec = this.online.endpoint;
    return this.kind.newEndpointCompute(spec, this.endpointName, {
      endpoints: this.dependencies.endpoints,
      workspaceId: this.settings.workspace.id,
      workspaceName: this.settings.workspace.name,
    });
  }

  private checkExistingEndpoint(endpoint: OnlineEndpoint): void {
    const isKubernetes = Boolean(endpoint.properties.compute);
    if (isKubernetes !== (this.kind.kind === "kubernetes")) {
      const actual = isKubernetes ? "a Kubernetes online endpoint" : "a managed online endpoint";
      throw new InputError(
        `Endpoint '${this.endpointName}' exists as ${actual}, but input 'target' is ${this.settings.target}; set the target that matches it, or deploy to another endpoint (input 'endpointName').`,
      );
    }
    if (endpoint.properties.provisioningState === "Deleting") {
      throw new InputError(`Endpoint '${this.endpointName}' is being deleted; run the task again once it is gone, or deploy to another endpoint.`);
    }
  }

  /** Waits for an operation; a failure or the timeout ends the task with one sentence about `what`. */
  private async waitFor(operation: ProvisioningOperation, what: string, readState: () => Promise<string | undefined>): Promise<WaitOutcome> {
    return waitForOperation(operation, {
      what,
      readState,
      timeoutMs: this.timeoutMs,
      log: (line) => this.log(line),
      ...(this.dependencies.clock ? { clock: this.dependencies.clock } : {}),
    });
  }

  private endpointState = async (): Promise<string | undefined> =>
    (await this.dependencies.endpoints.getEndpoint(this.endpointName))?.properties.provisioningState;

  private timedOut(what: string, state: string | undefined, after: string): ProvisioningTimedOut {
    const still = state ? ` is still ${state}` : " has not finished";
    return new ProvisioningTimedOut(`${what}${still} after ${minutesText(this.online.timeoutMinutes)} (input 'timeoutMinutes')${after}.`);
  }

  private async createEndpoint(location: string, computeId: string | undefined): Promise<OnlineEndpoint> {
    const { endpoints } = this.dependencies;
    const spec = this.online.endpoint;
    const what = `Endpoint '${this.endpointName}'`;
    const body = newEndpointBody(spec, location, computeId);
    this.log(
      `Creating ${this.kind.label} '${this.endpointName}' in ${location} (${body.properties.authMode} authentication)${spec ? ` from ${spec.file}` : ""}.`,
    );
    const outcome = await this.waitFor(await endpoints.beginCreateOrUpdateEndpoint(this.endpointName, body), what, this.endpointState);
    if (outcome.outcome === "failed") throw new AzureMLFailure(what, "could not be created", outcome.error);
    if (outcome.outcome === "timedOut") throw this.timedOut(what, outcome.state, "; nothing was deployed");
    const created = await endpoints.getEndpoint(this.endpointName);
    if (!created) throw new AzureMLFailure(what, "was reported created but cannot be read back");
    this.log(`Endpoint '${this.endpointName}' created.`);
    return created;
  }

  /** An existing endpoint is kept; only its description and tags follow the file, when they differ. */
  private async keepEndpoint(endpoint: OnlineEndpoint): Promise<OnlineEndpoint> {
    const spec = this.online.endpoint;
    this.log(`Endpoint '${this.endpointName}' exists (${endpoint.properties.provisioningState ?? "state unknown"}): kept.`);
    if (!spec) return endpoint;
    const fileMode = spec.authMode;
    const actualMode = fileAuthMode(endpoint.properties.authMode);
    if (actualMode !== undefined && actualMode !== fileMode) {
      this.dependencies.warn(
        `Endpoint '${this.endpointName}' uses ${actualMode} authentication; endpoint file ${spec.file} says ${fileMode}. The endpoint is kept as it is.`,
      );
    }
    const descriptionDiffers = spec.description !== undefined && spec.description !== (endpoint.properties.description ?? undefined);
    const tagsDiffer = !sameTags(endpoint.tags, spec.tags);
    if (!descriptionDiffers && !tagsDiffer) return endpoint;
    const what = `Endpoint '${this.endpointName}'`;
    this.log(
      `Updating the ${[descriptionDiffers ? "description" : "", tagsDiffer ? "tags" : ""].filter(Boolean).join(" and ")} of endpoint '${this.endpointName}' from ${spec.file}.`,
    );
    const body = endpointUpdateBody(endpoint, { tags: spec.tags, ...(spec.description !== undefined ? { description: spec.description } : {}) });
    const outcome = await this.waitFor(await this.dependencies.endpoints.beginCreateOrUpdateEndpoint(this.endpointName, body), what, this.endpointState);
    if (outcome.outcome === "failed") throw new AzureMLFailure(what, "could not be updated", outcome.error);
    if (outcome.outcome === "timedOut") throw this.timedOut(what, outcome.state, "; nothing was deployed");
    return (await this.dependencies.endpoints.getEndpoint(this.endpointName)) ?? endpoint;
  }

  /** Creates or updates the deployment and waits for it; on failure prints its logs and leaves traffic as it was. */
  private async deploy(body: Parameters<OnlineEndpointGateway["beginCreateOrUpdateDeployment"]>[2], trafficBefore: Traffic): Promise<boolean> {
    const { endpoints } = this.dependencies;
    const current = await endpoints.getDeployment(this.endpointName, this.deploymentName);
    const share = trafficBefore[this.deploymentName] ?? 0;
    if (current) {
      this.log(`Updating deployment '${this.deploymentName}' (it exists, ${current.properties.provisioningState ?? "state unknown"}).`);
      if (share > 0) {
        this.dependencies.warn(
          `Deployment '${this.deploymentName}' takes ${share} % of the traffic: updating it in place changes what that traffic reaches before any smoke test; deploy under a new name for blue/green.`,
        );
      }
    } else {
      this.log(
        `Creating deployment '${this.deploymentName}' (${body.properties.instanceType ?? "default instance type"}, ${body.sku?.capacity ?? "default"} instance(s)) at 0 % traffic.`,
      );
    }
    const readState = async () => (await endpoints.getDeployment(this.endpointName, this.deploymentName))?.properties.provisioningState;
    const operation = await endpoints.beginCreateOrUpdateDeployment(this.endpointName, this.deploymentName, body);
    const outcome = await this.waitFor(operation, this.what, readState);
    if (outcome.outcome === "succeeded") {
      this.log(`${this.what} is ready.`);
      return current === undefined;
    }
    await printDeploymentLogs(endpoints, this.endpointName, this.deploymentName, (line) => this.log(line));
    this.log(`Traffic is left as it was: ${describeTraffic(trafficBefore)}.`);
    if (outcome.outcome === "failed") throw new AzureMLFailure(this.what, "failed", outcome.error);
    throw this.timedOut(this.what, outcome.state, `; its logs are above and traffic is left as it was (${describeTraffic(trafficBefore)})`);
  }

  /** What the smoke test sends as `Authorization: Bearer`: the key, or a token, masked at once. */
  private async credential(authMode: EndpointAuthMode): Promise<string> {
    const { endpoints, scoring } = this.dependencies;
    let credential: string | undefined;
    if (authMode === "key") credential = (await endpoints.listKeys(this.endpointName)).primaryKey;
    else if (authMode === "aml_token") credential = (await endpoints.getToken(this.endpointName)).accessToken;
    else credential = await scoring.entraToken();
    if (!credential) throw new AzureMLFailure(`Endpoint '${this.endpointName}'`, `gave no ${authMode === "key" ? "key" : "token"}`);
    maskSecret(credential);
    return credential;
  }

  private async smokeTest(scoringUri: string, credential: string | undefined): Promise<SmokeTestResult> {
    const settings = this.online.smokeTest;
    if (!settings) {
      this.dependencies.warn(`No smoke test: input 'smokeTestRequestFile' is empty, so deployment '${this.deploymentName}' takes traffic untested.`);
      return { outcome: "skipped" };
    }
    if (!scoringUri) throw new AzureMLFailure(`Endpoint '${this.endpointName}'`, "has no scoring URI to send the sample request to");
    try {
      return await inLogGroup(`Smoke test of deployment '${this.deploymentName}'`, () =>
        runSmokeTest(
          settings,
          { scoringUri, what: this.what, deployment: this.deploymentName, credential: credential ?? "" },
          this.dependencies.scoring,
          (line) => this.log(line),
        ),
      );
    } catch (error) {
      this.log(`Traffic is left as it was: ${describeTraffic(trafficOf(await this.dependencies.endpoints.getEndpoint(this.endpointName)))}.`);
      throw error;
    }
  }

  /** Moves traffic to the deployment, step by step when asked; returns the traffic after the last step. */
  private async moveTraffic(before: Traffic): Promise<Traffic> {
    const { traffic } = this.online;
    const schedule = trafficSchedule(before, this.deploymentName, traffic.steps, traffic.percent);
    let current = before;
    for (const [index, plan] of schedule.entries()) {
      const last = index === schedule.length - 1;
      if (plan.note) this.log(`Note: ${plan.note}.`);
      const label = schedule.length > 1 ? `Traffic step ${index + 1} of ${schedule.length}` : "Traffic";
      if (sameTraffic(current, plan.traffic)) {
        this.log(`${label}: already ${describeTraffic(plan.traffic)}.`);
      } else {
        this.log(`${label}: ${describeTraffic(plan.traffic)} (was ${describeTraffic(current)}).`);
        await this.setTraffic(plan.traffic, current);
        current = plan.traffic;
      }
      if (!last && traffic.stepWaitSeconds > 0) {
        this.log(`Holding this share for ${traffic.stepWaitSeconds} s.`);
        await (this.dependencies.clock ?? realClock).sleep(traffic.stepWaitSeconds * 1000);
      }
    }
    return current;
  }

  private async setTraffic(traffic: Traffic, current: Traffic): Promise<void> {
    const { endpoints } = this.dependencies;
    const endpoint = await endpoints.getEndpoint(this.endpointName);
    if (!endpoint) throw new AzureMLFailure(`Endpoint '${this.endpointName}'`, "disappeared before its traffic could be set");
    const what = `Endpoint '${this.endpointName}'`;
    const operation = await endpoints.beginCreateOrUpdateEndpoint(this.endpointName, endpointUpdateBody(endpoint, { traffic }));
    const outcome = await this.waitFor(operation, what, this.endpointState);
    if (outcome.outcome === "failed")
      throw new AzureMLFailure(what, `refused the traffic ${describeTraffic(traffic)} (it had ${describeTraffic(current)})`, outcome.error);
    if (outcome.outcome === "timedOut") throw this.timedOut(what, outcome.state, `; its traffic was being set to ${describeTraffic(traffic)}`);
  }

  /** Deletes the deployments that lost their traffic, when asked; never one that still has traffic. */
  private async retire(before: Traffic, after: Traffic): Promise<{ deleted: string[]; notDeleted: string[] }> {
    const deleted: string[] = [];
    const notDeleted: string[] = [];
    if (this.online.traffic.previousDeployments !== "delete") return { deleted, notDeleted };
    const { endpoints } = this.dependencies;
    const live = trafficOf(await endpoints.getEndpoint(this.endpointName));
    for (const name of retiredDeployments(before, after, this.deploymentName)) {
      if ((live[name] ?? 0) > 0) {
        this.dependencies.warn(`Deployment '${name}' still takes ${live[name]} % of the traffic: not deleted.`);
        notDeleted.push(name);
        continue;
      }
      const what = `Deployment '${name}' of endpoint '${this.endpointName}'`;
      this.log(`Deleting deployment '${name}', which no longer takes traffic (input 'previousDeployments' is delete).`);
      try {
        const operation = await endpoints.beginDeleteDeployment(this.endpointName, name);
        const outcome = await this.waitFor(operation, what, async () => (await endpoints.getDeployment(this.endpointName, name))?.properties.provisioningState);
        if (outcome.outcome !== "succeeded") {
          const reason =
            outcome.outcome === "failed"
              ? (outcome.error.message ?? outcome.error.code ?? "no reason given")
              : `still ${outcome.state ?? "deleting"} at the timeout`;
          throw new Error(reason);
        }
        this.log(`Deployment '${name}' deleted.`);
        deleted.push(name);
      } catch (error) {
        this.dependencies.warn(
          `Deployment '${name}' could not be deleted (${error instanceof Error ? error.message : String(error)}); it has no traffic, delete it by hand.`,
        );
        notDeleted.push(name);
      }
    }
    return { deleted, notDeleted };
  }
}
