import { randomUUID } from "node:crypto";
import { HeaderMap } from "../http/exchange";
import { OperationKind, OperationRecord, ResourceStore } from "../state/resourceStore";
import { FaultInjector } from "../faults/faultInjector";
import { Logger } from "../logging";
import { ArmRequestContext, ArmResult, ArmRoute, defineRoute } from "./armRoute";
import { ArmError, armErrors } from "./armErrors";
import { JsonObject } from "../state/json";

export interface CompletionStep {
  /** Runs when the operation's time has come; side effects (e.g. Azurite learning a new account) go here. */
  succeed(operation: OperationRecord): void | Promise<void>;
  /** Runs instead when the operation was chosen to fail; leaves the resource as Azure would (provisioningState Failed). */
  fail(operation: OperationRecord): void | Promise<void>;
}

export interface OperationStart {
  context: ArmRequestContext;
  resourceId: string;
  kind: OperationKind;
  completion: string;
  providerNamespace: string;
  location: string;
}

export interface OperationTiming {
  baseUrl: string;
  provisioningMs: number;
  retryAfterSeconds: number;
}

const injectedFailure = { code: "InternalServerError", message: "An internal execution error occurred. Please retry later." };

/**
 * Long-running operations: each one finishes after a delay (longer, or failing, when a fault
 * says so), survives restarts, and is observable through ARM's operation status URLs.
 */
