import { InputError } from "../../../common/src/errors/inputError";

/*
 * A conda file turned into a pip requirements file. The image installs with pip into the base
 * image's own Python: conda would add a few hundred megabytes and minutes to every build, and
 * its default channel is under Anaconda's commercial terms. So a conda dependency becomes the pip
 * package of the same Python library (`pytorch` → `torch`), conda-only packages (the interpreter,
 * compilers, CUDA and C libraries) are left out with a comment saying so, and the pip list is
 * kept as written. Flask and gunicorn, which the scoring app needs, are added when absent.
 */

export interface CondaPackages {
  /** `3.12` when the conda file pins Python (`python=3.12`, `python==3.12.1`, `python>=3.12`). */
  pythonVersion?: string;
  /** pip requirement lines: the conda dependencies mapped to pip, then the pip list, then flask and gunicorn if absent. */
  requirements: string[];
  /** Conda dependencies that are not Python packages, as written, each with the reason. */
  leftOut: { dependency: string; reason: string }[];
}

/** Conda package names whose pip package has another name. */
const pipNames: Record<string, string> = {
  pytorch: "torch",
  "pytorch-cpu": "torch",
  "pytorch-gpu": "torch",
  "py-xgboost": "xgboost",
  "py-xgboost-cpu": "xgboost",
  "py-xgboost-gpu": "xgboost",
  "py-opencv": "opencv-python",
  opencv: "opencv-python",
  "matplotlib-base": "matplotlib",
  "msgpack-python": "msgpack",
  pytables: "tables",
  "python-graphviz": "graphviz",
  "tensorflow-base": "tensorflow",
  ruamel_yaml: "ruamel.yaml",
};

/** Conda packages of conda's own or of the system: no pip package stands for them. */
const condaOnly = new Set([
  "pip",
  "conda",
  "mamba",
  "setuptools-scm-git-archive",
  "cpuonly",
  "nomkl",
  "mkl",
  "mkl-service",
  "mkl_fft",
  "mkl_random",
  "mkl-include",
  "intel-openmp",
  "blas",
  "openblas",
  "cudatoolkit",
  "cudnn",
  "nccl",
  "magma",
  "pytorch-cuda",
  "pytorch-mutex",
  "openmpi",
  "mpich",
  "openssl",
  "ca-certificates",
  "tk",
  "xz",
  "zlib",
  "zstd",
  "bzip2",
  "readline",
  "ncurses",
  "sqlite",
  "gcc",
  "gxx",
  "gfortran",
  "make",
  "git",
  "nodejs",
  "graphviz",
  "ffmpeg",
  "unixodbc",
]);

const condaOnlyPrefixes = [
  "_",
  "r-",
  "cuda-",
  "libgcc",
  "libstdcxx",
  "libgfortran",
  "libgomp",
  "libblas",
  "libcblas",
  "liblapack",
  "libopenblas",
  "libffi",
  "libzlib",
  "libuuid",
  "libnsl",
  "libsqlite",
  "libxml2",
  "libcu",
  "libnv",
  "ld_impl",
];

function condaOnlyReason(name: string): string | undefined {
  if (name === "python") return "the interpreter comes from the base image";
  if (name === "pip") return "pip comes with the base image's Python";
  if (condaOnly.has(name) || condaOnlyPrefixes.some((prefix) => name.startsWith(prefix))) return "a conda or system package, not a Python package";
  return undefined;
}

/** PEP 503: names compare case-insensitively, with runs of `-`, `_` and `.` equal. */
export function normalizedName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** The package name at the start of a pip requirement line (`inference-schema[numpy-support]>=1` → `inference-schema`). */
export function requirementName(line: string): string | undefined {
  return /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line)?.[1];
}

interface MatchSpec {
  name: string;
  /** The version part as conda wrote it, build string removed; "" when none. */
  version: string;
}

/** `conda-forge::numpy=1.26.4=py311_0`, `numpy 1.26.*`, `numpy>=1.2,<2` → name and version (channel and build dropped). */
function parseMatchSpec(text: string, origin: string): MatchSpec {
  const withoutChannel = text.trim().replace(/^[^\s:]*::/, "");
  const match = /^([A-Za-z0-9_][A-Za-z0-9._-]*)\s*(.*)$/.exec(withoutChannel);
  if (!match) throw new InputError(`${origin} lists the dependency '${text}', which is not a conda package specification.`);
  const name = match[1].toLowerCase();
  let version = match[2].trim();
  if (version.startsWith("[")) throw new InputError(`${origin} lists '${text}' with a bracketed conda selector; write it as name=version, or in the pip list.`);
  if (/^=[^=]/.test(version)) {
    // name=version[=build]
    version = version.slice(1).split("=")[0];
    return { name, version: `=${version}` };
  }
  // name version [build], or an operator form: the build string is the second word.
  version = version.split(/\s+/)[0] ?? "";
  return { name, version };
}

