import * as assert from "node:assert/strict";
import * as path from "node:path";
import { ConfigurationError, ConfigurationSecretError, loadConfiguration } from "../../../tasks/common/src/configuration";
import { ConfigurationFolder, fakeSecrets } from "./configurationFixtures";

function errorOf(load: () => unknown): ConfigurationError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  assert.fail("expected a ConfigurationError");
}

describe("loadConfiguration", () => {
  let folder: ConfigurationFolder;
  beforeEach(() => (folder = new ConfigurationFolder()));
  afterEach(() => folder.remove());

  describe("choosing the file", () => {
    it("reads configuration-<env>.yml with ENVIRONMENT in lower case", () => {
      const dev = folder.write("configuration-dev.yml", "model_name: dev-model", "alpha: 0.5");
      folder.write("configuration-prod.yml", "model_name: prod-model");
      const loaded = loadConfiguration({ directory: folder.directory, environment: "DEV" });
      assert.deepEqual(loaded.values, { model_name: "dev-model", alpha: 0.5 });
      assert.deepEqual(loaded.files, [dev]);
    });

    it("picks the file of each environment", () => {
      folder.write("configuration-test.yml", "model_name: test-model");
      folder.write("configuration-prod.yml", "model_name: prod-model");
      const values = (env: string) => loadConfiguration({ directory: folder.directory, environment: env }).values;
      assert.deepEqual(values("TEST"), { model_name: "test-model" });
      assert.deepEqual(values("PROD"), { model_name: "prod-model" });
    });

    it("accepts the .yaml extension", () => {
      const file = folder.write("configuration-test.yaml", "alpha: 1");
      assert.deepEqual(loadConfiguration({ directory: folder.directory, environment: "TEST" }).files, [file]);
    });

    it("refuses both .yml and .yaml for one environment, as it cannot tell which is meant", () => {
      folder.write("configuration-dev.yml", "alpha: 1");
      folder.write("configuration-dev.yaml", "alpha: 2");
      const error = errorOf(() => loadConfiguration({ directory: folder.directory, environment: "DEV" }));
      assert.match(error.message, /configuration-dev\.yml and .*configuration-dev\.yaml exist/);
    });

    it("reads an explicit file instead of the directory's", () => {
      const file = folder.write("elsewhere/custom.yml", "alpha: 3");
      const loaded = loadConfiguration({ directory: folder.directory, environment: "DEV", file });
      assert.deepEqual(loaded.values, { alpha: 3 });
      assert.deepEqual(loaded.files, [file]);
    });

    it("names the paths tried and the ENVIRONMENT when the file is missing", () => {
      folder.write("configuration-dev.yml", "alpha: 1");
      const error = errorOf(() => loadConfiguration({ directory: folder.directory, environment: "PROD" }));
      assert.ok(error.message.includes("ENVIRONMENT 'PROD'"), error.message);
      assert.ok(error.message.includes(folder.path("configuration-prod.yml")), error.message);
      assert.ok(error.message.includes(folder.path("configuration-prod.yaml")), error.message);
    });

    it("says so when the configuration folder itself is missing", () => {
      const directory = folder.path("no-such-folder");
      const error = errorOf(() => loadConfiguration({ directory, environment: "DEV" }));
      assert.ok(error.message.includes(`the folder ${directory} does not exist`), error.message);
    });

    it("names a missing explicit file and the ENVIRONMENT", () => {
      const file = folder.path("missing.yml");
      const error = errorOf(() => loadConfiguration({ directory: folder.directory, environment: "TEST", file }));
      assert.ok(error.message.includes(file) && error.message.includes("ENVIRONMENT 'TEST'"), error.message);
    });

    for (const environment of ["", "   ", "../prod", "dev/x", "prod.old", "-dev"]) {
      it(`refuses the environment name ${JSON.stringify(environment)}`, () => {
        const error = errorOf(() => loadConfiguration({ directory: folder.directory, environment }));
        assert.match(error.message, /ENVIRONMENT/);
      });
    }
  });

  describe("merging over a base", () => {
    it("deep-merges the environment's file over configuration.yml: the environment wins, lists replace", () => {
      const base = folder.write(
        "configuration.yml",
        "model_name: diabetes",
        "training:",
        "  alpha: 0.5",
        "  epochs: 10",
        "  layers: [64, 32, 16]",
        "data_path: data/base.csv",
        "seed: 42",
      );
      const dev = folder.write(
        "configuration-dev.yml",
        "training:",
        "  alpha: 0.1",
        "  layers: [8]",
        "  optimizer: adam",
        "seed: null",
        "experiment: dev-runs",
      );
      const loaded = loadConfiguration({ directory: folder.directory, environment: "DEV" });
      assert.deepEqual(loaded.files, [base, dev]);
      assert.deepEqual(loaded.values, {
        model_name: "diabetes",
        training: { alpha: 0.1, epochs: 10, layers: [8], optimizer: "adam" },
        data_path: "data/base.csv",
        seed: null,
        experiment: "dev-runs",
      });
      assert.deepEqual(Object.keys(loaded.values), ["model_name", "training", "data_path", "seed", "experiment"]);
    });

    it("replaces a mapping by a scalar and a scalar by a mapping", () => {
      folder.write("configuration.yml", "a: {x: 1}", "b: 2");
      folder.write("configuration-dev.yml", "a: 1", "b: {y: 2}");
      assert.deepEqual(loadConfiguration({ directory: folder.directory, environment: "DEV" }).values, {
        a: 1,
        b: { y: 2 },
      });
    });

    it("also finds configuration.yaml", () => {
      const base = folder.write("configuration.yaml", "a: 1");
      folder.write("configuration-dev.yml", "b: 2");
      assert.equal(loadConfiguration({ directory: folder.directory, environment: "DEV" }).files[0], base);
    });

    it("uses an explicit base file", () => {
      const base = folder.write("shared/common.yml", "a: 1", "b: 1");
      folder.write("configuration.yml", "ignored: true");
      folder.write("configuration-dev.yml", "b: 2");
      const loaded = loadConfiguration({ directory: folder.directory, environment: "DEV", baseFile: base });
      assert.deepEqual(loaded.values, { a: 1, b: 2 });
      assert.equal(loaded.files[0], base);
    });

    it("names a missing explicit base file", () => {
      folder.write("configuration-dev.yml", "b: 2");
      const baseFile = folder.path("shared/missing.yml");
      const error = errorOf(() => loadConfiguration({ directory: folder.directory, environment: "DEV", baseFile }));
      assert.ok(error.message.includes(baseFile), error.message);
    });

    it("does not merge a file over itself", () => {
      const file = folder.write("configuration.yml", "a: 1");
      const loaded = loadConfiguration({ directory: folder.directory, environment: "DEV", file });
      assert.deepEqual(loaded.files, [file]);
    });
  });

  describe("file contents", () => {
    const load = () => loadConfiguration({ directory: folder.directory, environment: "DEV" });

    it("reports a YAML syntax error with file:line, without quoting the source", () => {
      const file = folder.write("configuration-dev.yml", "alpha: 1", "training:", "  epochs: 3", ' storage_url: "https://x.example/FkQuoted');
      const error = errorOf(load);
      assert.ok(error.message.includes(`${file}:4`), error.message);
      assert.ok(!error.message.includes("FkQuoted"), error.message);
    });

    it("reports a duplicated key with file:line", () => {
      const file = folder.write("configuration-dev.yml", "alpha: 1", "beta: 2", "alpha: 3");
      const error = errorOf(load);
      assert.ok(error.message.includes(`${file}:3`), error.message);
      assert.match(error.message, /duplicated mapping key/);
    });

    it("refuses a list at the top level", () => {
      const file = folder.write("configuration-dev.yml", "- alpha", "- beta");
      const error = errorOf(load);
      assert.ok(error.message.includes(file) && /mapping/.test(error.message) && /a list/.test(error.message), error.message);
    });

    it("refuses a single value at the top level, without printing it", () => {
      folder.write("configuration-dev.yml", "just-some-FkText");
      const error = errorOf(load);
      assert.match(error.message, /mapping/);
      assert.ok(!error.message.includes("FkText"), error.message);
    });

    it("refuses several YAML documents in one file", () => {
      folder.write("configuration-dev.yml", "a: 1", "---", "b: 2");
      assert.match(errorOf(load).message, /2 YAML documents/);
    });

    it("takes a file with only comments as an empty mapping", () => {
      folder.write("configuration.yml", "a: 1");
      folder.write("configuration-dev.yml", "# nothing differs in DEV");
      assert.deepEqual(load().values, { a: 1 });
    });

    it("resolves YAML core types and merge keys", () => {
      folder.write(
        "configuration-dev.yml",
        "defaults: &defaults",
        "  alpha: 0.5",
        "  early_stop: true",
        "run:",
        "  <<: *defaults",
        "  alpha: 0.1",
        "label: 'true'",
        "version: 2.0",
        "count: 0x10",
        "nothing: ~",
      );
      assert.deepEqual(load().values, {
        defaults: { alpha: 0.5, early_stop: true },
        run: { alpha: 0.1, early_stop: true },
        label: "true",
        version: 2,
        count: 16,
        nothing: null,
      });
    });

    it("keeps a __proto__ key as a value, in the file and through the merge", () => {
      folder.write("configuration.yml", "__proto__: {polluted: 1}");
      folder.write("configuration-dev.yml", "__proto__: {other: 2}");
      const values = load().values;
      assert.deepEqual(Object.keys(values), ["__proto__"]);
      assert.equal(Object.getPrototypeOf(values), Object.prototype);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.deepEqual(Object.getOwnPropertyDescriptor(values, "__proto__")?.value, { polluted: 1, other: 2 });
    });
  });

  describe("secrets", () => {
    it("scans every file before merging and reports all their findings in one error", () => {
      const base = folder.write("configuration.yml", "model_name: m", `db_password: ${fakeSecrets.password}`);
      const dev = folder.write("configuration-dev.yml", "alpha: 1", "", `token: ${fakeSecrets.jwt}`);
      const error = errorOf(() => loadConfiguration({ directory: folder.directory, environment: "DEV" }));
      assert.ok(error instanceof ConfigurationSecretError);
      assert.deepEqual(
        error.findings.map((finding) => `${path.basename(finding.file)}:${finding.line} ${finding.key}`),
        ["configuration.yml:2 db_password", "configuration-dev.yml:3 token"],
      );
      assert.ok(error.message.includes(`${base}:2 key 'db_password': `), error.message);
      assert.ok(error.message.includes(`${dev}:3 key 'token': `), error.message);
      assert.ok(!error.message.includes(fakeSecrets.password) && !error.message.includes("FkJwtSignature"), error.message);
    });

    it("refuses a secret that only the base file holds, even when the environment overrides it", () => {
      folder.write("configuration.yml", `connection: "${fakeSecrets.connectionString}"`);
      folder.write("configuration-dev.yml", "connection: null");
      const error = errorOf(() => loadConfiguration({ directory: folder.directory, environment: "DEV" }));
      assert.ok(error instanceof ConfigurationSecretError);
    });
  });
});
