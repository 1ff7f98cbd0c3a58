import { stopAll } from "./pipeline/childProcesses";
import { PipelineError } from "./pipeline/pipelineError";
import { PipelineRunOptions, runPipeline } from "./pipeline/pipelineRun";
import { stopStartedAzures } from "./pipeline/runConnections";
import { connectionFlavours, ConnectionFlavour } from "./serviceConnections";
import { parseScopedWorkspace } from "../azure/options";

const usage = `Usage: npm run pipeline -- FILE [--stage NAME]... [--var NAME=VALUE]... [--param NAME=VALUE]...
                            [--group-file FILE] [--connection-file FILE] [--connection-flavour [NAME=]FLAVOUR]...
                            [--scoped-workspace RESOURCE_GROUP/WORKSPACE] [--sources DIR] [--run-dir DIR] [--keep]
                            [--python PYTHON] [--debug]

Runs an Azure Pipelines YAML pipeline on this machine: templates, parameters and \${{ }} expanded,
stages and jobs in dependency order with their conditions and variables, script/bash steps in
bash, this project's tasks as the agent runs them, pipeline artifacts in the run folder.

  --stage NAME           run only this stage (repeatable); dependencies on other stages are dropped
  --var NAME=VALUE       a queue-time variable (YAML variables of the same name win, as in Azure)
  --param NAME=VALUE     a pipeline parameter (YAML for object and list types)
  --group-file FILE      variable groups: { group: { name: value, secretName: { value, isSecret: true } } }
  --connection-file FILE service connections use this connection.json (a running local Azure or a real
                         subscription) instead of a local Azure the run starts and stops
  --connection-flavour   how connections authenticate: ${connectionFlavours.join(", ")} (default secret);
                         NAME=FLAVOUR for one connection (repeatable)
  --scoped-workspace     the workspace the local Azure's workspace-scoped principal may touch
  --sources DIR          the pipeline's sources (default: the git work tree of FILE)
  --run-dir DIR          the run's folder (kept); default a temporary one, removed unless --keep
  --python PYTHON        the Python the local Azure runs jobs with
  --debug                show ##[debug] lines

Exit status: 0 when the run succeeds (with or without issues), 1 when it fails, 2 when the
pipeline cannot run (an error before any step), 130 when canceled (Ctrl+C; twice to stop at once).`;

function nameValue(option: string, text: string): [string, string] {
  const separator = text.indexOf("=");
  if (separator <= 0) throw new Error(`${option} needs NAME=VALUE, not '${text}'`);
  return [text.slice(0, separator), text.slice(separator + 1)];
}

export function parseArguments(argv: string[]): PipelineRunOptions {
  let file: string | undefined;
  const options: Omit<PipelineRunOptions, "file"> = { stages: [], variables: {}, parameters: {} };
  for (let index = 0; index < argv.length; index++) {
    const option = argv[index];
    const value = () => {
      const next = argv[++index];
      if (next === undefined) throw new Error(`${option} needs a value`);
      return next;
    };
    switch (option) {
      case "--stage":
        options.stages!.push(value());
        break;
      case "--var": {
        const [name, text] = nameValue(option, value());
        options.variables![name] = text;
        break;
      }
      case "--param": {
        const [name, text] = nameValue(option, value());
        options.parameters![name] = text;
        break;
      }
      case "--group-file":
        options.groupFile = value();
        break;
      case "--connection-file":
        options.connectionFile = value();
        break;
      case "--connection-flavour": {
        const given = value();
        const [name, flavour] = given.includes("=") ? nameValue(option, given) : [undefined, given];
        if (!connectionFlavours.includes(flavour as ConnectionFlavour))
          throw new Error(`--connection-flavour must be one of ${connectionFlavours.join(", ")}, not '${flavour}'`);
        if (name === undefined) options.connectionFlavour = flavour as ConnectionFlavour;
        else options.connectionFlavours = { ...options.connectionFlavours, [name]: flavour as ConnectionFlavour };
        break;
      }
      case "--scoped-workspace":
        options.scopedWorkspace = parseScopedWorkspace(value());
        break;
      case "--sources":
        options.sourcesDirectory = value();
        break;
      case "--run-dir":
        options.runDirectory = value();
        break;
      case "--keep":
        options.keepRunDirectory = true;
        break;
      case "--python":
        options.python = value();
        break;
      case "--debug":
        options.debug = true;
        break;
      case "--help":
      case "-h":
        console.log(usage);
        process.exit(0);
        break;
      default:
        if (option.startsWith("-")) throw new Error(`Unknown option '${option}'`);
        if (file !== undefined) throw new Error(`One pipeline file at a time: '${file}' and '${option}'`);
        file = option;
    }
  }
  if (!file) throw new Error("The pipeline file is required");
  return { ...options, file };
}

async function main(): Promise<void> {
  let options: PipelineRunOptions;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  // A reader that stops early (`| head`) must not crash the run; its steps still end properly.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
  const cancel = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (!cancel.signal.aborted) {
      console.log(`\n${signal}: canceling the run (the running step is stopped; always() steps still run). Again to stop at once.`);
      cancel.abort();
      return;
    }
    // A second signal: end the scripts and tasks now, give the local Azure a moment to stop.
    stopAll();
    const grace = new Promise((resolve) => setTimeout(resolve, 3000).unref());
    void Promise.race([stopStartedAzures(), grace]).finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const summary = await runPipeline({ ...options, signal: cancel.signal });
    // A job that timed out is canceled too, but only Ctrl+C makes the run's exit status 130.
    process.exitCode = cancel.signal.aborted ? 130 : summary.result === "Failed" || summary.result === "Canceled" ? 1 : 0;
  } catch (error) {
    if (error instanceof PipelineError) {
      console.error(`The pipeline cannot run: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    stopAll();
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}
