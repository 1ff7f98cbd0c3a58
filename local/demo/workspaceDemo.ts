import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startLocalAzure } from "../azure";
import { agentServiceConnection, stepWithConnection } from "../runner/serviceConnections";
import { runTaskStep, TaskStepResult } from "../runner/taskProcess";

// `npm run demo`: the local Azure starts, and the built AzureMLWorkspace task provisions the Dev
// environment on it as the agent would run it, twice: the second run finds everything in place.
const repository = path.resolve(__dirname, "../../..");
const taskDirectory = path.join(repository, "build", "tasks", "AzureMLWorkspace");

// The log as the agent shows it: logging commands are read, not printed.
function show(line: string): void {
  if (line.startsWith("##vso[") || line === "##[endgroup]") return;
  console.log(`    ${line.replace(/^##\[section\]/, "").replace(/^##\[group\]/, "▸ ")}`);
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(taskDirectory, "index.mjs"))) throw new Error("The task is not built: run `npm run build` first.");
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "azureml-demo-"));
  const sources = path.join(stateDir, "sources");
  fs.mkdirSync(path.join(sources, "configuration"), { recursive: true });
  fs.mkdirSync(path.join(stateDir, "agent-temp"));
  fs.writeFileSync(
    path.join(sources, "configuration", "configuration-dev.yml"),
    "# Values for the core scripts; compute_clusters is provisioned by AzureMLWorkspace.\nmodel_name: diabetes\nalpha: 0.5\ncompute_clusters:\n  - name: cpu-cluster\n    size: Standard_DS3_v2\n    max_instances: 2\n",
  );

  console.log("Starting the local Azure (HTTPS, Entra ID, Resource Manager, Azure ML control plane, Azurite)…");
  const azure = await startLocalAzure({ stateDir: path.join(stateDir, "local-azure"), provisioningSeconds: 1 });
  console.log(`  ready in ${(azure.startupMs / 1000).toFixed(1)} s at ${azure.connection.armUrl}; connection: ${azure.connectionFile}\n`);
  try {
    const service = agentServiceConnection(azure.connection, "secret");
    const run = (title: string): Promise<TaskStepResult> => {
      console.log(`${title}\n  - task: AzureMLWorkspace@1  (service principal with a secret, ENVIRONMENT=DEV, NAMESPACE=mlopsdemo01)`);
      const step = {
        taskDirectory,
        inputs: { createResourceGroup: "true", writeConfigJson: "true", tags: "environment=dev" },
        variables: {
          "System.DefaultWorkingDirectory": sources,
          "Agent.TempDirectory": path.join(stateDir, "agent-temp"),
          ENVIRONMENT: "DEV",
          RESOURCE_GROUP: "rg-mlops-dev",
          LOCATION: "westeurope",
          NAMESPACE: "mlopsdemo01",
        },
        onLine: show,
      };
      return runTaskStep(stepWithConnection(step, azure.connection, service));
    };

    const first = await run("Run 1: provision the Dev environment");
    if (first.result !== "Succeeded") throw new Error(`The task failed: ${first.message}`);
    console.log("");
    const second = await run("Run 2: the same step again");
    if (second.result !== "Succeeded") throw new Error(`The task failed: ${second.message}`);

    console.log("\nOutput variables:");
    for (const [name, value] of Object.entries(second.outputs)) console.log(`  ${name.padEnd(22)} ${value}`);
    const violations = azure.violations();
    const counts = azure.validationCounts();
    console.log(
      `\nARM requests validated against the official swagger: ${counts.validated} (${counts.refused} refused); ` +
        `matching no loaded swagger operation: ${counts.unmatched}; responses of ours the swagger refuses: ${violations.length}.`,
    );
    // Nothing validated means nothing was checked: that is no pass.
    if (counts.validated === 0 || counts.unmatched > 0 || violations.length > 0) process.exitCode = 1;
  } finally {
    await azure.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
