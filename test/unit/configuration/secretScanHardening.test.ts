import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { ConfigurationSecretError, loadConfiguration, SecretFinding } from "../../../tasks/common/src/configuration";
import { LocatedMapping, LocatedNode } from "../../../tasks/common/src/configuration/locatedYaml";
import { keyWords, secretTermInKey } from "../../../tasks/common/src/configuration/secretKeyNames";
import { scanForSecrets } from "../../../tasks/common/src/configuration/secretScan";
import { secretShapesOf } from "../../../tasks/common/src/configuration/secretValues";
import { ConfigurationFolder, fakeSecrets } from "./configurationFixtures";

/*
 * Fake secrets of real shape, derived at run time from a hash so that they are the same on every
 * run and no secret-shaped literal sits in the repository.
 */
function bytes(seed: string): Buffer {
  return createHash("sha512").update(seed).digest();
}

function fromAlphabet(seed: string, alphabet: string, length: number): string {
  const source = Buffer.concat([bytes(seed), bytes(`${seed}+`)]);
  return Array.from(source.subarray(0, length), (byte) => alphabet[byte % alphabet.length]).join("");
}

const base62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** 64 random bytes in base64: 88 characters ending `==`, like a real storage account key. */
const storageKey = bytes("storage-key").toString("base64");
const unpaddedStorageKey = storageKey.slice(0, 86);
const classicPat = fromAlphabet("classic-pat", "abcdefghijklmnopqrstuvwxyz234567", 52);
const annotatedPat = `${fromAlphabet("annotated-pat", base62, 52)}JQQJ99${"A".repeat(18)}AZDO${fromAlphabet("checksum", base62, 4)}`;

function loadError(folder: ConfigurationFolder, ...lines: string[]): ConfigurationSecretError {
  folder.write("configuration-dev.yml", ...lines);
  try {
    loadConfiguration({ directory: folder.directory, environment: "DEV" });
  } catch (error) {
    if (error instanceof ConfigurationSecretError) return error;
    throw error;
  }
  assert.fail("expected a ConfigurationSecretError");
}

const scalar = (line: number, text: string): LocatedNode => ({ kind: "scalar", line, text, type: "text" });
const where = (findings: SecretFinding[]) => findings.map((finding) => `${finding.line} ${finding.key}`);

