import { spawnSync } from "node:child_process";
import { choosePython } from "../../jobRunner/pythonRuntime";

export type ServingPython = { ok: true; executable: string } | { ok: false; message: string };

const flaskProbes = new Map<string, boolean>();

function hasFlask(executable: string): boolean {
  let found = flaskProbes.get(executable);
  if (found === undefined) {
    found = spawnSync(executable, ["-c", "import flask"], { encoding: "utf8", timeout: 30_000 }).status === 0;
    flaskProbes.set(executable, found);
  }
  return found;
}

/**
 * The Python deployments are served with: the one jobs run with (the local Azure's `python`
 * option, LOCAL_AZURE_PYTHON, or the one found), which must be able to import Flask for the
 * scoring app. Why not, in one sentence, when it cannot.
 */
export function chooseServingPython(option: string | undefined): ServingPython {
  let executable: string;
  try {
    executable = choosePython({ python: option }).executable;
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  if (!hasFlask(executable)) {
    return {
      ok: false,
      message: `The local Azure's Python (${executable}) cannot import Flask, which the scoring app needs: run 'apt-get install python3-flask' (or pip install flask), or point LOCAL_AZURE_PYTHON at a Python that has it.`,
    };
  }
  return { ok: true, executable };
}
