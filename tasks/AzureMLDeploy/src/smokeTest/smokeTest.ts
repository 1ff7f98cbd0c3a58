import { AzureMLFailure } from "../../../common/src/errors/azureMLFailure";
import { redactSecrets } from "../../../common/src/errors/redact";
import { pipelineLogLine } from "../../../common/src/log/pipelineLogLine";
import { abbreviated } from "../../../common/src/text/printable";
import type { SmokeTestSettings } from "../settings/rolloutSettings";
import type { ScoringClient } from "./scoringClient";

/** What the smoke test found, for the summary. */
export type SmokeTestResult =
  | { outcome: "passed"; status: number; response: string }
  /** No request file: nothing was sent. */
  | { outcome: "skipped" };

/** The deployment under test and how to reach it. */
export interface SmokeTestTarget {
  scoringUri: string;
  /** "Deployment 'green' of endpoint 'churn'". */
  what: string;
  deployment: string;
  /** The endpoint key or token. */
  credential: string;
}

/** The most of a response body shown in the log, and in the failure's one sentence. */
const loggedBodyChars = 2000;
const sentenceBodyChars = 300;

/** A response body as it may be shown: secrets scrubbed, cut to `max` characters, on one line or as log lines. */
export function shownBody(body: string, max: number): string {
  const scrubbed = redactSecrets(body);
  return scrubbed.length > max ? `${scrubbed.slice(0, max - 1)}…` : scrubbed;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim() || "(empty body)";
}

/**
 * Sends the sample request to the new deployment alone (`azureml-model-deployment`), whatever
 * its traffic share, and checks the status and, when asked, the body. A failure is an
 * AzureMLFailure whose sentence shows the status and the start of the body.
 */
export async function runSmokeTest(
  settings: SmokeTestSettings,
  target: SmokeTestTarget,
  client: ScoringClient,
  log: (line: string) => void,
): Promise<SmokeTestResult> {
  log(`Sending ${settings.requestFile} to ${target.scoringUri} for deployment '${target.deployment}' only.`);
  const response = await client.score({
    uri: target.scoringUri,
    deployment: target.deployment,
    credential: target.credential,
    body: settings.body,
    contentType: "application/json",
  });
  const logged = shownBody(response.body, loggedBodyChars);
  log(`The deployment answered HTTP ${response.status}:`);
  for (const line of (logged || "(empty body)").split(/\r?\n/)) log(`  ${pipelineLogLine(line)}`);
  const excerpt = oneLine(shownBody(response.body, sentenceBodyChars));
  const subject = `The smoke test of ${target.what.charAt(0).toLowerCase()}${target.what.slice(1)}`;
  if (response.status !== settings.expectedStatus) {
    throw new AzureMLFailure(subject, "failed", {
      message: `the scoring URI answered HTTP ${response.status} where ${settings.expectedStatus} was expected (input 'smokeTestExpectedStatus'): ${excerpt}`,
    });
  }
  if (settings.responsePattern && !settings.responsePattern.test(response.body)) {
    throw new AzureMLFailure(subject, "failed", {
      message: `the answer (HTTP ${response.status}) does not match input 'smokeTestResponsePattern' ${abbreviated(String(settings.responsePattern), 80)}: ${excerpt}`,
    });
  }
  log(`Smoke test passed: HTTP ${response.status}${settings.responsePattern ? `, and the answer matches ${String(settings.responsePattern)}` : ""}.`);
  return { outcome: "passed", status: response.status, response: excerpt };
}
