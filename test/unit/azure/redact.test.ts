import * as assert from "node:assert/strict";
import { maskSecret } from "../../../tasks/common/src/auth/secretMasking";
import { describeAzureError } from "../../../tasks/common/src/errors/azureError";
import { redactSecrets } from "../../../tasks/common/src/errors/redact";
import { silenceTaskLib } from "../../support/taskLibEnvironment";
import { createClientCertificate } from "../../support/testCertificates";

// A JWT shaped like Entra's (header.payload.signature, base64url); never a real token.
const JWT =
  [
    { typ: "JWT", alg: "RS256", kid: "k1" },
    { aud: "https://management.core.windows.net/", oid: "0000" },
  ]
    .map((part) => Buffer.from(JSON.stringify(part)).toString("base64url"))
    .join(".") + ".c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";

describe("redactSecrets", () => {
  let unsilence: () => void;
  before(() => {
    unsilence = silenceTaskLib();
  });
  after(() => unsilence());

  const cases: Array<[string, string, string]> = [
    [
      "an Authorization header line",
      "GET /x HTTP/1.1\nAuthorization: Bearer opaque-token-value-1\nHost: h",
      "GET /x HTTP/1.1\nAuthorization: Bearer ***\nHost: h",
    ],
    [
      "an Authorization header in a JSON dump",
      `{"headers":{"authorization":"Bearer opaque-token-value-2","accept":"*/*"}}`,
      `{"headers":{"authorization":"Bearer ***","accept":"*/*"}}`,
    ],
    [
      "an Authorization header in escaped JSON",
      String.raw`"{\"Authorization\":\"Bearer opaque-token-value-3\"}"`,
      String.raw`"{\"Authorization\":\"Bearer ***\"}"`,
    ],
    ["a Proxy-Authorization header", "proxy-authorization: Basic YnVpbGQ6cEBzcw==", "proxy-authorization: Basic ***"],
    ["an Authorization header without a scheme", "Authorization=SharedAccessSignature sr=x&sig=abc", "Authorization=SharedAccessSignature ***"],
    ["a bearer token in free text", "the gateway refused bearer opaque-token-value-4 for /subscriptions", "the gateway refused bearer *** for /subscriptions"],
    ["a JWT anywhere", `token ${JWT} was refused`, "token *** was refused"],
    [
      "client_secret and client_assertion form fields",
      "grant_type=client_credentials&client_secret=s3cr%40t&client_assertion=abc.def.ghi&client_assertion_type=urn:ietf",
      "grant_type=client_credentials&client_secret=***&client_assertion=***&client_assertion_type=urn:ietf",
    ],
    [
      "an OAuth assertion field",
      "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=xyz123",
      "grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=***",
    ],
    [
      "token fields of a JSON answer",
      `{"token_type":"Bearer","access_token":"at-1","refresh_token":"rt-1","id_token":"it-1","oidcToken":"ot-1"}`,
      `{"token_type":"Bearer","access_token":"***","refresh_token":"***","id_token":"***","oidcToken":"***"}`,
    ],
    [
      "storage keys in JSON",
      `{"keys":[{"keyName":"key1","value":"v","primaryKey":"pk=="}],"secondaryKey":"sk=="}`,
      `{"keys":[{"keyName":"key1","value":"v","primaryKey":"***"}],"secondaryKey":"***"}`,
    ],
    [
      "a SAS signature",
      "https://sa.blob.core.windows.net/c/b?sv=2022-11-02&sr=b&sig=AbC%2Bd%3D&se=2026",
      "https://sa.blob.core.windows.net/c/b?sv=2022-11-02&sr=b&sig=***&se=2026",
    ],
    [
      "a storage connection string",
      "DefaultEndpointsProtocol=https;AccountName=sa;AccountKey=a2V5a2V5a2V5==;EndpointSuffix=core.windows.net",
      "DefaultEndpointsProtocol=https;AccountName=sa;AccountKey=***;EndpointSuffix=core.windows.net",
    ],
    ["credentials in a URL", "cannot reach http://build:p%40ss@proxy.corp:8080/", "cannot reach http://***@proxy.corp:8080/"],
  ];
  for (const [what, text, expected] of cases) {
    it(`hides ${what}`, () => {
      assert.equal(redactSecrets(text), expected);
    });
  }

  it("removes a private key, whole or cut off, and keeps the certificate", () => {
    const { privateKeyPem, certificatePem } = createClientCertificate("redact-test");
    const whole = redactSecrets(`bad PEM: ${privateKeyPem}${certificatePem}`);
    assert.ok(
      !whole.includes("PRIVATE KEY") &&
        !privateKeyPem
          .split("\n")
          .slice(1, -2)
          .some((line) => whole.includes(line)),
      whole,
    );
    assert.ok(whole.includes("[private key removed]") && whole.includes("-----BEGIN CERTIFICATE-----"));
    const cut = redactSecrets(`bad PEM: ${privateKeyPem.slice(0, 200)}`);
    assert.equal(cut, "bad PEM: [private key removed]");
  });

  it("replaces every registered secret, in each spelling it was registered in", () => {
    maskSecret("pa ss/word+1", { base64: true });
    const text = `a pa ss/word+1 b pa%20ss%2Fword%2B1 c pa+ss%2Fword%2B1 d ${Buffer.from("pa ss/word+1").toString("base64")}`;
    assert.equal(redactSecrets(text), "a *** b *** c *** d ***");
  });

  it("finds a registered secret in an Azure message before its lines are joined and its spaces squeezed", () => {
    maskSecret("two  spaces\tand a tab 7c");
    const error = Object.assign(new Error("Bad request.\nThe value 'two  spaces\tand a tab 7c' is not valid."), { statusCode: 400 });
    assert.equal(describeAzureError("Creating key vault 'kv'", error), "Creating key vault 'kv' failed (HTTP 400): Bad request. The value '***' is not valid.");
  });

  it("leaves what is not a credential alone: Azure's own messages, ids, codes and links", () => {
    const texts = [
      "The client 'a1' with object id 'b2' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/write' over scope '/subscriptions/s'.",
      "Creating resource group 'rg' failed (AuthorizationFailed, HTTP 403): denied",
      "AADSTS7000215: Invalid client secret provided. Trace ID: 1 https://login.microsoftonline.com/error?code=7000215",
      "Service connection 'c' has no service principal key.",
      "https://ml.azure.com/?wsid=/subscriptions/s/resourcegroups/rg/workspaces/w&tid=t",
      "The token type is Bearer.",
    ];
    for (const text of texts) assert.equal(redactSecrets(text), text);
  });

  it("is applied by describeAzureError to what the service answered", () => {
    const echoed = Object.assign(new Error(`Upstream refused GET /subscriptions/s: {"authorization":"Bearer ${JWT}"}`), {
      statusCode: 502,
      code: "BadGateway",
    });
    assert.equal(
      describeAzureError("Reading resource group 'rg'", echoed),
      `Reading resource group 'rg' failed (BadGateway, HTTP 502): Upstream refused GET /subscriptions/s: {"authorization":"Bearer ***"}`,
    );
    const identity = Object.assign(
      new Error(`invalid_client: AADSTS700027: Client assertion failed. Request: client_id=c&client_assertion=${JWT}&grant_type=client_credentials`),
      {
        name: "AuthenticationError",
      },
    );
    assert.equal(
      describeAzureError("Reading workspace 'w'", identity),
      "Reading workspace 'w' failed: authentication failed: invalid_client: AADSTS700027: Client assertion failed. Request: client_id=c&client_assertion=***&grant_type=client_credentials",
    );
  });
});