describe("secret scan hardening", () => {
  let folder: ConfigurationFolder;
  beforeEach(() => (folder = new ConfigurationFolder()));
  afterEach(() => folder.remove());

  describe("key names: any case, any separator, look-alike letters", () => {
    const secretKeys: [string, string][] = [
      ["PassWord", "password"],
      ["DB_PassWord", "password"],
      ["Pass_Word", "password"],
      ["pass-word", "password"],
      ["pass.word", "password"],
      ["pass word", "password"],
      ["PASSword", "password"],
      ["Pass_Words", "passwords"],
      ["dbpasswords", "password"],
      ["P_W_D", "pwd"],
      ["Cre_Ds", "creds"],
      ["Pass_Phrase", "passphrase"],
      ["Client_Sec_Ret", "secret"],
      ["Conn_ection_String", "connectionstring"],
      ["Storage_Account_KEY", "account key"],
      ["ACCOUNTkey", "accountkey"],
      ["p\u0430ssword", "password"], // Cyrillic а
      ["\u0420assword", "password"], // Cyrillic Р
      ["db_p\u0430ssw\u043erd", "password"], // Cyrillic а and о
      ["\u0455ecret", "secret"], // Cyrillic ѕ
      ["\u0430pi_k\u0435y", "api key"], // Cyrillic а and е
      ["passw\u03bfrd", "password"], // Greek ο
      ["\uff50\uff41\uff53\uff53\uff57\uff4f\uff52\uff44", "password"], // full width
      ["\uff21\uff30\uff29\uff3f\uff2b\uff25\uff39", "api key"], // full-width API_KEY
      ["\u1d18\u1d00ssword", "password"], // small capitals
      ["p\u00e4ssw\u00f6rd", "password"], // accents
      ["pass\u200bword", "password"], // zero-width space
      ["pass\u00adword", "password"], // soft hyphen
      ["CLIENT_SECRET", "secret"],
    ];
    for (const [key, term] of secretKeys) {
      it(`flags ${JSON.stringify(key)} (${term})`, () => assert.equal(secretTermInKey(key), term));
    }

    const harmlessKeys = [
      "password_secret_name",
      "storage_key_secret_name",
      "PassWord_Secret_Name",
      "DB_PassWord_Length",
      "p\u0430ssword_n\u0430me", // Cyrillic а, still a name of a secret
      "\uff53\uff45\uff43\uff52\uff45\uff54\uff3f\uff4e\uff41\uff4d\uff45", // full-width secret_name
      "Pass_Wordless",
      "Key_Word",
      "Token_Izer",
      "Mon_Key",
      "by_pass",
      "compat_level",
      "max_tokens",
    ];
    for (const key of harmlessKeys) {
      it(`does not flag ${JSON.stringify(key)}`, () => assert.equal(secretTermInKey(key), undefined));
    }

    it("splits a look-alike key into the Latin words it imitates", () => {
      assert.deepEqual(keyWords("DbР\u0430ssword"), ["db", "password"]);
    });

    it("refuses such keys in a file, at their line, and lets booleans through", () => {
      const error = loadError(
        folder,
        "model_name: m",
        "PassWord: x",
        "db:",
        "  DB_PassWord: y",
        "  Pass_Word: z",
        "  p\u0430ssword: w",
        "u\u0455e_\u0455as: true",
        "password_secret_name: kv-db-password",
      );
      assert.deepEqual(where(error.findings), ["2 PassWord", "4 db.DB_PassWord", "5 db.Pass_Word", "6 db.p\u0430ssword"]);
    });
  });

  describe("values: unpadded keys, secrets split over lines, secrets used as keys", () => {
    it("recognises a storage account key without its padding", () => {
      assert.ok(storageKey.endsWith("==") && !unpaddedStorageKey.includes("="));
      assert.deepEqual(secretShapesOf(unpaddedStorageKey), ["an Azure storage account key"]);
      assert.deepEqual(secretShapesOf(fakeSecrets.storageAccountKey.slice(0, 86)), ["an Azure storage account key"]);
      assert.deepEqual(secretShapesOf(`AccountName=sa;AccountKey=${unpaddedStorageKey}`), [
        "an Azure storage account key",
        "a connection string with a credential",
      ]);
    });

    for (const harmless of [
      "a".repeat(86),
      "data/" + "images".repeat(12) + "/trainset", // a path of words, 86 long
      "x".repeat(85) + "1",
      unpaddedStorageKey + "A", // 87: not a key's length
    ]) {
      it(`leaves the 86-ish run ${JSON.stringify(harmless.slice(0, 12))}… alone`, () => assert.deepEqual(secretShapesOf(harmless), []));
    }

    // [form, lines after `alpha: 1`, line where the value starts]
    const splitForms: [string, string[], number][] = [
      ["a folded block", ["key_material: >-", `  ${storageKey.slice(0, 44)}`, `  ${storageKey.slice(44)}`], 3],
      ["a literal block", ["key_material: |", `  ${storageKey.slice(0, 44)}`, `  ${storageKey.slice(44)}`], 3],
      ["a plain scalar", ["key_material:", `  ${unpaddedStorageKey.slice(0, 40)}`, `  ${unpaddedStorageKey.slice(40)}`], 3],
      ["a quoted scalar", [`key_material: '${storageKey.slice(0, 50)}`, `  ${storageKey.slice(50)}'`], 2],
      ["a folded block, in three", ["key_material: >", `  ${storageKey.slice(0, 30)}`, `  ${storageKey.slice(30, 60)}`, `  ${storageKey.slice(60)}`], 3],
    ];
    for (const [form, lines, line] of splitForms) {
      it(`recognises a key split over the lines of ${form}`, () => {
        const error = loadError(folder, "alpha: 1", ...lines);
        assert.deepEqual(
          error.findings.map((finding) => `${finding.line} ${finding.key}: ${finding.reason}`),
          [`${line} key_material: the value looks like an Azure storage account key`],
        );
      });
    }

    it("reads values and keys after YAML has decoded their escapes", () => {
      const error = loadError(folder, 'dsn: "Server=db;Pass\\u0077ord=FkPw"', '"https://ml:Fk\\x50ass@feed.example.com/": 1');
      assert.deepEqual(
        error.findings.map((finding) => `${finding.line} ${finding.key}: ${finding.reason}`),
        ["1 dsn: the value looks like a connection string with a credential", "2 <key 2 at line 2>: the key looks like a URL with a password in it"],
      );
    });

    it("recognises a JWT and a URL with a password split over lines", () => {
      const [header, payload, signature] = fakeSecrets.jwt.split(".");
      assert.deepEqual(secretShapesOf(`${header}.${payload}\n.${signature}`), ["a JSON Web Token"]);
      assert.deepEqual(secretShapesOf("https://ml-user:FkUrlPass\n@feed.example.com/simple"), ["a URL with a password in it"]);
    });

    it("does not glue prose back together", () => {
      for (const prose of [
        "Trains the diabetes regression model on 2 years of data and reports the rmse and r2 metrics",
        `ssh-ed25519 ${unpaddedStorageKey.slice(0, 68)} mlops-build`,
      ]) {
        assert.deepEqual(secretShapesOf(prose), [], prose);
      }
    });

    const valueShapes: [string, string, string][] = [
      ["a Service Bus SAS", "SharedAccessSignature sr=sb%3a%2f%2fns.servicebus.windows.net&sig=FkSig%3d&se=1893456000&skn=send", "a SAS token"],
      ["a SAS without its version", "se=2030-01-01&sp=r&sig=FkSig%3D", "a SAS token"],
      ["a Redis connection string", "cache.redis.cache.windows.net:6380,password=FkRedis,ssl=True", "a connection string with a credential"],
      ["a lower-case PEM header", "-----begin private key-----", "a PEM private key"],
      ["a classic Azure DevOps PAT", classicPat, "an Azure DevOps personal access token"],
      ["a new Azure DevOps PAT", annotatedPat, "an Azure DevOps personal access token"],
      ["another annotated Azure key", annotatedPat.slice(0, 76) + "AZSE" + annotatedPat.slice(80), "an Azure access key"],
      ["a GitHub token", `ghp_${fromAlphabet("github", base62, 36)}`, "a GitHub or Hugging Face token"],
      ["a Hugging Face token", `hf_${fromAlphabet("hf", base62.slice(0, 52), 34)}`, "a GitHub or Hugging Face token"],
    ];
    for (const [what, value, shape] of valueShapes) {
      it(`recognises ${what}`, () => assert.deepEqual(secretShapesOf(value), [shape]));
    }

    for (const harmless of ["a".repeat(52), "x".repeat(84), "abcdefghijklmnopqrstuvwxyz".repeat(2), "hf_model_cache_directory", "ghp_short"]) {
      it(`leaves ${JSON.stringify(harmless.slice(0, 24))} alone`, () => assert.deepEqual(secretShapesOf(harmless), []));
    }

    const secretKeys: [string, string, string][] = [
      ["a connection string", fakeSecrets.connectionString, "the key looks like a connection string with a credential"],
      ["a URL with a password", fakeSecrets.urlWithPassword, "the key looks like a URL with a password in it"],
      ["a SAS", fakeSecrets.sasToken, "the key looks like a SAS token"],
      ["a storage account key", unpaddedStorageKey, "the key looks like an Azure storage account key"],
    ];
    for (const [what, key, reason] of secretKeys) {
      it(`recognises ${what} used as a mapping key`, () => {
        const error = loadError(folder, "feeds:", "  main: pypi", `  "${key}": 1`);
        assert.deepEqual(where(error.findings), ["3 feeds.<key 2 at line 3>"]);
        assert.ok(error.findings[0].reason.includes(reason), error.findings[0].reason);
      });
    }

    it("scans below a secret key, and inside a list or mapping used as a key", () => {
      const document: LocatedMapping = {
        kind: "mapping",
        line: 1,
        entries: [
          {
            key: { kind: "sequence", line: 1, items: [scalar(1, fakeSecrets.sqlConnectionString)] },
            value: scalar(1, "v"),
          },
          {
            key: scalar(2, fakeSecrets.urlWithPassword),
            value: { kind: "mapping", line: 3, entries: [{ key: scalar(3, "token"), value: scalar(3, "x") }] },
          },
        ],
      };
      assert.deepEqual(
        scanForSecrets("c.yml", document).map((finding) => `${finding.line} ${finding.key}: ${finding.reason}`),
        [
          "1 <key 1 at line 1>[0]: the value looks like a connection string with a credential",
          "2 <key 2 at line 2>: the key looks like a URL with a password in it",
          "3 <key 2 at line 2>.token: the key names a secret (token)",
        ],
      );
    });

    it("still reports a secret under an anchor once, where the anchor defines it", () => {
      const error = loadError(
        folder,
        "defaults: &defaults",
        `  connection: "${fakeSecrets.connectionString}"`,
        "dev:",
        "  <<: *defaults",
        "  other: *defaults",
      );
      assert.deepEqual(where(error.findings), ["2 defaults.connection"]);
    });
  });

  it("lets a realistic configuration through, folded prose, hashes and long ids included", () => {
    folder.write(
      "configuration-dev.yml",
      "description: >",
      "  Trains a ridge regression on the diabetes data set and registers",
      "  the model when its rmse beats the one in production.",
      "image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest",
      "environment: azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest",
      "base_model: sentence-transformers/all-MiniLM-L6-v2",
      "data_uri: azureml://subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-mlops-dev/workspaces/aml-mlops-dev/datastores/workspaceblobstore/paths/diabetes/2024/",
      "commit: 4b825dc642cb6eb9a060e54bf8d69288fbee4904",
      "checksum_sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "Pass_Word_Secret_Name: kv-db-password",
      "ConnectionString_SecretName: kv-conn",
      "compatibility_level: 3",
      "passthrough: true",
      "feature_columns: [age, sex, bmi, bp]",
      "notes: |",
      "  Keys and passwords live in Key Vault kv-mlops-dev; the scripts read them",
      "  with the compute's managed identity.",
    );
    loadConfiguration({ directory: folder.directory, environment: "DEV" });
  });

  describe("error text: file, line and a masked key path, never the secret", () => {
    /** The secret and the forms it could leak in. */
    function formsOf(secret: string): string[] {
      return [
        secret,
        encodeURIComponent(secret),
        encodeURI(secret),
        Buffer.from(secret).toString("base64"),
        Buffer.from(secret).toString("base64url"),
        JSON.stringify(secret).slice(1, -1),
      ];
    }

    function assertNowhere(error: ConfigurationSecretError, secrets: string[]): void {
      const shown = [error.message, JSON.stringify(error.findings), String(error.stack)].join("\n");
      for (const secret of secrets) {
        for (const form of formsOf(secret)) assert.ok(!shown.includes(form), `'${form}' shown in: ${shown}`);
      }
    }

    it("masks a URL with a password used as a key, naming the file and the line", () => {
      const file = folder.path("configuration-dev.yml");
      const error = loadError(folder, "alpha: 1", "feeds:", `  ${fakeSecrets.urlWithPassword}: true`);
      assert.ok(error.message.includes(`${file}:3 key 'feeds.<key 1 at line 3>': the key looks like a URL with a password in it`), error.message);
      assertNowhere(error, [fakeSecrets.urlWithPassword, "FkUrlPass", "ml-user:FkUrlPass"]);
    });

    it("masks a SAS used as a key, and every finding beneath it", () => {
      const error = loadError(folder, "containers:", `  "?${fakeSecrets.sasToken}":`, "    password: x", "    name: c");
      assert.deepEqual(where(error.findings), ["2 containers.<key 1 at line 2>", "3 containers.<key 1 at line 2>.password"]);
      assertNowhere(error, [fakeSecrets.sasToken, "FkSigQ2x1ZXNz%3D", "FkSigQ2x1ZXNz="]);
    });

    it("does not quote the word a masked key was flagged for, which is part of the key", () => {
      const key = "https://ml:FkUrlPassdbpassword@feed.example.com";
      const error = loadError(folder, `"${key}": 1`);
      assert.deepEqual(
        error.findings.map((finding) => `${finding.key}: ${finding.reason}`),
        ["<key 1 at line 1>: the key names a secret; the key looks like a URL with a password in it"],
      );
      assert.ok(!/passdbpassword/i.test(error.message), error.message);
      assertNowhere(error, [key]);
    });

    it("masks a long opaque token used as a key, even of no known shape", () => {
      const token = fromAlphabet("opaque", base62, 40);
      const error = loadError(folder, "users:", `  ${token}:`, "    password: x");
      assert.deepEqual(where(error.findings), ["3 users.<key 1 at line 2>.password"]);
      assertNowhere(error, [token]);
    });

    it("escapes line breaks and invisible characters in a key, so that it cannot forge a log line", () => {
      const error = loadError(folder, '"a\\n##vso[task.setvariable variable=x]y\\u200b": {password: x}');
      assert.deepEqual(where(error.findings), ["1 a\\u000a##vso[task.setvariable variable=x]y\\u200b.password"]);
      assert.ok(!error.message.includes("\n##vso"), error.message);
    });

    it("shortens a very long key", () => {
      const error = loadError(folder, `${"section-".repeat(40)}: {password: x}`);
      assert.equal(error.findings[0].key, `${"section-".repeat(10)}….password`);
    });
  });

  describe("mutations that survived every suite", () => {
    it("flags 'pat' and only through its own entry", () => {
      assert.equal(secretTermInKey("pat"), "pat");
      assert.equal(secretTermInKey("ado_pat"), "pat");
      assert.equal(secretTermInKey("PAT"), "pat");
      const error = loadError(folder, "pat: x");
      assert.deepEqual(
        error.findings.map((finding) => finding.reason),
        ["the key names a secret (pat)"],
      );
    });

    it("flags 'creds' and only through its own entry", () => {
      assert.equal(secretTermInKey("creds"), "creds");
      assert.equal(secretTermInKey("azure_creds"), "creds");
      assert.equal(secretTermInKey("AzureCreds"), "creds");
      const error = loadError(folder, "creds: x");
      assert.deepEqual(
        error.findings.map((finding) => finding.reason),
        ["the key names a secret (creds)"],
      );
    });

    it("flags 'SharedAccessSignature=' in a connection string with nothing else to give it away", () => {
      for (const value of [
        "BlobEndpoint=https://sa.blob.core.windows.net/;SharedAccessSignature=FkOpaqueSignature",
        "SharedAccessSignature=FkOpaqueSignature",
        "BlobEndpoint=https://sa.blob.core.windows.net/; sharedaccesssignature = FkOpaqueSignature",
      ]) {
        assert.deepEqual(secretShapesOf(value), ["a connection string with a credential"], value);
      }
      const error = loadError(folder, 'storage: "BlobEndpoint=https://sa.blob.core.windows.net/;SharedAccessSignature=FkOpaque"');
      assert.deepEqual(where(error.findings), ["1 storage"]);
    });
  });

  describe("long input", () => {
    // Safe by construction (no nested quantifiers); these only show that a megabyte of the
    // worst shapes for each pattern is scanned to the right answer.
    const megabyte = 1 << 20;
    const worstCases: [string, string][] = [
      ["one long base64 run", "Ab1/".repeat(megabyte / 4)],
      ["dotted segments", "abcd.".repeat(megabyte / 5)],
      ["colons after a scheme", "a://" + ":".repeat(megabyte)],
      ["many schemes", "ab://cd:".repeat(megabyte / 8)],
      ["separators", "; ,".repeat(megabyte / 3)],
      ["spaces", "x ".repeat(megabyte / 2)],
      ["long words", ("y".repeat(20) + " ").repeat(megabyte / 21)],
      ["SAS-like parameters", "sv=&".repeat(megabyte / 4)],
      ["lower-case base32", "abcdefg2 ".repeat(megabyte / 9)],
    ];
    for (const [what, text] of worstCases) {
      it(`scans a megabyte of ${what}`, () => assert.deepEqual(secretShapesOf(text), []));
    }

    it("reads a megabyte-long key name", () => {
      assert.equal(secretTermInKey("Ab_".repeat(megabyte / 3)), undefined);
      assert.equal(secretTermInKey("x".repeat(megabyte) + "_password"), "password");
    });

    it("scans a file whose key and value are a megabyte long, and shows the key shortened", () => {
      const inner: LocatedMapping = {
        kind: "mapping",
        line: 2,
        entries: [{ key: scalar(2, "password"), value: scalar(2, "Ab1/".repeat(megabyte / 4)) }],
      };
      const document: LocatedMapping = { kind: "mapping", line: 1, entries: [{ key: scalar(1, "k".repeat(megabyte)), value: inner }] };
      assert.deepEqual(
        scanForSecrets("c.yml", document).map((finding) => `${finding.line} ${finding.key}`),
        [`2 ${"k".repeat(80)}….password`],
      );
    });
  });
});
