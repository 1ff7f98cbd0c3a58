import { FaultKind, FaultRule, FaultSettings, FaultTarget, operationFaultKinds, transportFaultKinds } from "./faultRules";
import { seededRandom } from "./seededRandom";

export interface FaultRequest {
  target: FaultTarget;
  method: string;
  path: string;
  operationId: string | undefined;
}

export interface TransportFault {
  kind: FaultKind;
  retryAfterSeconds: number;
  afterProcessing: boolean;
}

export interface OperationFault {
  extraMs: number;
  fail: boolean;
}

interface ActiveRule {
  rule: FaultRule;
  injected: number;
}

/** Decides, deterministically from the seed and the order of requests, which requests fail and how. */
export class FaultInjector {
  private rules: ActiveRule[] = [];
  private random: () => number = seededRandom(1);
  private readonly counts = new Map<FaultKind, number>();

  constructor(settings: FaultSettings | undefined) {
    this.configure(settings);
  }

  configure(settings: FaultSettings | undefined): void {
    this.rules = (settings?.rules ?? []).map((rule) => ({ rule, injected: 0 }));
    this.random = seededRandom(settings?.seed ?? 1);
    this.counts.clear();
  }

  settings(): { rules: FaultRule[]; injected: Record<string, number> } {
    return { rules: this.rules.map((active) => active.rule), injected: Object.fromEntries(this.counts) };
  }

  private matches(active: ActiveRule, request: FaultRequest, kinds: readonly FaultKind[]): boolean {
    const rule = active.rule;
    if (!kinds.includes(rule.kind)) return false;
    if ((rule.target ?? "arm") !== request.target) return false;
    if (rule.times !== undefined && active.injected >= rule.times) return false;
    if (rule.operationId && rule.operationId.toLowerCase() !== (request.operationId ?? "").toLowerCase()) return false;
    if (rule.method && rule.method.toUpperCase() !== request.method) return false;
    if (rule.pathContains && !request.path.toLowerCase().includes(rule.pathContains.toLowerCase())) return false;
    return true;
  }

  private draw(active: ActiveRule): boolean {
    const rate = active.rule.rate ?? 1;
    // Always draw, so that whether one rule fires does not shift the draws of the others.
    const hit = this.random() < rate;
    if (hit) {
      active.injected++;
      this.counts.set(active.rule.kind, (this.counts.get(active.rule.kind) ?? 0) + 1);
    }
    return hit;
  }

  transportFault(request: FaultRequest): TransportFault | undefined {
    for (const active of this.rules) {
      if (!this.matches(active, request, transportFaultKinds)) continue;
      if (this.draw(active)) {
        return {
          kind: active.rule.kind,
          retryAfterSeconds: active.rule.retryAfterSeconds ?? 1,
          afterProcessing: active.rule.afterProcessing ?? false,
        };
      }
    }
    return undefined;
  }

  operationFault(request: FaultRequest): OperationFault {
    const fault: OperationFault = { extraMs: 0, fail: false };
    for (const active of this.rules) {
      if (!this.matches(active, request, operationFaultKinds)) continue;
      if (!this.draw(active)) continue;
      if (active.rule.kind === "slowOperation") fault.extraMs += (active.rule.extraSeconds ?? 5) * 1000;
      if (active.rule.kind === "failOperation") fault.fail = true;
    }
    return fault;
  }
}
