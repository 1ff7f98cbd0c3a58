import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The Python the local Azure runs jobs with, and why it was chosen. */
export interface LocalPython {
  /** Absolute path of the interpreter (the real executable, not a shim). */
  executable: string;
  /** Where the choice came from: the engine's option, the LOCAL_AZURE_PYTHON variable, or a search. */
  source: "option" | "LOCAL_AZURE_PYTHON" | "found";
  /** Whether `import sklearn` works in it. */
  hasSklearn: boolean;
}

export interface PythonChoiceOptions {
  /** An explicit interpreter (path or command name); wins over everything. */
  python?: string;
  /** The environment to read LOCAL_AZURE_PYTHON and PATH from (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Interpreters looked at before python3 and python on PATH (default: Debian's /usr/bin/python3). */
  preferred?: string[];
}

/** What the engine records about a job's environment: it is never built, the local Python runs it. */
export interface EnvironmentRecord {
  /** The job's environment reference as given (curated name, azureml:name:version, registry URI), if any. */
  reference?: string;
  image?: string;
  condaFile?: string;
  /** The interpreter that stands in for it. */
  resolvedPython: string;
}

interface Probe {
  executable: string;
  hasSklearn: boolean;
}

const probeScript = "import sys\nprint(sys.executable, flush=True)\nimport sklearn";
const probes = new Map<string, Probe | null>();

/** Runs the candidate once (cached): null when it does not run as a Python at all. */
function probe(candidate: string): Probe | null {
  const cached = probes.get(candidate);
  if (cached !== undefined) return cached;
  const result = spawnSync(candidate, ["-c", probeScript], { encoding: "utf8", timeout: 30_000 });
  const executable = typeof result.stdout === "string" ? result.stdout.split("\n")[0].trim() : "";
  const found = result.error || !executable || !path.isAbsolute(executable) ? null : { executable, hasSklearn: result.status === 0 };
  probes.set(candidate, found);
  return found;
}

/** Forgets the probes (tests that install or fake interpreters). */
export function resetPythonProbeCache(): void {
  probes.clear();
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function given(candidate: string, source: "option" | "LOCAL_AZURE_PYTHON"): LocalPython {
  const found = probe(candidate);
  if (!found) {
    const origin = source === "option" ? "The local Azure's python option" : "LOCAL_AZURE_PYTHON";
    throw new Error(`${origin} names '${candidate}', which does not run as a Python interpreter.`);
  }
  return { executable: found.executable, source, hasSklearn: found.hasSklearn };
}

/**
 * The Python for jobs: the option, else LOCAL_AZURE_PYTHON, else the first of /usr/bin/python3,
 * python3 and python on PATH that can import scikit-learn (the curated training environments
 * ship it), else the first that runs at all.
 */
export function choosePython(options: PythonChoiceOptions = {}): LocalPython {
  const env = options.env ?? process.env;
  if (options.python) return given(options.python, "option");
  const fromEnv = env.LOCAL_AZURE_PYTHON;
  if (fromEnv) return given(fromEnv, "LOCAL_AZURE_PYTHON");
  const candidates = [...(options.preferred ?? ["/usr/bin/python3"]), onPath("python3", env), onPath("python", env)].filter((c): c is string => !!c);
  const working = candidates.map(probe).filter((p): p is Probe => p !== null);
  const best = working.find((p) => p.hasSklearn) ?? working[0];
  if (!best) throw new Error("The local Azure found no Python to run jobs with: install python3 or set LOCAL_AZURE_PYTHON to an interpreter.");
  return { executable: best.executable, source: "found", hasSklearn: best.hasSklearn };
}

/** Makes `binDir` hold `python` and `python3` links to the chosen interpreter; prepend it to the job's PATH. */
export function linkPythonBin(binDir: string, python: LocalPython): void {
  fs.mkdirSync(binDir, { recursive: true });
  for (const name of ["python", "python3"]) {
    const link = path.join(binDir, name);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(python.executable, link);
  }
}

/**
 * Every environment (curated names such as AzureML-sklearn-1.0-ubuntu20.04-py38-cpu, registry
 * URIs, the workspace's own) resolves to the local Python; image and conda file are kept for the
 * record, never built.
 */
export function resolveEnvironment(python: LocalPython, environment: { reference?: string; image?: string; condaFile?: string } = {}): EnvironmentRecord {
  return { ...environment, resolvedPython: python.executable };
}
