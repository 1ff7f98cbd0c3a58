import * as yaml from "js-yaml";
import { InputError } from "../../../common/src/errors/inputError";
import { nameRules } from "../../../common/src/naming/azureNameRules";

/** One AmlCompute cluster, in the terms of the `az ml compute` YAML schema. */
export interface ComputeClusterSpec {
  name: string;
  size: string;
  minInstances: number;
  maxInstances: number;
  idleSecondsBeforeScaleDown: number;
  tier: "dedicated" | "low_priority";
  description?: string;
  /** Where the cluster was described, for error messages. */
  source: string;
}

// The defaults `az ml compute create --type amlcompute` applies.
const defaults = { size: "Standard_DS3_v2", minInstances: 0, maxInstances: 4, idleSeconds: 120, tier: "dedicated" } as const;
const knownKeys = new Set(["name", "type", "size", "min_instances", "max_instances", "idle_time_before_scale_down", "tier", "description", "location"]);

type YamlMap = Record<string, unknown>;

function isMap(value: unknown): value is YamlMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function wholeNumber(value: unknown, key: string, where: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new InputError(`${where}: '${key}' must be a whole number of 0 or more, not '${String(value)}'.`);
  }
  return value;
}

function text(value: unknown, key: string, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    throw new InputError(`${where}: '${key}' must be a non-empty string.`);
  }
  return value.trim();
}

function readCluster(entry: unknown, where: string): ComputeClusterSpec {
  if (!isMap(entry)) throw new InputError(`${where} is not a mapping with 'name', 'size', 'min_instances'…`);
  const unknown = Object.keys(entry).filter((key) => !knownKeys.has(key));
  if (unknown.length > 0) {
    throw new InputError(`${where}: unknown key${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `'${k}'`).join(", ")} (known: ${[...knownKeys].join(", ")}).`);
  }
  const name = text(entry.name, "name", where);
  if (!name) throw new InputError(`${where} has no 'name'.`);
  const label = `${where} ('${name}')`;
  if (!nameRules.computeCluster.test(name)) {
    throw new InputError(`${label}: '${name}' is not a valid compute cluster name: ${nameRules.computeCluster.description}.`);
  }
  const type = text(entry.type, "type", label);
  if (type && type.toLowerCase() !== "amlcompute") {
    throw new InputError(`${label}: type '${type}' is not supported; only 'amlcompute' clusters are provisioned.`);
  }
  const tier = text(entry.tier, "tier", label) ?? defaults.tier;
  if (tier !== "dedicated" && tier !== "low_priority") {
    throw new InputError(`${label}: tier must be 'dedicated' or 'low_priority', not '${tier}'.`);
  }
  const minInstances = wholeNumber(entry.min_instances, "min_instances", label, defaults.minInstances);
  const maxInstances = wholeNumber(entry.max_instances, "max_instances", label, defaults.maxInstances);
  if (maxInstances < 1 || maxInstances < minInstances) {
    throw new InputError(`${label}: max_instances (${maxInstances}) must be at least 1 and at least min_instances (${minInstances}).`);
  }
  const size = text(entry.size, "size", label) ?? defaults.size;
  if (!/^[A-Za-z0-9_]+$/.test(size)) {
    throw new InputError(`${label}: size '${size}' is not a VM size name such as Standard_DS3_v2.`);
  }
  return {
    name,
    size,
    minInstances,
    maxInstances,
    idleSecondsBeforeScaleDown: wholeNumber(entry.idle_time_before_scale_down, "idle_time_before_scale_down", label, defaults.idleSeconds),
    tier,
    description: text(entry.description, "description", label),
    source: where,
  };
}

/**
 * Reads clusters from a parsed YAML document: a list of clusters, a single cluster, or a
 * mapping with a `compute_clusters` / `clusters` list.
 */
export function computeClustersFromDocument(document: unknown, origin: string): ComputeClusterSpec[] {
  if (document === undefined || document === null) return [];
  const list =
    Array.isArray(document) ? document
    : isMap(document) && Array.isArray(document.compute_clusters) ? document.compute_clusters
    : isMap(document) && Array.isArray(document.clusters) ? document.clusters
    : [document];
  return list.map((entry, index) => readCluster(entry, list.length > 1 || Array.isArray(document) ? `${origin} item ${index + 1}` : origin));
}

/** Parses the YAML text of a compute clusters file or input. */
export function parseComputeClusters(content: string, origin: string): ComputeClusterSpec[] {
  // js-yaml 5 refuses an empty document; for an optional input, empty means "no clusters".
  if (content.replace(/#.*$/gm, "").trim() === "") return [];
  let document: unknown;
  try {
    document = yaml.load(content);
  } catch (error) {
    const reason = error instanceof yaml.YAMLException ? error.reason : String(error);
    const line = error instanceof yaml.YAMLException && error.mark ? ` line ${error.mark.line + 1}` : "";
    throw new InputError(`${origin}${line} is not valid YAML: ${reason}.`);
  }
  return computeClustersFromDocument(document, origin);
}

export function ensureUniqueNames(clusters: ComputeClusterSpec[]): void {
  const seen = new Map<string, ComputeClusterSpec>();
  for (const cluster of clusters) {
    const key = cluster.name.toLowerCase();
    const earlier = seen.get(key);
    if (earlier) {
      throw new InputError(`Compute cluster '${cluster.name}' is described twice (${earlier.source} and ${cluster.source}).`);
    }
    seen.set(key, cluster);
  }
}
