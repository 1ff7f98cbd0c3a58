import { InputError } from "../../../common/src/errors/inputError";
import type { ModelType } from "../../../common/src/azureml/modelFile";
import type { JobGateway } from "../../../common/src/jobs/jobGateway";
import type { GateDecision } from "../gate/decideGate";
import { evaluateGate, metricsFileUri } from "../gate/evaluateGate";
import type { RegisteredVersion, ModelRegistry } from "../registry/modelRegistry";
import type { RegisterSettings } from "../settings/registerSettings";
import { resolveSource, type ResolvedSource } from "../source/resolveSource";
import { logSafe } from "../../../common/src/text/sentence";
import { nextVersion, sameContent } from "./nextVersion";
import { isVersionTaken } from "./versionTaken";

export type RegistrationOutcome =
  /** A new version was created. */
  | { outcome: "registered"; version: RegisteredVersion; source: ResolvedSource; modelType: ModelType; gate?: GateDecision }
  /** A version with the same files and type already existed: nothing was created (a rerun). */
  | { outcome: "reused"; version: RegisteredVersion; source: ResolvedSource; modelType: ModelType }
  /** The gate found the model no better than the champion: nothing was created, and that is a success. */
  | { outcome: "skipped"; source: ResolvedSource; modelType: ModelType; gate: GateDecision };

export interface RegistrationContext {
  registry: ModelRegistry;
  jobs: JobGateway;
  workspaceName: string;
  log: (line: string) => void;
}

/** How many times the versions are read and the decision made again when another run took the version meanwhile. */
export const maxRegistrationAttempts = 3;

/**
 * Registers the model: finds its files (checking the job, uploading local files), reuses a
 * version that already holds them (so a rerun converges instead of adding a version or losing
 * a tie to itself), asks the gate, then creates the next version with the gate's measurement.
 * When another run creates that version first (409), everything after the files is decided
 * again on the versions as they are now: the other run's version may hold the same files, or
 * be the new champion the gate must compare with.
 */
export async function registerModel(settings: RegisterSettings, context: RegistrationContext): Promise<RegistrationOutcome> {
  const { registry, jobs, workspaceName, log } = context;
  const name = settings.modelName.value;
  const source = await resolveSource(settings.source, { jobs, registry, workspaceName, modelName: name, log });
  const modelType = settings.modelType ?? source.outputModelType ?? "custom_model";
  for (let attempt = 1; ; attempt++) {
    try {
      return await registerOnce(settings, context, source, modelType);
    } catch (error) {
      if (!(error instanceof VersionTakenError) || attempt >= maxRegistrationAttempts) throw error instanceof VersionTakenError ? error.cause : error;
      log(logSafe(`Version ${error.version} of model '${name}' was created by another run meanwhile; reading the model's versions again.`));
    }
  }
}

/** Creating the version failed because another run created it first. */
class VersionTakenError extends Error {
  constructor(
    readonly version: string,
    override readonly cause: unknown,
  ) {
    super(`version ${version} taken`);
  }
}

async function registerOnce(
  settings: RegisterSettings,
  context: RegistrationContext,
  source: ResolvedSource,
  modelType: ModelType,
): Promise<RegistrationOutcome> {
  const { registry, log } = context;
  const name = settings.modelName.value;
  const versions = await registry.listVersions(name);

  const explicit = settings.version;
  if (explicit) {
    const existing = versions.find((v) => v.version === explicit.value) ?? (await registry.getVersion(name, explicit.value));
    if (existing) {
      if (!sameContent(existing, source.modelUri, modelType)) {
        throw new InputError(
          logSafe(
            `Version ${explicit.value} of model '${name}' (${explicit.source}) already exists with other files (${existing.modelUri ?? "no path"}, ${existing.modelType ?? "custom_model"}); a version cannot change: give another version, or remove 'version' to take the next number.`,
          ),
        );
      }
      return { outcome: "reused", version: existing, source, modelType };
    }
  } else {
    const identical = versions.find((v) => !v.isArchived && sameContent(v, source.modelUri, modelType));
    if (identical) return { outcome: "reused", version: identical, source, modelType };
  }

  let gate: GateDecision | undefined;
  let record = { tags: {} as Record<string, string>, properties: {} as Record<string, string> };
  if (settings.gate && settings.gateJob) {
    const job = settings.gateJob.value;
    const gateSettings = settings.gate;
    const evaluation = await evaluateGate(
      gateSettings,
      { location: metricsFileUri(job, gateSettings), read: (maxBytes) => registry.readJobArtifact(job, gateSettings.metricsFile.value, maxBytes) },
      { listVersions: () => Promise.resolve(versions) },
      name,
    );
    gate = evaluation.decision;
    record = evaluation.record;
    gate.notices.forEach(log);
    log(gate.reason);
    if (!gate.register) return { outcome: "skipped", source, modelType, gate };
  }

  const version = explicit?.value ?? nextVersion(versions);
  let created: RegisteredVersion;
  try {
    created = await registry.createVersion(name, version, {
      modelUri: source.modelUri,
      modelType,
      ...(source.jobName ? { jobName: source.jobName } : {}),
      ...(settings.description ? { description: settings.description } : {}),
      tags: { ...settings.tags, ...record.tags },
      properties: { ...settings.properties, ...record.properties },
    });
  } catch (error) {
    if (isVersionTaken(error)) throw new VersionTakenError(version, error);
    throw error;
  }
  return { outcome: "registered", version: created, source, modelType, ...(gate ? { gate } : {}) };
}

/** The log line that says what happened. */
export function outcomeSentence(outcome: RegistrationOutcome, modelName: string, gated = false): string {
  switch (outcome.outcome) {
    case "registered":
      return logSafe(`Model '${modelName}' version ${outcome.version.version} registered from ${outcome.source.modelUri}.`);
    case "reused":
      return logSafe(
        `Model '${modelName}' already has these files as version ${outcome.version.version}: already registered, reused${gated ? " (the gate is not asked again)" : ""}.`,
      );
    case "skipped":
      return logSafe(`Model '${modelName}' not registered: ${outcome.gate.reason}`);
  }
}