/** Conda's version part as pip reads it: `=1.2` (conda's fuzzy match) → `==1.2.*`, `=1.2.3` → `==1.2.3`, `1.2.*` → `==1.2.*`. */
function pipVersion(version: string, text: string, origin: string): string {
  if (version === "") return "";
  if (version.includes("|")) throw new InputError(`${origin} lists '${text}', whose alternative versions ('|') pip cannot express; pick one.`);
  if (version.startsWith("=") && !version.startsWith("==")) {
    const exact = version.slice(1);
    if (exact.endsWith("*")) return `==${exact}`;
    return exact.split(".").length >= 3 ? `==${exact}` : `==${exact}.*`;
  }
  if (/^[<>!=~]/.test(version)) return version.replace(/\s+/g, "");
  // A bare version after a space: conda's fuzzy form.
  if (version.endsWith("*")) return `==${version}`;
  return version.split(".").length >= 3 ? `==${version}` : `==${version}.*`;
}

function pythonVersionOf(spec: MatchSpec): string | undefined {
  const match = /^(?:==?|>=|~=)?\s*(3)\.(\d+)/.exec(spec.version);
  return match ? `${match[1]}.${match[2]}` : undefined;
}

/** pip-list lines that point at files beside the conda file: the Docker context does not carry them. */
function refuseLocalReference(line: string, origin: string): void {
  const trimmed = line.trim();
  if (/^(-r|--requirement|-c|--constraint|-e|--editable)\b/.test(trimmed) || /^(\.{1,2}\/|\/|file:)/.test(trimmed)) {
    throw new InputError(
      `${origin} has the pip entry '${trimmed}', which refers to a local file or folder that the Docker context does not carry; list the packages themselves.`,
    );
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * The pip requirements of a conda specification (the parsed conda file). `origin` names the file
 * in errors, e.g. `The conda file of environment azureml:my-env:1`.
 */
export function condaPackagesOf(specification: unknown, origin: string): CondaPackages {
  const root = asRecord(specification);
  if (root === undefined) throw new InputError(`${origin} is not a conda environment specification (a mapping with 'dependencies').`);
  const dependencies = root.dependencies ?? [];
  if (!Array.isArray(dependencies)) throw new InputError(`${origin} has 'dependencies' that is not a list.`);
  const fromConda: string[] = [];
  const fromPip: string[] = [];
  const leftOut: CondaPackages["leftOut"] = [];
  let pythonVersion: string | undefined;
  for (const dependency of dependencies) {
    const pipSection = asRecord(dependency);
    if (pipSection !== undefined) {
      const pip = pipSection.pip;
      if (!Array.isArray(pip) || Object.keys(pipSection).length !== 1) throw new InputError(`${origin} has a dependency mapping other than 'pip: [...]'.`);
      for (const line of pip) {
        if (typeof line !== "string" && typeof line !== "number") throw new InputError(`${origin} has a pip entry that is not text.`);
        refuseLocalReference(String(line), origin);
        fromPip.push(String(line).trim());
      }
      continue;
    }
    if (typeof dependency !== "string") throw new InputError(`${origin} has a dependency that is neither text nor a 'pip' list.`);
    const spec = parseMatchSpec(dependency, origin);
    if (spec.name === "python") pythonVersion = pythonVersionOf(spec) ?? pythonVersion;
    const reason = condaOnlyReason(spec.name);
    if (reason !== undefined) {
      leftOut.push({ dependency: dependency.trim(), reason });
      continue;
    }
    fromConda.push(`${pipNames[spec.name] ?? spec.name}${pipVersion(spec.version, dependency, origin)}`);
  }
  const requirements = [...fromConda, ...fromPip];
  return { pythonVersion, requirements: withServingPackages(requirements), leftOut };
}

/** Flask and gunicorn serve the app; a version the environment already asks for is kept. */
export function withServingPackages(requirements: string[]): string[] {
  const present = new Set(
    requirements
      .map((line) => requirementName(line))
      .filter((name): name is string => name !== undefined)
      .map(normalizedName),
  );
  return [...requirements, ...["flask", "gunicorn"].filter((name) => !present.has(name))];
}

/** requirements.txt: why pip and not conda, what was left out, then one requirement per line. */
export function requirementsFileText(packages: CondaPackages, source: string): string {
  const lines = [
    `# Python packages of the scoring image, from ${source}.`,
    "# Azure ML would build a conda environment from the conda file; this image installs the same",
    "# packages with pip into the base image's Python instead: no conda in the image (a smaller image",
    "# and a faster build), no dependency on Anaconda's channels and their terms. Conda dependencies",
    "# are mapped to their pip names; the scoring app adds flask and gunicorn when they are absent.",
  ];
  if (packages.leftOut.length > 0) {
    lines.push("#", "# Left out of the conda file's dependencies:");
    for (const { dependency, reason } of packages.leftOut) lines.push(`#   ${dependency}: ${reason}`);
  }
  return [...lines, ...packages.requirements, ""].join("\n");
}