export class OperationScheduler {
  private readonly completions = new Map<string, CompletionStep>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly store: ResourceStore,
    private readonly faults: FaultInjector,
    private readonly timing: OperationTiming,
    private readonly log: Logger,
  ) {}

  defineCompletion(name: string, step: CompletionStep): void {
    this.completions.set(name, step);
  }

  start(request: OperationStart): OperationRecord {
    const { context } = request;
    const fault = this.faults.operationFault({ target: "arm", method: context.method, path: context.path, operationId: context.operationId });
    const now = Date.now();
    const operation: OperationRecord = {
      id: randomUUID(),
      resourceId: request.resourceId,
      kind: request.kind,
      status: "InProgress",
      startTime: new Date(now).toISOString(),
      completesAt: now + this.timing.provisioningMs + fault.extraMs,
      plannedFailure: fault.fail,
      initiatorObjectId: context.principal.objectId,
      subscriptionId: context.params.subscriptionId,
      providerNamespace: request.providerNamespace,
      location: request.location,
      apiVersion: context.apiVersion,
      completion: request.completion,
    };
    if (fault.fail || fault.extraMs > 0) {
      this.log("warn", `fault: operation ${operation.id} (${context.operationId}) will ${fault.fail ? "fail" : "be slow"} (+${fault.extraMs} ms)`);
    }
    this.store.putOperation(operation);
    this.schedule(operation);
    return operation;
  }

  /** After a restart: operations that were running finish (at once, if their time has passed). */
  resume(): void {
    for (const operation of this.store.operationsInProgress()) this.schedule(operation);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  private schedule(operation: OperationRecord): void {
    if (this.stopped) return;
    const delay = Math.max(0, operation.completesAt - Date.now());
    const timer = setTimeout(() => {
      this.timers.delete(operation.id);
      const run = this.finish(operation.id).finally(() => this.running.delete(run));
      this.running.add(run);
    }, delay);
    this.timers.set(operation.id, timer);
  }

  private async finish(operationId: string): Promise<void> {
    const operation = this.store.getOperation(operationId);
    if (!operation || operation.status !== "InProgress") return;
    const step = this.completions.get(operation.completion);
    try {
      if (!step) throw new Error(`No completion step named ${operation.completion}`);
      if (operation.plannedFailure) {
        await step.fail(operation);
        operation.status = "Failed";
        operation.error = injectedFailure;
      } else {
        await step.succeed(operation);
        operation.status = "Succeeded";
      }
    } catch (error) {
      if (error instanceof ArmError) this.log("warn", `operation ${operation.id} on ${operation.resourceId} failed: ${error.code}: ${error.message}`);
      else
        this.log(
          "error",
          `operation ${operation.id} on ${operation.resourceId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      operation.status = "Failed";
      // A step that refuses with the service's own error (a deployment whose container never
      // became ready) reports it as is; anything else is the emulator's fault.
      operation.error = {
        code: error instanceof ArmError ? error.code : "InternalServerError",
        message: error instanceof Error ? error.message : String(error),
      };
    }
    operation.endTime = new Date().toISOString();
    // Stopped mid-way: leave the operation running in the state, so the next start finishes it
    // (completion steps are written to be run again).
    if (this.stopped && operation.status !== "Failed") return;
    this.store.putOperation(operation);
    this.log("info", `operation ${operation.id} ${operation.kind} ${operation.resourceId}: ${operation.status}`);
  }

  private statusPath(operation: OperationRecord, kind: "operationStatuses" | "operationResults"): string {
    return `/subscriptions/${operation.subscriptionId}/providers/${operation.providerNamespace}/locations/${operation.location}/${kind}/${operation.id}?api-version=${operation.apiVersion}`;
  }

  /**
   * ARM's answer to a change while an operation on the resource runs (a second run on the same
   * names, a re-run right after a cancelled one): 409 AnotherOperationInProgress, naming the
   * running operation's status URL. The caller may retry once that operation has ended.
   */
  refuseWhileRunning(resourceId: string): void {
    const running = this.store.inProgressOperationFor(resourceId);
    if (running) throw armErrors.anotherOperationInProgress(this.timing.baseUrl + this.statusPath(running, "operationStatuses"));
  }

  asyncOperationHeaders(operation: OperationRecord): HeaderMap {
    return {
      "Azure-AsyncOperation": this.timing.baseUrl + this.statusPath(operation, "operationStatuses"),
      "Retry-After": String(this.timing.retryAfterSeconds),
    };
  }

  locationHeaders(operation: OperationRecord): HeaderMap {
    return {
      Location: this.timing.baseUrl + this.statusPath(operation, "operationResults"),
      "Retry-After": String(this.timing.retryAfterSeconds),
    };
  }

  /** The status body of an Azure-AsyncOperation URL. */
  statusBody(operation: OperationRecord): JsonObject {
    const body: JsonObject = {
      id: this.statusPath(operation, "operationStatuses").split("?")[0],
      name: operation.id,
      status: operation.status,
      startTime: operation.startTime,
    };
    if (operation.endTime) body.endTime = operation.endTime;
    if (operation.error) body.error = { code: operation.error.code, message: operation.error.message };
    return body;
  }

  private findOperation(context: ArmRequestContext): OperationRecord {
    const operation = this.store.getOperation(context.params.operationId);
    const sameSubscription = operation?.subscriptionId.toLowerCase() === context.params.subscriptionId.toLowerCase();
    if (!operation || !sameSubscription) {
      throw new ArmError(404, "OperationNotFound", `The operation '${context.params.operationId}' could not be found.`);
    }
    return operation;
  }

  private initiatorOnly(context: ArmRequestContext): boolean {
    const operation = this.store.getOperation(context.params.operationId);
    return operation === undefined || operation.initiatorObjectId === context.principal.objectId;
  }

  /** The two URL shapes ARM hands out for a long-running operation. */
  routes(): ArmRoute[] {
    // Clients follow these URLs from Azure-AsyncOperation and Location headers; most providers'
    // swaggers do not declare them (ARM routes them to the provider at the operation's api-version).
    const outsideSwagger = "an operation status URL handed out in a long-running operation's headers";
    return [
      defineRoute({
        operationId: "OperationStatuses_Get",
        method: "GET",
        template: "/subscriptions/{subscriptionId}/providers/{providerNamespace}/locations/{location}/operationStatuses/{operationId}",
        apiVersions: "any",
        outsideSwagger,
        resourceType: "operationStatuses",
        action: "operationStatuses/read",
        authorize: (context) => this.initiatorOnly(context),
        handler: (context): ArmResult => ({ status: 200, body: this.statusBody(this.findOperation(context)) }),
      }),
      defineRoute({
        operationId: "OperationResults_Get",
        method: "GET",
        template: "/subscriptions/{subscriptionId}/providers/{providerNamespace}/locations/{location}/operationResults/{operationId}",
        apiVersions: "any",
        outsideSwagger,
        resourceType: "operationResults",
        action: "operationResults/read",
        authorize: (context) => this.initiatorOnly(context),
        handler: (context): ArmResult => this.resultResponse(this.findOperation(context)),
      }),
    ];
  }

  private resultResponse(operation: OperationRecord): ArmResult {
    if (operation.status === "InProgress") return { status: 202, headers: this.locationHeaders(operation) };
    if (operation.status === "Failed" || operation.status === "Canceled") {
      const error = operation.error ?? injectedFailure;
      throw new ArmError(500, error.code, error.message);
    }
    if (operation.kind === "delete") return { status: 204 };
    const resource = this.store.get(operation.resourceId);
    return resource ? { status: 200, body: resource.body } : { status: 204 };
  }
}
