import assert from "node:assert/strict";
import { readinessDeadlineMs, servingLimits, withDeploymentDefaults } from "../../../local/azure/services/machinelearning/online/deploymentSettings";

describe("local Azure: online deployment settings", () => {
  it("fills in Azure's defaults: Default scale for managed, TargetUtilization for Kubernetes, probes and request settings", () => {
    const managed = withDeploymentDefaults({ endpointComputeType: "Managed", instanceType: "Standard_DS3_v2" });
    assert.deepEqual(managed.scaleSettings, { scaleType: "Default" });
    assert.deepEqual(managed.requestSettings, { requestTimeout: "PT5S", maxConcurrentRequestsPerInstance: 1, maxQueueWait: "PT0.5S" });
    assert.deepEqual(managed.readinessProbe, { initialDelay: "PT10S", period: "PT10S", timeout: "PT2S", successThreshold: 1, failureThreshold: 30 });
    const kubernetes = withDeploymentDefaults({ endpointComputeType: "Kubernetes", requestSettings: { requestTimeout: "PT1S" } });
    assert.equal((kubernetes.scaleSettings as { scaleType: string }).scaleType, "TargetUtilization");
    assert.equal((kubernetes.requestSettings as { requestTimeout: string }).requestTimeout, "PT1S");
    assert.equal((kubernetes.requestSettings as { maxConcurrentRequestsPerInstance: number }).maxConcurrentRequestsPerInstance, 1);
  });

  it("gives a new container the readiness probe's initial delay plus failureThreshold periods", () => {
    assert.equal(readinessDeadlineMs({}), 310_000);
    assert.equal(readinessDeadlineMs({ readinessProbe: { initialDelay: "PT1S", period: "PT0.5S", failureThreshold: 4 } }), 3000);
  });

  it("limits requests in flight to 2 × maxConcurrentRequestsPerInstance × instances, within the request timeout", () => {
    assert.deepEqual(servingLimits({ properties: {} }), { requestTimeoutMs: 5000, maxInFlight: 2 });
    assert.deepEqual(
      servingLimits({
        sku: { name: "Default", capacity: 3 },
        properties: { requestSettings: { requestTimeout: "PT0.25S", maxConcurrentRequestsPerInstance: 2 } },
      }),
      { requestTimeoutMs: 250, maxInFlight: 12 },
    );
    assert.equal(servingLimits({ properties: { scaleSettings: { scaleType: "TargetUtilization", minInstances: 2 } } }).maxInFlight, 4);
  });
});
