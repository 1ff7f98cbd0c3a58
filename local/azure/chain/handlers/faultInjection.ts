import { FaultInjector, TransportFault } from "../../faults/faultInjector";
import { FaultTarget } from "../../faults/faultRules";
import { Logger } from "../../logging";
import { Answer, RequestContext, RequestHandler } from "../requestChain";

/** The status a transport fault answers with (dropConnection answers nothing). */
export function faultStatus(fault: TransportFault): number {
  return fault.kind === "throttle" ? 429 : fault.kind === "serviceUnavailable" ? 503 : 500;
}

/** How a service words a fault it suffers: ARM's error shape is not Entra's. */
export type FaultAnswer<C extends RequestContext> = (fault: TransportFault, context: C) => Answer;

function apply<C extends RequestContext>(context: C, fault: TransportFault, answerFor: FaultAnswer<C>): void {
  if (fault.kind === "dropConnection") {
    context.exchange.request.socket.destroy();
    context.dropped = true;
    context.answer = undefined;
    return;
  }
  context.answer = answerFor(fault, context);
}

/**
 * Transport faults (throttling, 500, 503, a dropped connection) drawn per request: before the
 * service acts (the request never reaches it, nor authentication), or, for `afterProcessing`
 * rules, after it acted, replacing its answer. Needs the operation named by routing before it.
 */
export interface FaultInjectionOptions<C extends RequestContext> {
  target: FaultTarget;
  answer: FaultAnswer<C>;
  /**
   * Whether `afterProcessing` rules let the service act first. The identity endpoints issue
   * nothing worth losing, so there every fault strikes before them.
   */
  afterProcessing: boolean;
}

export function faultInjection<C extends RequestContext>(faults: FaultInjector, log: Logger, options: FaultInjectionOptions<C>): RequestHandler<C> {
  const { target, answer: answerFor } = options;
  return async (context, next) => {
    const { exchange } = context;
    const named = context.operationId ?? "no operation";
    const fault = faults.transportFault({ target, method: exchange.method, path: exchange.path, operationId: context.operationId });
    const afterProcessing = options.afterProcessing && fault?.afterProcessing === true;
    if (fault && !afterProcessing) {
      log("warn", `fault: ${fault.kind} on ${exchange.method} ${exchange.path} (${named})`);
      apply(context, fault, answerFor);
      context.fault = fault.kind;
      return;
    }
    await next();
    if (fault && afterProcessing) {
      log("warn", `fault: ${fault.kind} after processing ${exchange.method} ${exchange.path} (${named})`);
      apply(context, fault, answerFor);
      context.fault = `${fault.kind} after processing`;
    }
  };
}
