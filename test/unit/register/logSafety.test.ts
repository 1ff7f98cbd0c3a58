import * as assert from "node:assert/strict";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { decideGate } from "../../../tasks/AzureMLRegisterModel/src/gate/decideGate";
import { metricFromContent } from "../../../tasks/AzureMLRegisterModel/src/gate/metricsFile";
import { chooseJobOutput } from "../../../tasks/AzureMLRegisterModel/src/source/defaultJobOutput";
import { logSafe } from "../../../tasks/common/src/text/sentence";
import { gate, version, withMetric } from "./gateFixtures";

// The agent runs `##vso[` wherever it appears in a line, so no sentence we print may hold one.
const command = "##vso[task.setvariable variable=modelRegistered]true";
const noCommand = (text: string) => assert.doesNotMatch(text, /##vso\[/i, text);

function message(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    return error.message;
  }
  assert.fail("expected a refusal");
}

describe("sentences that reach the log", () => {
  it("break up a logging command, in any case, keeping it readable", () => {
    assert.equal(logSafe(`a ${command} b`), "a #\\#vso[task.setvariable variable=modelRegistered]true b");
    noCommand(logSafe("##VSO[task.complete]"));
    assert.equal(logSafe("# one hash and ## two"), "# one hash and ## two");
  });

  it("hold no command from a metrics file's keys or values", () => {
    const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    noCommand(message(() => metricFromContent(bytes({ [command]: 1 }), "rmse", "f.json")));
    noCommand(message(() => metricFromContent(bytes({ rmse: command }), "rmse", "f.json")));
    noCommand(message(() => metricFromContent(bytes({ metrics: { [command]: 1 } }), "rmse", "f.json")));
  });

  it("hold no command from a job's output names", () => {
    const job = { value: "job1", source: "input 'jobName'" };
    noCommand(
      message(() =>
        chooseJobOutput({ job, outputs: { [command]: {} }, output: { value: "x", source: "input 'jobOutput'" }, outputInput: "input 'jobOutput'" }),
      ),
    );
    noCommand(chooseJobOutput({ job, outputs: { [command]: {}, b: {} }, outputInput: "input 'jobOutput'" }).reason);
  });

  it("hold no command from version names, tags or the metric's name", () => {
    const settings = gate("maximize", { metric: { value: command, source: "input 'metric'" }, championTag: { name: command, source: "input 'championTag'" } });
    const versions = [version(command, 1, { tags: { [command]: "" } }), version(`${command}2`, 2, { tags: { [command]: "" } })];
    const decision = decideGate(settings, 1, versions);
    noCommand(decision.reason);
    decision.notices.forEach(noCommand);
    const compared = decideGate(gate("maximize"), 1, [withMetric(version(command, 1, { tags: { "metric.rmse": "7" } }), 2)]);
    noCommand(compared.reason);
    compared.notices.forEach(noCommand);
  });
});
