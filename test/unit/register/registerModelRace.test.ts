import * as assert from "node:assert/strict";
import { AzureOperationError } from "../../../tasks/common/src/errors/azureError";
import type { JobGateway } from "../../../tasks/common/src/jobs/jobGateway";
import { maxRegistrationAttempts, registerModel } from "../../../tasks/AzureMLRegisterModel/src/registration/registerModel";
import { isVersionTaken } from "../../../tasks/AzureMLRegisterModel/src/registration/versionTaken";
import type { ModelRegistry, NewModelVersion, RegisteredVersion } from "../../../tasks/AzureMLRegisterModel/src/registry/modelRegistry";
import type { RegisterSettings } from "../../../tasks/AzureMLRegisterModel/src/settings/registerSettings";
import { gate } from "./gateFixtures";

const ourFiles = "azureml://datastores/workspaceblobstore/paths/LocalUpload/0123/model";
const otherFiles = "azureml://datastores/workspaceblobstore/paths/LocalUpload/4567/model";

/** What Azure ML answers a PUT over a version another run created first, as the SDK throws it and `describing` wraps it. */
function conflict(version: string): AzureOperationError {
  const answer = Object.assign(new Error("A model version with this name and version already exists."), { statusCode: 409, code: "UserError" });
  return new AzureOperationError(`Registering version ${version} of model 'diabetes'`, answer);
}

/**
 * A registry where another run registers `competitor` (as version N) between our read of the
 * versions and our write of version N, `races` times; then it behaves.
 */
class RacingRegistry implements ModelRegistry {
  readonly stored = new Map<string, RegisteredVersion>();
  readonly attempts: string[] = [];
  readonly metrics = '{"rmse": 50}';

  constructor(
    private races: number,
    private readonly competitor: Omit<RegisteredVersion, "version" | "id">,
    private readonly failure?: (version: string) => Error,
  ) {}

  listVersions(): Promise<RegisteredVersion[]> {
    return Promise.resolve([...this.stored.values()]);
  }

  getVersion(_name: string, version: string): Promise<RegisteredVersion | undefined> {
    return Promise.resolve(this.stored.get(version));
  }

  createVersion(_name: string, version: string, body: NewModelVersion): Promise<RegisteredVersion> {
    this.attempts.push(version);
    if (this.failure) return Promise.reject(this.failure(version));
    if (this.races > 0) {
      this.races--;
      this.stored.set(version, { ...this.competitor, version, id: `models/diabetes/versions/${version}` });
      return Promise.reject(conflict(version));
    }
    const created: RegisteredVersion = { version, id: `models/diabetes/versions/${version}`, createdAt: new Date(), ...body, isArchived: false };
    this.stored.set(version, created);
    return Promise.resolve(created);
  }

  readJobArtifact(): Promise<Uint8Array | undefined> {
    return Promise.resolve(new TextEncoder().encode(this.metrics));
  }

  uploadLocal(): Promise<{ uri: string; line: string }> {
    return Promise.resolve({ uri: ourFiles, line: "Model files unchanged." });
  }
}

// Only what registerModel reads: the source, the name, tags and properties, the gate.
function settings(extra: Partial<RegisterSettings> = {}): RegisterSettings {
  const partial: Partial<RegisterSettings> = {
    source: { kind: "localPath", path: { value: "/agent/model", source: "input 'localPath'" } },
    modelName: { value: "diabetes", source: "input 'modelName'" },
    tags: {},
    properties: {},
    ...extra,
  };
  return partial as RegisterSettings;
}

const noJobs = {} as JobGateway;

async function register(registry: RacingRegistry, given: RegisterSettings = settings()) {
  const log: string[] = [];
  const outcome = await registerModel(given, { registry, jobs: noJobs, workspaceName: "amldev", log: (line) => log.push(line) });
  return { outcome, log };
}

const gated = () => settings({ gate: gate("minimize"), gateJob: { value: "job-1", source: "input 'jobName'" } });

