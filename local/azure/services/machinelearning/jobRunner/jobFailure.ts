import { jobShell } from "./jobProcess";

/** The error a job carries when it did not complete (run history's RootError, code and message). */
export interface JobError {
  code: string;
  message: string;
}

/** Import names whose Debian package is not simply python3-<name>. */
const debianPackages: Record<string, string> = {
  sklearn: "python3-sklearn",
  yaml: "python3-yaml",
  PIL: "python3-pil",
  cv2: "python3-opencv",
  bs4: "python3-bs4",
  dateutil: "python3-dateutil",
  skimage: "python3-skimage",
  torch: "python3-torch",
};

/** Modules Debian packages as python3-<name> (the rest get the pip hint only). */
const sameNameDebian = new Set(["pandas", "numpy", "scipy", "joblib", "matplotlib", "requests", "flask", "seaborn", "statsmodels", "xgboost"]);

/** The top-level module a `ModuleNotFoundError` in these lines names, if any. */
export function missingModule(stderrLines: readonly string[]): string | undefined {
  for (let i = stderrLines.length - 1; i >= 0; i--) {
    const match = /ModuleNotFoundError: No module named '([^']+)'/.exec(stderrLines[i]);
    if (match) return match[1].split(".")[0];
  }
  return undefined;
}

function installHint(module: string): string {
  const debian = debianPackages[module] ?? (sameNameDebian.has(module) ? `python3-${module}` : undefined);
  const here = debian ? `install it here with 'apt-get install ${debian}'` : `install it into the local Python with 'python3 -m pip install ${module}'`;
  return `${here} (or point LOCAL_AZURE_PYTHON at a Python that has it); in Azure, add it to the environment's conda file`;
}

/** The error of a command that exited non-zero: Azure's wording, plus what to do when a module is missing. */
export function exitFailure(exitCode: number | null, signal: string | null, stderrTail: readonly string[], python: string): JobError {
  const module = missingModule(stderrTail);
  if (module) {
    return {
      code: "UserError",
      message: `Execution failed: the script needs Python module '${module}', which the job's Python (${python}) does not have; ${installHint(module)}.`,
    };
  }
  const status = exitCode !== null ? `exited with status code ${exitCode}` : `was killed by ${signal ?? "a signal"}`;
  const lastLines = stderrTail
    .filter((line) => line.trim())
    .slice(-10)
    .join("\n");
  const detail = lastLines ? ` Error: ${lastLines}` : "";
  return {
    code: "UserError",
    message: `Execution failed. User process '${jobShell}' ${status}. Please check log file 'user_logs/std_log.txt' for error details.${detail}`,
  };
}

export function timeoutFailure(timeoutSeconds: number): JobError {
  return {
    code: "UserError",
    message: `The job ran longer than its limits.timeout of ${timeoutSeconds} second${timeoutSeconds === 1 ? "" : "s"} and was canceled.`,
  };
}

export function preparationFailure(cause: unknown): JobError {
  const text = cause instanceof Error ? cause.message : String(cause);
  return { code: "UserError", message: `The job could not be prepared: ${text}` };
}
