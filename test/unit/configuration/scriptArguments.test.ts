import * as assert from "node:assert/strict";
import { ConfigurationError, loadConfiguration, toScriptArguments } from "../../../tasks/common/src/configuration";
import { ConfigurationFolder } from "./configurationFixtures";

describe("toScriptArguments", () => {
  it("writes a string as --name value", () => {
    assert.deepEqual(toScriptArguments({ model_name: "diabetes model" }), ["--model_name", "diabetes model"]);
  });

  it("writes numbers as float() and int() read them", () => {
    assert.deepEqual(toScriptArguments({ alpha: 0.5, epochs: 10, rate: 1e-7, big: 1e21, negative: -3 }), [
      "--alpha",
      "0.5",
      "--epochs",
      "10",
      "--rate",
      "1e-7",
      "--big",
      "1e+21",
      "--negative=-3",
    ]);
  });

  it("writes booleans as true/false, so that false can override a default of True", () => {
    assert.deepEqual(toScriptArguments({ early_stop: true, shuffle: false }), ["--early_stop", "true", "--shuffle", "false"]);
  });

  it("omits null, so that the script's default applies", () => {
    assert.deepEqual(toScriptArguments({ seed: null, alpha: 1 }), ["--alpha", "1"]);
  });

  it("keeps an empty string as an explicit empty value", () => {
    assert.deepEqual(toScriptArguments({ suffix: "" }), ["--suffix", ""]);
  });

  it("writes a value starting with '-' as --name=value, which argparse cannot take for an option", () => {
    assert.deepEqual(toScriptArguments({ pattern: "-v2", ratio: -0.5 }), ["--pattern=-v2", "--ratio=-0.5"]);
  });

  it("flattens nested mappings with dots, at any depth", () => {
    assert.deepEqual(toScriptArguments({ training: { alpha: 0.5, optimizer: { name: "adam", beta: 0.9 } }, empty: {} }), [
      "--training.alpha",
      "0.5",
      "--training.optimizer.name",
      "adam",
      "--training.optimizer.beta",
      "0.9",
    ]);
  });

  it("writes a list as one option followed by its items, as nargs='+' expects", () => {
    assert.deepEqual(toScriptArguments({ layers: [64, 32, 16], tags: ["a b", "c"], flags: [true, false] }), [
      "--layers",
      "64",
      "32",
      "16",
      "--tags",
      "a b",
      "c",
      "--flags",
      "true",
      "false",
    ]);
  });

  it("writes an empty list as a bare option, which nargs='*' reads as []", () => {
    assert.deepEqual(toScriptArguments({ exclude: [] }), ["--exclude"]);
  });

  it("writes list items that are null, lists or mappings as JSON", () => {
    assert.deepEqual(toScriptArguments({ items: [null, [1, 2], { a: "x" }] }), ["--items", "null", "[1,2]", '{"a":"x"}']);
  });

  it("keeps keys as written and in file order", () => {
    assert.deepEqual(toScriptArguments({ "Model-Name": "m", zeta: 1, alpha: 2 }), ["--Model-Name", "m", "--zeta", "1", "--alpha", "2"]);
  });

  it("refuses two values that would become the same argument", () => {
    assert.throws(
      () => toScriptArguments({ "training.alpha": 1, training: { alpha: 2 } }),
      (error: unknown) => error instanceof ConfigurationError && error.message.includes("--training.alpha"),
    );
  });

  it("turns a loaded configuration into the arguments of `python train.py`", () => {
    const folder = new ConfigurationFolder();
    try {
      folder.write("configuration.yml", "model_name: diabetes", "alpha: 0.5", "training:", "  layers: [64, 32]", "  seed: 1");
      folder.write("configuration-prod.yml", "alpha: 0.1", "training:", "  seed: null", "  early_stop: true");
      const { values } = loadConfiguration({ directory: folder.directory, environment: "PROD" });
      assert.deepEqual(toScriptArguments(values), [
        "--model_name",
        "diabetes",
        "--alpha",
        "0.1",
        "--training.layers",
        "64",
        "32",
        "--training.early_stop",
        "true",
      ]);
    } finally {
      folder.remove();
    }
  });
});
