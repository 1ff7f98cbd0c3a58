import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { ConfigurationError, loadConfiguration } from "../../../tasks/common/src/configuration";
import { ConfigurationFolder } from "./configurationFixtures";

function errorOf(load: () => unknown): ConfigurationError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  assert.fail("expected a ConfigurationError");
}

describe("configuration files as inputs: YAML limits and what the path names", () => {
  let folder: ConfigurationFolder;
  beforeEach(() => (folder = new ConfigurationFolder()));
  afterEach(() => folder.remove());
  const load = () => loadConfiguration({ directory: folder.directory, environment: "DEV" });

  it("refuses a YAML bomb at once, naming the file and line", () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (const [previous, name] of ["ab", "bc", "cd", "de", "ef", "fg", "gh", "hi"]) {
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(",")}]`);
    }
    const file = folder.write("configuration-dev.yml", ...lines);
    const error = errorOf(load);
    assert.ok(error.message.startsWith(`The configuration file ${file}:`), error.message);
    assert.match(error.message, /is refused: its aliases \(\*name\) expand to more than 1,000,000 values/);
  });

  it("still reads anchors, aliases and merge keys used as people use them", () => {
    folder.write("configuration-dev.yml", "defaults: &d {alpha: 0.5, layers: [64, 32]}", "small:", "  <<: *d", "  alpha: 0.1", "same: *d");
    assert.deepEqual(load().values, {
      defaults: { alpha: 0.5, layers: [64, 32] },
      small: { alpha: 0.1, layers: [64, 32] },
      same: { alpha: 0.5, layers: [64, 32] },
    });
  });

  it("reports a folder named like the environment's file instead of skipping it", () => {
    fs.mkdirSync(folder.path("configuration-dev.yml"));
    assert.match(errorOf(load).message, /^The configuration file for ENVIRONMENT 'DEV': '.*configuration-dev\.yml' is a folder, not a file\.$/);
  });

  it("reports a FIFO named like the base file at once, without waiting for a writer", () => {
    folder.write("configuration-dev.yml", "alpha: 1");
    execFileSync("mkfifo", [folder.path("configuration.yml")]);
    assert.match(errorOf(load).message, /^The base configuration file: '.*configuration\.yml' is a named pipe \(FIFO\), not a file\.$/);
  });

  it("reports an explicit file that is a device or a folder", () => {
    assert.match(
      errorOf(() => loadConfiguration({ directory: folder.directory, environment: "DEV", file: "/dev/zero" })).message,
      /'\/dev\/zero' is a character device, not a file/,
    );
    assert.match(
      errorOf(() => loadConfiguration({ directory: folder.directory, environment: "DEV", file: folder.directory })).message,
      /is a folder, not a file/,
    );
  });

  it("refuses a file over 1 MiB before reading it", () => {
    folder.write("configuration-dev.yml", "alpha: 1", "#" + "x".repeat(1024 * 1024));
    assert.match(errorOf(load).message, /configuration-dev\.yml' is 1\.0 MiB; the task reads files of at most 1\.0 MiB/);
  });
});