describe("registering while another run registers the same model", () => {
  it("takes the next number when another run took the version with other files", async () => {
    const registry = new RacingRegistry(1, { modelUri: otherFiles, modelType: "custom_model", tags: {}, properties: {}, createdAt: new Date() });
    const { outcome, log } = await register(registry);
    assert.equal(outcome.outcome, "registered");
    assert.equal(outcome.outcome === "registered" ? outcome.version.version : "", "2");
    assert.deepEqual(registry.attempts, ["1", "2"]);
    assert.ok(log.includes("Version 1 of model 'diabetes' was created by another run meanwhile; reading the model's versions again."), log.join("\n"));
  });

  it("reuses the version when the other run registered the same files", async () => {
    const registry = new RacingRegistry(1, { modelUri: ourFiles, modelType: "custom_model", tags: {}, properties: {}, createdAt: new Date() });
    const { outcome } = await register(registry);
    assert.equal(outcome.outcome, "reused");
    assert.deepEqual(registry.attempts, ["1"]);
  });

  it("asks the gate again: the other run's version is the new champion, and a better one makes this model a skip", async () => {
    const registry = new RacingRegistry(1, {
      modelUri: otherFiles,
      modelType: "custom_model",
      tags: {},
      properties: { "metric.rmse": "40" },
      createdAt: new Date(),
    });
    const { outcome } = await register(registry, gated());
    assert.equal(outcome.outcome, "skipped");
    assert.equal(outcome.outcome === "skipped" ? outcome.gate.verdict : "", "worse");
    assert.equal(outcome.outcome === "skipped" ? outcome.gate.champion?.version : "", "1");
    assert.deepEqual(registry.attempts, ["1"]);
  });

  it("asks the gate again and registers the next number when it still wins", async () => {
    const registry = new RacingRegistry(1, {
      modelUri: otherFiles,
      modelType: "custom_model",
      tags: {},
      properties: { "metric.rmse": "60" },
      createdAt: new Date(),
    });
    const { outcome } = await register(registry, gated());
    assert.equal(outcome.outcome, "registered");
    assert.equal(outcome.outcome === "registered" ? outcome.gate?.verdict : "", "better");
    assert.deepEqual(registry.attempts, ["1", "2"]);
  });

  it(`gives up after ${maxRegistrationAttempts} attempts with Azure's own sentence`, async () => {
    const registry = new RacingRegistry(maxRegistrationAttempts, {
      modelUri: otherFiles,
      modelType: "custom_model",
      tags: {},
      properties: {},
      createdAt: new Date(),
    });
    await assert.rejects(register(registry), (error: Error) => {
      assert.ok(error instanceof AzureOperationError);
      assert.equal(
        error.message,
        `Registering version ${maxRegistrationAttempts} of model 'diabetes' failed (UserError, HTTP 409): A model version with this name and version already exists.`,
      );
      return true;
    });
    assert.deepEqual(registry.attempts, ["1", "2", "3"]);
  });

  it("does not retry any other failure", async () => {
    const refused = (version: string) =>
      new AzureOperationError(
        `Registering version ${version} of model 'diabetes'`,
        Object.assign(new Error("No blobs found"), { statusCode: 400, code: "UserError" }),
      );
    const registry = new RacingRegistry(0, { modelUri: otherFiles, tags: {}, properties: {} }, refused);
    await assert.rejects(register(registry), /failed \(UserError, HTTP 400\): No blobs found/);
    assert.deepEqual(registry.attempts, ["1"]);
  });

  it("tells a taken version from other errors", () => {
    assert.equal(isVersionTaken(conflict("1")), true);
    assert.equal(isVersionTaken(Object.assign(new Error("conflict"), { statusCode: 409 })), true);
    assert.equal(isVersionTaken(new AzureOperationError("Registering", Object.assign(new Error("x"), { statusCode: 404 }))), false);
    assert.equal(isVersionTaken(new Error("409")), false);
    assert.equal(isVersionTaken(undefined), false);
  });
});
