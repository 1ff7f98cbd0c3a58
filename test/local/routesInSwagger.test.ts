import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { OperationScheduler } from "../../local/azure/arm/longRunningOperations";
import { allResourceProviderRoutes } from "../../local/azure/arm/resourceProviders";
import { ArmRoute } from "../../local/azure/arm/armRoute";
import { FaultInjector } from "../../local/azure/faults/faultInjector";
import { Directory } from "../../local/azure/identity/directory";
import { ResourceStore } from "../../local/azure/state/resourceStore";
import { StorageBackend } from "../../local/azure/storage/storageBackend";
import { SwaggerValidator } from "../../local/azure/validation/swaggerValidator";
import { InMemoryRunStore } from "../../local/azure/services/machinelearning/dataplane/runStore";
import { OnlineServing } from "../../local/azure/services/machinelearning/online/serving/onlineServing";
import { MachineLearningJobs } from "../../local/azure/services/machinelearning/jobs/machineLearningJobs";

const quiet = () => undefined;

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

/** A URL for the route's template: every parameter gets a value the swaggers' name patterns accept. */
function sampleUrl(route: ArmRoute): string {
  const path = route.template.segments
    .map((segment) => (segment === "{subscriptionId}" ? "00000000-0000-0000-0000-000000000000" : segment.startsWith("{") ? "sample1" : segment))
    .join("/");
  const apiVersion = route.apiVersions === "any" ? "" : route.apiVersions[0];
  return `https://management.azure.com/${path}?api-version=${apiVersion}`;
}

/**
 * Strict mode refuses an ARM request that no loaded swagger operation matches. So every route the
 * local Azure serves must match its own operation in a pinned swagger, or say why ARM serves it
 * without one (`outsideSwagger`); otherwise real traffic would be refused.
 */
describe("local Azure: every ARM route is in a pinned swagger", function () {
  this.timeout(60000);
  let stateDir: string;
  let routes: ArmRoute[];
  let validator: SwaggerValidator;

  before(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "local-azure-routes-"));
    const store = new ResourceStore(stateDir);
    const operations = new OperationScheduler(
      store,
      new FaultInjector(undefined),
      { baseUrl: "https://localhost:1", provisioningMs: 1000, retryAfterSeconds: 1 },
      quiet,
    );
    const jobs = new MachineLearningJobs({ store, storage: noStorage, runs: new InMemoryRunStore(), workDir: join(stateDir, "jobs"), log: quiet });
    const services = {
      store,
      operations,
      directory: Directory.openOrCreate(stateDir, undefined),
      storage: noStorage,
      jobs,
      serving: new OnlineServing({ store, storage: noStorage, workDir: join(stateDir, "online"), log: quiet }),
      baseUrl: "https://localhost:1",
      log: quiet,
    };
    routes = [...allResourceProviderRoutes(services), ...operations.routes()];
    validator = await SwaggerValidator.create(quiet);
  });

  after(() => {
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("finds routes to check", () => {
    assert.ok(routes.filter((route) => !route.outsideSwagger).length > 20, `${routes.length} routes`);
  });

  it("matches each route to the swagger operation of the same id, at the route's api-versions", async () => {
    const mismatches: string[] = [];
    for (const route of routes.filter((candidate) => !candidate.outsideSwagger)) {
      const apiVersions = route.apiVersions === "any" ? [] : route.apiVersions;
      assert.ok(apiVersions.length > 0, `${route.operationId} answers any api-version but names no reason to be outside the swaggers`);
      for (const apiVersion of apiVersions) {
        const url = sampleUrl({ ...route, apiVersions: [apiVersion] });
        const outcome = await validator.validateRequest({ url, method: route.method, headers: {}, body: undefined });
        if (!outcome.matched) mismatches.push(`${route.operationId}: ${route.method} ${url} matches no operation`);
        else if (outcome.operationId?.toLowerCase() !== route.operationId.toLowerCase())
          mismatches.push(`${route.operationId}: ${route.method} ${url} matches ${outcome.operationId}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });

  it("exempts only the operation status URLs ARM hands out, and says why", () => {
    const exempt = routes.filter((route) => route.outsideSwagger !== undefined);
    assert.deepEqual(exempt.map((route) => route.operationId).sort(), ["OperationResults_Get", "OperationStatuses_Get"]);
    for (const route of exempt) assert.match(route.outsideSwagger ?? "", /operation status URL/);
  });
});
