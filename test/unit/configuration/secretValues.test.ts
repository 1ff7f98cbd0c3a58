import * as assert from "node:assert/strict";
import { secretShapesOf } from "../../../tasks/common/src/configuration/secretValues";
import { isReference } from "../../../tasks/common/src/configuration/valueReferences";
import { fakeSecrets } from "./configurationFixtures";

function jwtPart(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

describe("secret values", () => {
  const secretValues: [string, string, string][] = [
    ["a storage account key", fakeSecrets.storageAccountKey, "an Azure storage account key"],
    ["a SAS token", fakeSecrets.sasToken, "a SAS token"],
    ["a SAS URL", `https://sa.blob.core.windows.net/c/blob?${fakeSecrets.sasToken}`, "a SAS token"],
    ["a JWT", fakeSecrets.jwt, "a JSON Web Token"],
    ["a bearer header", `Bearer ${fakeSecrets.jwt}`, "a JSON Web Token"],
    ["a JWT without signature", `${jwtPart({ alg: "none" })}.${jwtPart({ sub: "x" })}.`, "a JSON Web Token"],
    [
      "an Event Hubs connection string",
      "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=abc=",
      "a connection string with a credential",
    ],
    ["a SQL connection string", fakeSecrets.sqlConnectionString, "a connection string with a credential"],
    [
      "a storage connection string without its key",
      "DefaultEndpointsProtocol=https;AccountName=sa;EndpointSuffix=core.windows.net",
      "a connection string with a credential",
    ],
    ["a PEM private key", `${fakeSecrets.pemHeader}\n${fakeSecrets.pemBody}\n${fakeSecrets.pemFooter}\n`, "a PEM private key"],
    ["an OpenSSH private key", "-----BEGIN " + "OPENSSH PRIVATE KEY-----\nb3Blbg==\n", "a PEM private key"],
    ["a URL with user and password", fakeSecrets.urlWithPassword, "a URL with a password in it"],
    ["a redis URL with a password only", "redis://:FkRedisPass@cache:6379/0", "a URL with a password in it"],
  ];
  for (const [what, value, shape] of secretValues) {
    it(`recognises ${what}`, () => assert.ok(secretShapesOf(value).includes(shape), JSON.stringify(secretShapesOf(value))));
  }

  it("names every shape a value has", () => {
    const connection = `DefaultEndpointsProtocol=https;AccountName=sa;AccountKey=${fakeSecrets.storageAccountKey};EndpointSuffix=core.windows.net`;
    assert.deepEqual(secretShapesOf(connection), ["an Azure storage account key", "a connection string with a credential"]);
  });

  const harmlessValues = [
    "diabetes-model",
    "0.5",
    "azureml://datastores/workspaceblobstore/paths/data/diabetes.csv",
    "https://sa.blob.core.windows.net/container/data.csv",
    "https://org@dev.azure.com/org/project/_git/repo",
    "http://localhost:8080/score",
    "git@github.com:org/repo.git",
    "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send",
    "sv=2022-11-02 is the storage service version",
    "model.v2.final",
    "aaaaaaaaaaaa.bbbbbbbbbbbbbbbb.cccccccccc",
    "A".repeat(86) + "=",
    "A".repeat(87) + "==",
    "-----BEGIN CERTIFICATE-----",
    "-----BEGIN PUBLIC KEY-----",
    "$(STORAGE_KEY)",
    "",
  ];
  for (const value of harmlessValues) {
    it(`leaves ${JSON.stringify(value.length > 50 ? value.slice(0, 20) + "…" : value)} alone`, () => assert.deepEqual(secretShapesOf(value), []));
  }

  describe("isReference", () => {
    for (const value of [
      "$(STORAGE_KEY)",
      " $(Build.SourceVersion) ",
      "$[variables.key]",
      "${{ variables.key }}",
      "${API_KEY}",
      "$API_KEY",
      "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x/)",
    ]) {
      it(`takes ${value} for a reference`, () => assert.equal(isReference(value), true));
    }
    for (const value of ["abc$(X)", "$(X)$(Y)x", "plain", "$", "$(", "100$"]) {
      it(`does not take ${value} for a reference`, () => assert.equal(isReference(value), false));
    }
  });
});
