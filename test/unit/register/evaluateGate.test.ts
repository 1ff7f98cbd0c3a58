import * as assert from "node:assert/strict";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { evaluateGate, metricsFileUri } from "../../../tasks/AzureMLRegisterModel/src/gate/evaluateGate";
import { MetricsFileSource } from "../../../tasks/AzureMLRegisterModel/src/gate/metricsFile";
import { ModelVersionInfo, ModelVersionSource } from "../../../tasks/AzureMLRegisterModel/src/gate/modelVersions";
import { gate, version, withMetric } from "./gateFixtures";

function metricsFile(content: string | undefined): MetricsFileSource {
  return {
    location: "azureml://jobs/j/outputs/artifacts/paths/outputs/metrics.json",
    read: () => Promise.resolve(content === undefined ? undefined : new TextEncoder().encode(content)),
  };
}

function models(versions: ModelVersionInfo[]): ModelVersionSource & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    listVersions(name: string) {
      asked.push(name);
      return Promise.resolve(versions);
    },
  };
}

describe("gate evaluation", () => {
  it("reads the metric, compares with the model's versions and says what to record", async () => {
    const registry = models([withMetric(version("1", 1), 0.9)]);
    const { decision, record } = await evaluateGate(gate("minimize"), metricsFile('{"metrics": {"rmse": 0.8}}'), registry, "diabetes");
    assert.deepEqual(registry.asked, ["diabetes"]);
    assert.equal(decision.verdict, "better");
    assert.deepEqual(decision.candidate, { value: 0.8, foundAt: "metrics.rmse" });
    assert.deepEqual(record, { tags: { "metric.rmse": "0.8" }, properties: { "metric.rmse": "0.8" } });
  });

  it("asks nothing of the registry when the metric cannot be read", async () => {
    const registry = models([]);
    await assert.rejects(evaluateGate(gate("minimize"), metricsFile(undefined), registry, "diabetes"), InputError);
    await assert.rejects(evaluateGate(gate("minimize"), metricsFile('{"rmse": "high"}'), registry, "diabetes"), InputError);
    assert.deepEqual(registry.asked, []);
  });

  it("finds the metrics file in the job's artifact store", () => {
    assert.equal(metricsFileUri("job1", gate("minimize")), "azureml://jobs/job1/outputs/artifacts/paths/outputs/metrics.json");
  });
});
