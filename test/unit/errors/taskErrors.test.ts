import * as assert from "node:assert/strict";
import { maskSecret } from "../../../tasks/common/src/auth/secretMasking";
import { ConfigurationSecretError } from "../../../tasks/common/src/configuration/configurationErrors";
import { failTask } from "../../../tasks/common/src/errors/failTask";
import { AzureMLFailure, AzureOperationError, ConfigurationError, describing, errorKind, InputError } from "../../../tasks/common/src/errors/taskErrors";
import { captureTaskLibOutput, silenceTaskLib } from "../../support/taskLibEnvironment";

/** The error lines and the result a failed task printed. */
async function failureOutput(error: unknown): Promise<{ errors: string[]; output: string }> {
  const { output } = await captureTaskLibOutput(() => failTask(error));
  return { errors: output.split("\n").filter((line) => line.includes("task.issue type=error") || line.includes("task.complete")), output };
}

describe("the error taxonomy", () => {
  let unsilence: () => void;
  before(() => (unsilence = silenceTaskLib()));
  after(() => unsilence());

  it("tells the four kinds apart, and anything else as unexpected", async () => {
    const azure = await describing("Reading job 'j'", () =>
      Promise.reject(Object.assign(new Error("Not found."), { statusCode: 404, code: "NotFound" })),
    ).catch((error: unknown) => error);
    assert.equal(errorKind(new InputError("Input 'x' is required.")), "input");
    assert.equal(errorKind(new ConfigurationError("File 'c.yml' is not valid YAML.")), "configuration");
    assert.equal(errorKind(new ConfigurationSecretError([{ file: "c.yml", line: 1, key: "k", reason: "a key" }])), "configuration");
    assert.equal(errorKind(azure), "azure");
    assert.ok(azure instanceof AzureOperationError);
    assert.equal(errorKind(new AzureMLFailure("Job 'j'", "failed", {})), "azureml");
    assert.equal(errorKind(new TypeError("x is undefined")), "unexpected");
    assert.equal(errorKind("a string"), "unexpected");
  });

  describe("AzureMLFailure", () => {
    it("carries the service's own message and code in one line", () => {
      const failure = new AzureMLFailure("Job 'brave_lamp_1'", "failed", {
        code: "UserError",
        message: 'Execution failed.\n  Traceback (most recent call last):\n    File "train.py"',
      });
      assert.equal(failure.message, "Job 'brave_lamp_1' failed: Execution failed. Traceback (most recent call last): File \"train.py\" (UserError)");
      assert.equal(failure.subject, "Job 'brave_lamp_1'");
      assert.deepEqual(failure.serviceError.code, "UserError");
    });

    it("says so when Azure ML gave no message", () => {
      assert.equal(new AzureMLFailure("Job 'j'", "failed").message, "Job 'j' failed; Azure ML gave no error message.");
      assert.equal(
        new AzureMLFailure("Deployment 'blue'", "failed", { code: "ImageBuildFailure" }).message,
        "Deployment 'blue' failed (ImageBuildFailure); Azure ML gave no error message.",
      );
    });

    it("cuts a very long message, and never carries a secret the service quoted", () => {
      maskSecret("storage-key-0123456789abcdef");
      const failure = new AzureMLFailure("Job 'j'", "failed", { message: `AccountKey=storage-key-0123456789abcdef; ${"x".repeat(5000)}` });
      assert.ok(failure.message.length < 1100, String(failure.message.length));
      assert.ok(!failure.message.includes("storage-key-0123456789abcdef"));
      assert.match(failure.message, /…$/);
    });
  });

  it("ends the task with each kind's one sentence, no stack", async () => {
    const kinds: Error[] = [
      new InputError("Input 'jobFile' is required."),
      new ConfigurationError("configuration-dev.yml:3 key 'lr' is not a number."),
      new AzureOperationError("Submitting job 'j'", Object.assign(new Error("Quota exceeded."), { statusCode: 409, code: "QuotaExceeded" })),
      new AzureMLFailure("Job 'j'", "failed", { code: "UserError", message: "Exit code 1." }),
    ];
    const sentences = [
      "Input 'jobFile' is required.",
      "configuration-dev.yml:3 key 'lr' is not a number.",
      "Submitting job 'j' failed (QuotaExceeded, HTTP 409): Quota exceeded.",
      "Job 'j' failed: Exit code 1. (UserError)",
    ];
    for (const [index, error] of kinds.entries()) {
      const { errors, output } = await failureOutput(error);
      assert.ok(errors[0]?.endsWith(`]${sentences[index]}`), errors.join("\n"));
      assert.match(output, /##vso\[task\.complete result=Failed;\]/);
      assert.doesNotMatch(
        output
          .split("\n")
          .filter((line) => !line.startsWith("##vso[task.debug]"))
          .join("\n"),
        /^\s+at /m,
      );
    }
  });
});
