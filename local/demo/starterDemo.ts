import { checkPython, runStarterDemo, type DemoPhase } from "./runStarterDemo";

/*
 * `npm run demo`: the quick start. Starts the local Azure, runs the Dev stage of the starter
 * pipeline (pipelines/azure-pipelines.yml) through the local runner — provision, train for real,
 * register, deploy blue/green with its smoke test, package — then asks the endpoint for a real
 * prediction, prints where the time went, and stops everything (runStarterDemo.ts).
 */

function phaseTable(phases: DemoPhase[]): string {
  const total = phases.reduce((sum, phase) => sum + phase.ms, 0);
  const width = Math.max(...phases.map((phase) => phase.name.length));
  return [...phases, { name: "total", ms: total }].map((phase) => `  ${phase.name.padEnd(width)}  ${(phase.ms / 1000).toFixed(1).padStart(6)} s`).join("\n");
}

async function main(): Promise<void> {
  const python = checkPython();
  const cancel = new AbortController();
  const onSignal = () => cancel.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const run = await runStarterDemo({ python, write: (line) => console.log(line), signal: cancel.signal });
    const { scoringUri, request, answer } = run.prediction;
    console.log(`\nScoring URI: ${scoringUri}`);
    console.log(`Request:     ${request}`);
    console.log(`Prediction:  ${answer}  (disease progression a year on, from the model trained above)`);

    const { counts, violations } = run.validation;
    console.log(
      `\nSwagger checks: ${counts.validated} requests validated, ${counts.refused} refused, ${counts.unmatched} unmatched; ${violations.length} responses refused.`,
    );
    if (counts.validated === 0 || counts.refused > 0 || counts.unmatched > 0 || violations.length > 0)
      throw new Error("The local Azure saw traffic the swaggers refuse.");
    console.log(`\nWhere the time went:\n${phaseTable(run.phases)}`);
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

main().then(
  () => console.log("\nDone: the local Azure and every process it started are stopped."),
  (error: unknown) => {
    console.error(`\nThe demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
