import { InputError } from "../../../common/src/errors/inputError";
import { nameRules } from "../../../common/src/naming/azureNameRules";
import { abbreviated, hasControlCharacter, quoted } from "../../../common/src/text/printable";
import { loadYaml } from "../../../common/src/yaml/safeYaml";

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

/*
 * Node counts are int32 in the API (ScaleSettings.minNodeCount, maxNodeCount), and so is every
 * integer az ml takes; idle seconds are sent as a duration (PT<n>S) but read by az ml and the
 * Python SDK as an integer, and a cluster that should never scale down sets min_instances
 * instead. Past these bounds Azure refuses the request, or JavaScript rounds the number.
 */
const int32Max = 2_147_483_647;

/** A YAML value as a refusal shows it: a mapping or a list as JSON rather than "[object Object]". */
function shownValue(value: unknown): string {
  if (typeof value === "string") return quoted(value);
  return quoted(abbreviated(typeof value === "object" && value !== null ? JSON.stringify(value) : String(value)));
}

function wholeNumber(value: unknown, key: string, where: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > int32Max) {
    throw new InputError(`${where}: '${key}' must be a whole number of 0 or more, up to ${int32Max}, not ${shownValue(value)}.`);
  }
  return value;
}

function text(value: unknown, key: string, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    throw new InputError(`${where}: '${key}' must be a non-empty string.`);
  }
  if (hasControlCharacter(value.trim())) {
    throw new InputError(`${where}: '${key}' is ${quoted(value.trim())}, which holds a control character.`);
  }
  return value.trim();
}

function readCluster(entry: unknown, where: string): ComputeClusterSpec {
  if (!isMap(entry)) throw new InputError(`${where} is not a mapping with 'name', 'size', 'min_instances'…`);
  const unknown = Object.keys(entry).filter((key) => !knownKeys.has(key));
  if (unknown.length > 0) {
    throw new InputError(
      `${where}: unknown key${unknown.length > 1 ? "s" : ""} ${unknown.map((key) => quoted(key)).join(", ")} (known: ${[...knownKeys].join(", ")}).`,
    );
  }
  if (entry.name === undefined || entry.name === null) throw new InputError(`${where} has no 'name'.`);
  if (typeof entry.name !== "string" || !nameRules.computeCluster.test(entry.name.trim())) {
    const shown = shownValue(typeof entry.name === "string" ? entry.name.trim() : entry.name);
    throw new InputError(`${where}: ${shown} is not a valid compute cluster name: ${nameRules.computeCluster.description}.`);
  }
  const name = entry.name.trim();
  const label = `${where} ('${name}')`;
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
  if (!/^[A-Za-z0-9_]{1,64}$/.test(size)) {
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
  const list = Array.isArray(document)
    ? document
    : isMap(document) && Array.isArray(document.compute_clusters)
      ? document.compute_clusters
      : isMap(document) && Array.isArray(document.clusters)
        ? document.clusters
        : [document];
  return list.map((entry, index) => readCluster(entry, list.length > 1 || Array.isArray(document) ? `${origin} item ${index + 1}` : origin));
}

/** Parses the YAML text of a compute clusters file or input; empty means "no clusters". */
export function parseComputeClusters(content: string, origin: string): ComputeClusterSpec[] {
  const { documents } = loadYaml(content, { name: origin, positions: "input" });
  if (documents.length > 1) {
    throw new InputError(`${origin} holds ${documents.length} YAML documents; give one list of clusters.`);
  }
  return computeClustersFromDocument(documents[0], origin);
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
