import { startLocalAzure } from "./startLocalAzure";
import { LocalAzureOptions, parseScopedWorkspace } from "./options";

const usage = `Usage: npm run local-azure -- --state-dir DIR [--port N] [--token-lifetime SECONDS] [--no-strict] [--quiet]
                                [--provisioning-seconds N] [--scoped-workspace RESOURCE_GROUP/WORKSPACE]
                                [--python PYTHON]

Runs the local Azure in the foreground on 127.0.0.1 and writes DIR/connection.json.
Jobs run with --python, else LOCAL_AZURE_PYTHON, else a python3 found (one with scikit-learn first).
Stop it with Ctrl+C (SIGINT) or SIGTERM.`;

function parseArguments(argv: string[]): LocalAzureOptions {
  let stateDir: string | undefined;
  const options: Omit<LocalAzureOptions, "stateDir"> = { echoLog: true };
  for (let index = 0; index < argv.length; index++) {
    const name = argv[index];
    const value = () => {
      const next = argv[++index];
      if (next === undefined) throw new Error(`${name} needs a value`);
      return next;
    };
    const integer = () => {
      const text = value();
      const parsed = Number(text);
      if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} needs a whole number, not '${text}'`);
      return parsed;
    };
    switch (name) {
      case "--state-dir":
        stateDir = value();
        break;
      case "--port":
        options.port = integer();
        break;
      case "--token-lifetime":
        options.tokenLifetimeSeconds = integer();
        break;
      case "--provisioning-seconds":
        options.provisioningSeconds = integer();
        break;
      case "--python":
        options.python = value();
        break;
      case "--no-strict":
        options.strict = false;
        break;
      case "--quiet":
        options.echoLog = false;
        break;
      case "--scoped-workspace":
        options.scopedWorkspace = parseScopedWorkspace(value());
        break;
      case "--help":
      case "-h":
        console.log(usage);
        process.exit(0);
        break;
      default:
        throw new Error(`Unknown option '${name}'`);
    }
  }
  if (!stateDir) throw new Error("--state-dir is required");
  return { ...options, stateDir };
}

async function main(): Promise<void> {
  let options: LocalAzureOptions;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
  const localAzure = await startLocalAzure(options);
  console.log(`Local Azure ready in ${localAzure.startupMs} ms: ${localAzure.connection.armUrl}`);
  console.log(`Connection: ${localAzure.connectionFile}`);
  console.log(
    `Clients need: ${Object.entries(localAzure.connection.clientEnvironment)
      .map(([name, value]) => `${name}=${value}`)
      .join(" ")}`,
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the local Azure and its Azurite…`);
    localAzure.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
