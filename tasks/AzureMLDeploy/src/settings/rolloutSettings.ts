import * as tl from "azure-pipelines-task-lib/task";
import { InputError } from "../../../common/src/errors/inputError";
import { filePathInput } from "../../../common/src/files/filePathInput";
import { readInputFile } from "../../../common/src/files/fileInputs";
import { quoted } from "../../../common/src/text/printable";

/** How traffic moves to the new deployment once it is up and its smoke test passed. */
export interface TrafficSettings {
  /** The deployment's final share, 0 to 100 (input 'trafficPercent'). */
  percent: number;
  /** Shares it holds first, rising, each below `percent` (input 'trafficSteps'). */
  steps: number[];
  /** How long each step is held (input 'trafficStepWaitSeconds'). */
  stepWaitSeconds: number;
  /** What becomes of the deployments that had traffic and have none after (input 'previousDeployments'). */
  previousDeployments: "keep" | "delete";
}

/** The sample request sent to the new deployment before it takes traffic. */
export interface SmokeTestSettings {
  /** The request file, absolute (input 'smokeTestRequestFile'). */
  requestFile: string;
  /** Its content, read before any call to Azure. */
  body: string;
  /** Input 'smokeTestExpectedStatus'. */
  expectedStatus: number;
  /** Input 'smokeTestResponsePattern', compiled; the body must match it. */
  responsePattern?: RegExp;
}

/** Scoring requests are small; a file far larger than any sample request is a mistake. */
const maxRequestBytes = 4 * 1024 * 1024;

/** A whole number in [min, max] from an input, or its default when empty. */
export function integerInput(name: string, fallback: number, min: number, max: number, what: string): number {
  const text = tl.getInput(name, false)?.trim() || String(fallback);
  if (!/^[0-9]+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new InputError(`Input '${name}' is ${quoted(text)}; give ${what}, a whole number from ${min} to ${max}.`);
  }
  return Number(text);
}

/** Input 'trafficSteps': "10, 50" → [10, 50], each above the one before and below the final share. */
export function parseTrafficSteps(text: string | undefined, percent: number): number[] {
  const value = text?.trim() ?? "";
  if (value === "") return [];
  const parts = value.split(/\s*,\s*/);
  const steps: number[] = [];
  for (const part of parts) {
    if (!/^[0-9]+$/.test(part) || Number(part) < 1 || Number(part) > 99) {
      throw new InputError(`Input 'trafficSteps' is ${quoted(value)}; give rising percentages from 1 to 99 separated by commas, e.g. 10,50.`);
    }
    const step = Number(part);
    if (steps.length > 0 && step <= steps[steps.length - 1]) {
      throw new InputError(`Input 'trafficSteps' is ${quoted(value)}; each step must be above the one before it.`);
    }
    steps.push(step);
  }
  if (steps[steps.length - 1] >= percent) {
    throw new InputError(
      `Input 'trafficSteps' is ${quoted(value)}, but the deployment's final share (input 'trafficPercent') is ${percent} %: every step must be below it.`,
    );
  }
  return steps;
}

export function readTrafficSettings(): TrafficSettings {
  const percent = integerInput("trafficPercent", 100, 0, 100, "the new deployment's share of the traffic in percent");
  const steps = parseTrafficSteps(tl.getInput("trafficSteps", false), percent);
  const stepWaitSeconds = integerInput("trafficStepWaitSeconds", 60, 0, 3600, "the seconds each step is held");
  const previous = tl.getInput("previousDeployments", false)?.trim() || "keep";
  if (previous !== "keep" && previous !== "delete") {
    throw new InputError(`Input 'previousDeployments' is ${quoted(previous)}; it takes keep or delete.`);
  }
  return { percent, steps, stepWaitSeconds, previousDeployments: previous };
}

function readPattern(): RegExp | undefined {
  const text = tl.getInput("smokeTestResponsePattern", false)?.trim();
  if (!text) return undefined;
  try {
    return new RegExp(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InputError(`Input 'smokeTestResponsePattern' is ${quoted(text)}, not a regular expression: ${reason}.`);
  }
}

/** The smoke test, or undefined when no request file is given (the test is then skipped, with a warning). */
export function readSmokeTestSettings(): SmokeTestSettings | undefined {
  const expectedStatus = integerInput("smokeTestExpectedStatus", 200, 100, 599, "an HTTP status");
  const responsePattern = readPattern();
  const requestFile = filePathInput("smokeTestRequestFile");
  if (requestFile === undefined) return undefined;
  const body = readInputFile({ path: requestFile, source: "Input 'smokeTestRequestFile'" }, { maxBytes: maxRequestBytes });
  return { requestFile, body, expectedStatus, ...(responsePattern ? { responsePattern } : {}) };
}

/** Input 'timeoutMinutes': how long provisioning is waited for. */
export function readTimeoutMinutes(): number {
  return integerInput("timeoutMinutes", 30, 1, 1440, "the minutes the task waits for provisioning");
}
