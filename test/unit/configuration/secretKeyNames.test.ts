import * as assert from "node:assert/strict";
import { keyWords, secretTermInKey } from "../../../tasks/common/src/configuration/secretKeyNames";

describe("secret key names", () => {
  describe("keyWords", () => {
    const cases: [string, string[]][] = [
      ["storage_account_key", ["storage", "account", "key"]],
      ["storageAccountKey", ["storage", "account", "key"]],
      ["STORAGE-ACCOUNT.KEY", ["storage", "account", "key"]],
      ["APIKey", ["api", "key"]],
      ["clientSecret2", ["client", "secret"]],
      ["s3_bucket", ["s", "bucket"]],
      ["", []],
    ];
    for (const [key, words] of cases) {
      it(`splits ${JSON.stringify(key)}`, () => assert.deepEqual(keyWords(key), words));
    }
  });

  const secretKeys: [string, string][] = [
    ["password", "password"],
    ["Password", "password"],
    ["db_password", "password"],
    ["adminPassword", "password"],
    ["dbpassword", "dbpassword"],
    ["passwd", "passwd"],
    ["pwd", "pwd"],
    ["passphrase", "passphrase"],
    ["secret", "secret"],
    ["client_secret", "secret"],
    ["clientSecret", "secret"],
    ["clientsecret", "clientsecret"],
    ["client_secret_value", "secret"],
    ["secrets", "secrets"],
    ["token", "token"],
    ["my_service_token", "token"],
    ["access_token", "access token"],
    ["hf_token", "hf token"],
    ["github_token", "github token"],
    ["refresh_token_value", "refresh token"],
    ["api_key", "api key"],
    ["apiKey", "api key"],
    ["API_KEY", "api key"],
    ["apikey", "apikey"],
    ["key", "key"],
    ["keys", "keys"],
    ["account_key", "account key"],
    ["storage_account_key", "account key"],
    ["AccountKey", "account key"],
    ["storageaccountkey", "storageaccountkey"],
    ["access_key", "access key"],
    ["primary_key", "primary key"],
    ["sas_key", "sas"],
    ["storage_key", "storage key"],
    ["private_key", "private key"],
    ["ssh_key", "ssh key"],
    ["encryption_key", "encryption key"],
    ["connection_string", "connection string"],
    ["connectionString", "connection string"],
    ["connectionstring", "connectionstring"],
    ["ConnectionStrings", "connection strings"],
    ["sas", "sas"],
    ["sas_token", "sas"],
    ["sas_url", "sas"],
    ["credential", "credential"],
    ["credentials", "credentials"],
    ["azure_credentials", "credentials"],
    ["password_hash", "password"],
  ];
  for (const [key, term] of secretKeys) {
    it(`flags '${key}' (${term})`, () => assert.equal(secretTermInKey(key), term));
  }

  const harmlessKeys = [
    "tokenizer",
    "tokenizer_name",
    "keyword",
    "keywords",
    "monkey",
    "hotkey",
    "secretary",
    "passwordless",
    "primary_metric",
    "key_column",
    "model_key_metric",
    "sort_key",
    "partition_key",
    "key_vault_name",
    "keyvault",
    "max_tokens",
    "max_new_tokens",
    "num_tokens",
    "pad_token",
    "eos_token_id",
    "special_tokens",
    "tokens_per_batch",
    "secret_name",
    "storage_key_secret_name",
    "password_length",
    "token_expiry",
    "private_key_path",
    "credential_type",
    "token_url",
    "model_name",
    "alpha",
    "data_path",
    "",
  ];
  for (const key of harmlessKeys) {
    it(`does not flag '${key}'`, () => assert.equal(secretTermInKey(key), undefined));
  }
});
