import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { InMemoryRunStore } from "../../local/azure/services/machinelearning/dataplane/runStore";
import { MachineLearningJobs } from "../../local/azure/services/machinelearning/jobs/machineLearningJobs";
import { ResourceStore, StoredResource } from "../../local/azure/state/resourceStore";
import { StorageBackend } from "../../local/azure/storage/storageBackend";

const workspaceId = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws";

const noStorage: StorageBackend = {
  endpointSuffix: "localhost:10000",
  protocol: "https",
  registerAccount: () => Promise.resolve(),
  forgetAccount: () => Promise.resolve(),
  createContainer: () => Promise.resolve(),
  containerClient: () => {
    throw new Error("no storage in this test");
  },
};

function job(name: string, status: string): StoredResource {
  const id = `${workspaceId}/jobs/${name}`;
  return {
    id,
    type: "Microsoft.MachineLearningServices/workspaces/jobs",
    body: { id, name, type: "Microsoft.MachineLearningServices/workspaces/jobs", properties: { jobType: "Command", command: "python train.py", status } },
    secrets: { run: { startTimeUtc: "2026-01-01T10:00:00.000Z", target: "cpu-cluster" } },
    createdBy: "someone",
    createdAt: "2026-01-01T09:59:00.000Z",
    lastModifiedBy: "someone",
    lastModifiedAt: "2026-01-01T09:59:00.000Z",
  };
}

/** Jobs survive nothing across a restart: what was running ends Failed, and every run is served again. */
describe("local Azure: jobs after a restart", () => {
  let stateDir: string;

  beforeEach(() => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "local-azure-recovery-"));
  });
  afterEach(() => fs.rmSync(stateDir, { recursive: true, force: true }));

  function recover(jobs: StoredResource[]): { store: ResourceStore; runs: InMemoryRunStore } {
    const store = new ResourceStore(stateDir);
    for (const stored of jobs) store.put(stored);
    const runs = new InMemoryRunStore();
    new MachineLearningJobs({ store, storage: noStorage, runs, workDir: path.join(stateDir, "jobs"), log: () => undefined }).recover();
    return { store: new ResourceStore(stateDir), runs };
  }

  for (const status of ["NotStarted", "Queued", "Preparing", "Running", "Finalizing", "CancelRequested"]) {
    it(`fails a job that was ${status}, saying why, in the job and in run history`, () => {
      const { store, runs } = recover([job("was-going", status)]);
      const stored = store.get(`${workspaceId}/jobs/was-going`);
      assert.equal((stored?.body.properties as { status: string }).status, "Failed");
      const run = runs.run(workspaceId, "was-going");
      assert.equal(run?.status, "Failed");
      assert.equal(run?.error?.code, "ServiceError");
      assert.equal(run?.error?.message, `The local Azure stopped while job 'was-going' was ${status}; jobs do not survive a restart. Submit the job again.`);
      assert.equal(run?.startTimeUtc, "2026-01-01T10:00:00.000Z");
      assert.ok(run?.endTimeUtc);
      assert.equal(run?.target, "cpu-cluster");
    });
  }

  it("serves an ended job's run as it was, with its log from the job's folder", () => {
    const { runs } = recover([job("done", "Completed")]);
    const run = runs.run(workspaceId, "done");
    assert.equal(run?.status, "Completed");
    assert.equal(run?.error, undefined);
    const logPath = run?.logFiles["user_logs/std_log.txt"] ?? "";
    assert.equal(runs.file(logPath)?.length, 0, "a log whose folder is gone reads as empty");
    const [key] = logPath.split("/").slice(1, 2);
    const local = path.join(stateDir, "jobs", key, "done", "user_logs", "std_log.txt");
    fs.mkdirSync(path.dirname(local), { recursive: true });
    fs.writeFileSync(local, "line 1\n");
    assert.equal(runs.file(logPath)?.toString(), "line 1\n");
    fs.appendFileSync(local, "line 2\n");
    assert.equal(runs.file(logPath)?.toString(), "line 1\nline 2\n", "the log is read as it grows");
  });

  it("leaves Failed and Canceled jobs as they were", () => {
    const { runs } = recover([job("failed", "Failed"), job("canceled", "Canceled")]);
    assert.equal(runs.run(workspaceId, "failed")?.status, "Failed");
    assert.equal(runs.run(workspaceId, "failed")?.error, undefined);
    assert.equal(runs.run(workspaceId, "canceled")?.status, "Canceled");
  });
});
