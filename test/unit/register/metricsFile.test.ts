import * as assert from "node:assert/strict";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { maxMetricsFileBytes, MetricsFileSource, metricFromContent, readMetric } from "../../../tasks/AzureMLRegisterModel/src/gate/metricsFile";

const location = "azureml://jobs/job1/outputs/artifacts/paths/outputs/metrics.json";
const bytes = (text: string) => new TextEncoder().encode(text);
const read = (text: string, metric: string) => metricFromContent(bytes(text), metric, location);

function refusal(text: string | Uint8Array, metric: string): string {
  try {
    metricFromContent(typeof text === "string" ? bytes(text) : text, metric, location);
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.ok(error.message.includes(location), error.message);
    assert.ok(error.message.includes(`metric '${metric}'`), error.message);
    assert.doesNotMatch(error.message, /\n/);
    return error.message;
  }
  assert.fail(`expected metric ${metric} to be refused`);
}

describe("metrics file", () => {
  it("reads a flat metric", () => {
    assert.deepEqual(read('{"rmse": 1.25, "r2": 0.8}', "rmse"), { metric: "rmse", value: 1.25, foundAt: "rmse", location });
  });

  it("reads a dotted name as a top-level key first, then as a path through objects", () => {
    assert.equal(read('{"eval.rmse": 0.5}', "eval.rmse").value, 0.5);
    const nested = read('{"eval": {"rmse": 0.25, "mae": 1}}', "eval.rmse");
    assert.equal(nested.value, 0.25);
    assert.match(nested.foundAt, /nested/);
  });

  it("reads a metric under a top-level 'metrics' object", () => {
    const reading = read('{"run": "x", "metrics": {"accuracy": 0.93}}', "accuracy");
    assert.equal(reading.value, 0.93);
    assert.equal(reading.foundAt, "metrics.accuracy");
    assert.equal(read('{"metrics": {"eval": {"f1": 0.7}}}', "eval.f1").value, 0.7);
  });

  it("takes the same value found at two places, refuses two different ones", () => {
    assert.equal(read('{"rmse": 2, "metrics": {"rmse": 2}}', "rmse").value, 2);
    const message = refusal('{"rmse": 2, "metrics": {"rmse": 3}}', "rmse");
    assert.match(message, /twice with different values, at 'rmse' and 'metrics\.rmse'/);
  });

  it("reads negative, zero and exponent numbers, and skips a UTF-8 byte-order mark", () => {
    assert.equal(read('{"loss": -0.5e-3}', "loss").value, -0.0005);
    assert.equal(read('{"loss": 0}', "loss").value, 0);
    assert.equal(read('\uFEFF{"loss": 1E2}', "loss").value, 100);
  });

  it("refuses a missing metric, naming it and the keys the file has", () => {
    const message = refusal('{"accuracy": 0.9, "metrics": {"f1": 0.8}}', "rmse");
    assert.match(message, /has no metric 'rmse'; its top-level keys are 'accuracy', 'metrics'; under 'metrics': 'f1'\.$/);
  });

  it("lists at most eight keys of a wide file", () => {
    const wide = JSON.stringify(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`m${i}`, i])));
    const message = refusal(wide, "rmse");
    assert.match(message, /'m7' and 22 more\.$/);
    assert.doesNotMatch(message, /m8/);
  });

  it("refuses values that are not finite numbers, saying what was found without dumping it", () => {
    assert.match(refusal('{"rmse": "1.2"}', "rmse"), /metric 'rmse' \(at 'rmse'\) is the string '1\.2', not a finite number\.$/);
    assert.match(refusal('{"rmse": null}', "rmse"), /is null, not a finite number/);
    assert.match(refusal('{"rmse": true}', "rmse"), /is the boolean true, not/);
    assert.match(refusal('{"rmse": [1, 2, 3]}', "rmse"), /is a list of 3 items, not/);
    assert.match(refusal('{"eval": {"rmse": 1}}', "eval"), /is an object \(keys 'rmse'\), not/);
    const long = refusal(JSON.stringify({ rmse: "x".repeat(5000) }), "rmse");
    assert.ok(long.length < 400, long);
  });

  it("reads Python's bare NaN and Infinity elsewhere in the file, refuses them as the metric", () => {
    const python = '{"rmse": NaN, "mae": 0.4, "max_error": Infinity, "min": -Infinity, "note": "NaN stays text"}';
    assert.equal(read(python, "mae").value, 0.4);
    assert.match(refusal(python, "rmse"), /metric 'rmse' \(at 'rmse'\) is NaN, not a finite number/);
    assert.match(refusal(python, "max_error"), /is Infinity, not a finite number/);
    assert.match(refusal(python, "min"), /is -Infinity, not a finite number/);
    assert.match(refusal(python, "note"), /is the string 'NaN stays text'/);
  });

  it("refuses invalid JSON, a non-object and text that is not UTF-8", () => {
    assert.match(refusal('{"rmse": 1.2,', "rmse"), /is not valid JSON/);
    assert.match(refusal("", "rmse"), /is not valid JSON/);
    assert.match(refusal("[1, 2]", "rmse"), /holds a list of 2 items, not a JSON object/);
    assert.match(refusal("3.5", "rmse"), /holds number, not a JSON object/);
    assert.match(refusal(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), "rmse"), /is not UTF-8 text/);
  });

  it("refuses a file larger than the limit before parsing it", () => {
    const huge = new Uint8Array(maxMetricsFileBytes + 1).fill(0x20);
    assert.match(refusal(huge, "rmse"), /larger than 1048576 bytes/);
  });

  it("does not take inherited object members for metrics", () => {
    assert.match(refusal('{"rmse": 1}', "constructor"), /has no metric 'constructor'/);
    assert.match(refusal('{"rmse": 1}', "toString"), /has no metric 'toString'/);
  });

  describe("read from a job", () => {
    function source(content: string | undefined): MetricsFileSource & { asked: number[] } {
      const asked: number[] = [];
      return {
        location,
        asked,
        read(maxBytes: number) {
          asked.push(maxBytes);
          return Promise.resolve(content === undefined ? undefined : bytes(content));
        },
      };
    }

    it("asks for at most the limit and reads the metric", async () => {
      const file = source('{"rmse": 0.7}');
      assert.equal((await readMetric(file, "rmse")).value, 0.7);
      assert.deepEqual(file.asked, [maxMetricsFileBytes]);
    });

    it("says when the job wrote no metrics file", async () => {
      await assert.rejects(readMetric(source(undefined), "rmse"), (error: unknown) => {
        assert.ok(error instanceof InputError);
        assert.equal(error.message, `The job wrote no metrics file at ${location}, so its metric 'rmse' cannot be compared with the champion's.`);
        return true;
      });
    });
  });
});

describe("metrics file syntax errors", () => {
  it("say where the JSON breaks without quoting the file", () => {
    const secretish = '{\n  "token": "do-not-print-me",\n  "rmse": x\n}';
    const message = metricFromContent.bind(undefined, new TextEncoder().encode(secretish), "rmse", "f.json");
    assert.throws(message, (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.message, "The metrics file f.json is not valid JSON, so metric 'rmse' cannot be read from it.");
      return true;
    });
    assert.throws(
      () => metricFromContent(new TextEncoder().encode('{\n"a": 1,\n"b" 2}'), "a", "f.json"),
      /^InputError: The metrics file f\.json is not valid JSON \(line 3\), so metric 'a' cannot be read from it\.$/,
    );
    assert.throws(() => metricFromContent(new TextEncoder().encode('{"a": 1,'), "a", "f.json"), /not valid JSON \(it ends too early\), so/);
  });
});
