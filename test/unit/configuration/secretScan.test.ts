import * as assert from "node:assert/strict";
import { ConfigurationSecretError, loadConfiguration, SecretFinding } from "../../../tasks/common/src/configuration";
import { ConfigurationFolder, fakeSecrets } from "./configurationFixtures";

describe("secret scan", () => {
  let folder: ConfigurationFolder;
  beforeEach(() => (folder = new ConfigurationFolder()));
  afterEach(() => folder.remove());

  function findingsOf(...lines: string[]): { error: ConfigurationSecretError; findings: SecretFinding[] } {
    folder.write("configuration-dev.yml", ...lines);
    try {
      loadConfiguration({ directory: folder.directory, environment: "DEV" });
    } catch (error) {
      if (error instanceof ConfigurationSecretError) return { error, findings: error.findings };
      throw error;
    }
    assert.fail("expected a ConfigurationSecretError");
  }

  function passes(...lines: string[]): void {
    folder.write("configuration-dev.yml", ...lines);
    loadConfiguration({ directory: folder.directory, environment: "DEV" });
  }

  const where = (findings: SecretFinding[]) => findings.map((finding) => `${finding.line} ${finding.key}`);

  it("flags every kind of secret, at the right line of nested keys and list items", () => {
    const { findings } = findingsOf(
      /*  1 */ "model_name: diabetes",
      /*  2 */ "storage:",
      /*  3 */ "  account: samlops",
      /*  4 */ `  account_key: ${fakeSecrets.storageAccountKey}`,
      /*  5 */ "  containers:",
      /*  6 */ "    - name: data",
      /*  7 */ `      url: "https://sa.blob.core.windows.net/data?${fakeSecrets.sasToken}"`,
      /*  8 */ "    - name: models",
      /*  9 */ "auth:",
      /* 10 */ "  headers:",
      /* 11 */ `    - "Bearer ${fakeSecrets.jwt}"`,
      /* 12 */ "database:",
      /* 13 */ `  dsn: "${fakeSecrets.sqlConnectionString}"`,
      /* 14 */ "  tls_material: |",
      /* 15 */ `    ${fakeSecrets.pemHeader}`,
      /* 16 */ `    ${fakeSecrets.pemBody}`,
      /* 17 */ `    ${fakeSecrets.pemFooter}`,
      /* 18 */ "feeds:",
      /* 19 */ "  - https://pypi.org/simple",
      /* 20 */ `  - ${fakeSecrets.urlWithPassword}`,
      /* 21 */ `api_key: ${fakeSecrets.password}`,
    );
    assert.deepEqual(
      findings.map((finding) => `${finding.line} ${finding.key}: ${finding.reason}`),
      [
        "4 storage.account_key: the key names a secret (account key); the value looks like an Azure storage account key",
        "7 storage.containers[0].url: the value looks like a SAS token",
        "11 auth.headers[0]: the value looks like a JSON Web Token",
        "13 database.dsn: the value looks like a connection string with a credential",
        "15 database.tls_material: the value looks like a PEM private key",
        "20 feeds[1]: the value looks like a URL with a password in it",
        "21 api_key: the key names a secret (api key)",
      ],
    );
    assert.ok(findings.every((finding) => finding.file === folder.path("configuration-dev.yml")));
  });

  it("never shows a secret value, neither in the message nor in the findings", () => {
    const values = [
      fakeSecrets.storageAccountKey,
      fakeSecrets.sasToken,
      fakeSecrets.jwt,
      fakeSecrets.connectionString,
      fakeSecrets.pemBody,
      fakeSecrets.urlWithPassword,
      fakeSecrets.password,
    ];
    const { error, findings } = findingsOf(
      `a: ${fakeSecrets.storageAccountKey}`,
      `b: "${fakeSecrets.sasToken}"`,
      `c: ${fakeSecrets.jwt}`,
      `d: "${fakeSecrets.connectionString}"`,
      "e: |",
      `  ${fakeSecrets.pemHeader}`,
      `  ${fakeSecrets.pemBody}`,
      `f: ${fakeSecrets.urlWithPassword}`,
      `password: ${fakeSecrets.password}`,
    );
    assert.equal(findings.length, 7);
    const shown = error.message + JSON.stringify(findings) + String(error.stack);
    const fragments = ["Fk3QFk3Q", "FkSig", "FkJwtSignature", "FkUser", "FkConnKey", "FkPemBody", "FkUrlPass", "FkHunter2"];
    for (const text of [...values, ...fragments]) assert.ok(!shown.includes(text), `'${text}' shown in: ${shown}`);
  });

  it("writes each finding as file:line key 'name': reason", () => {
    const { error } = findingsOf("alpha: 1", "training:", "  inputs:", `    client_secret: ${fakeSecrets.password}`);
    assert.ok(
      error.message.includes(`${folder.path("configuration-dev.yml")}:4 key 'training.inputs.client_secret': the key names a secret (secret)`),
      error.message,
    );
    assert.match(error.message, /Key Vault/);
  });

  it("reports a secret-named key at the key's line when its value starts below it", () => {
    const { findings } = findingsOf("service:", "  password: >-", "    folded", "    text");
    assert.deepEqual(where(findings), ["2 service.password"]);
  });

  it("points at the line where a block value's content starts", () => {
    const { findings } = findingsOf("x: 1", "material: |", "", `  ${fakeSecrets.pemHeader}`, `  ${fakeSecrets.pemBody}`);
    assert.deepEqual(where(findings), ["4 material"]);
  });

  it("follows lines through flow mappings, flow lists and lists of mappings", () => {
    const { findings } = findingsOf(
      "endpoints: [{name: a, auth: {token: x}}, {name: b}]",
      "stages:",
      "  - name: train",
      "    env:",
      "      - name: A",
      `        value: "${fakeSecrets.connectionString}"`,
      "  - name: deploy",
      "    secrets: [one, two]",
    );
    assert.deepEqual(where(findings), ["1 endpoints[0].auth.token", "6 stages[0].env[0].value", "8 stages[1].secrets"]);
  });

  it("counts CRLF line endings", () => {
    folder.write("configuration-dev.yml", "a: 1\r\nb:\r\n  c: 2\r\n  password: x\r");
    try {
      loadConfiguration({ directory: folder.directory, environment: "DEV" });
      assert.fail("expected a ConfigurationSecretError");
    } catch (error) {
      assert.ok(error instanceof ConfigurationSecretError);
      assert.deepEqual(where(error.findings), ["4 b.password"]);
    }
  });

  describe("secret-named keys without a secret in them", () => {
    it("refuses them empty or null, so that no one fills them in", () => {
      const { findings } = findingsOf("password:", 'api_key: ""', "token: ~", "client_secret: null");
      assert.deepEqual(where(findings), ["1 password", "2 api_key", "3 token", "4 client_secret"]);
      for (const finding of findings) assert.match(finding.reason, /refused even empty/);
    });

    it("refuses them holding a reference, which would end up in the command line", () => {
      const { findings } = findingsOf(
        "storage_key: $(STORAGE_KEY)",
        "password: ${{ variables.dbPassword }}",
        "sas_token: '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/sas/)'",
      );
      assert.deepEqual(where(findings), ["1 storage_key", "2 password", "3 sas_token"]);
      for (const finding of findings) assert.match(finding.reason, /refused even as a reference/);
    });

    it("refuses them holding a mapping or a list", () => {
      const { findings } = findingsOf("credentials:", "  user: ml", "api_keys: [a, b]");
      assert.deepEqual(where(findings), ["1 credentials", "3 api_keys"]);
    });

    it("lets booleans through: they cannot carry a secret", () => {
      passes("use_sas: true", "password_auth: false", "token: !!bool true");
    });

    it("refuses numbers, which can be PINs or numeric passwords", () => {
      assert.deepEqual(where(findingsOf("password: 123456").findings), ["1 password"]);
    });
  });

  it("lets a realistic training configuration through", () => {
    passes(
      "model_name: diabetes-regression",
      "experiment_name: diabetes",
      "tokenizer: bert-base-uncased",
      "max_tokens: 512",
      "pad_token: '[PAD]'",
      "keywords: [health, regression]",
      "primary_metric: r2",
      "key_column: patient_id",
      "model_key_metric: rmse",
      "storage_key_secret_name: sa-key",
      "key_vault_name: kv-mlops-dev",
      "token_expiry: 3600",
      "data:",
      "  url: https://sa.blob.core.windows.net/data/diabetes.csv",
      "  feed: https://org@pkgs.dev.azure.com/org/_packaging/feed/pypi/simple/",
      "training:",
      "  alpha: 0.5",
      "  layers: [64, 32]",
      "  sort_key: date",
    );
  });
});
