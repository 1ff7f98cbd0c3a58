import assert from "node:assert/strict";
import { LocalAzureFixture, startFixture, stopFixture } from "./support/localAzureFixture";
import { runClient } from "./support/runClient";
import type { IdentityFlavoursReport } from "./clients/identityFlavours";
import type { TokenLifetimeReport } from "./clients/tokenLifetime";

const tokenLifetimeSeconds = 3;

describe("local Azure: identity", function () {
  this.timeout(120000);
  let fixture: LocalAzureFixture | undefined;

  before(async () => {
    fixture = await startFixture("identity", { tokenLifetimeSeconds });
  });

  after(async () => {
    const violations = fixture?.localAzure.violations() ?? [];
    await stopFixture(fixture);
    assert.deepEqual(violations, [], "the emulator's responses must all match the swagger");
  });

  it("issues tokens to every flavour of credential @azure/identity offers a pipeline, and ARM accepts them", async () => {
    const report = await runClient<IdentityFlavoursReport>(fixture!.localAzure, "identityFlavours");
    for (const [flavour, result] of Object.entries(report.flavours)) {
      assert.ok(result.ok, `${flavour}: ${JSON.stringify(result)}`);
      assert.ok(result.value.tokenLifetimeSeconds <= tokenLifetimeSeconds, `${flavour} token lives ${result.value.tokenLifetimeSeconds}s`);
    }
    assert.deepEqual(Object.keys(report.flavours).sort(), [
      "clientCertificate",
      "clientSecret",
      "managedIdentityAppService",
      "managedIdentityImds",
      "workloadIdentityFederation",
    ]);
  });

  it("refuses wrong credentials as Entra ID does", async () => {
    const { refusals } = await runClient<IdentityFlavoursReport>(fixture!.localAzure, "identityFlavours");
    const expectations: Record<string, RegExp> = {
      wrongSecret: /AADSTS7000215: Invalid client secret provided/,
      unknownApplication: /AADSTS700016: Application with identifier '00000000-0000-0000-0000-000000000000' was not found/,
      // MSAL reports the failed OpenID discovery (400 AADSTS90002) as an endpoint resolution error, as it does against Entra.
      unknownTenant: /endpoints_resolution_error/,
      certificateNotRegistered: /AADSTS700027: The certificate with identifier used to sign the client assertion is not registered/,
      wrongServiceConnection: /Service connection '11111111-1111-1111-1111-111111111111' was not found/,
    };
    for (const [name, pattern] of Object.entries(expectations)) {
      const refusal = refusals[name];
      assert.equal(refusal.ok, false, `${name} should fail`);
      if (!refusal.ok) assert.match(refusal.message, pattern, `${name}: ${refusal.message}`);
    }
  });

  it("expires tokens after their lifetime and answers ARM's 401s, while SDK clients renew theirs", async () => {
    const report = await runClient<TokenLifetimeReport>(fixture!.localAzure, "tokenLifetime", [String(tokenLifetimeSeconds)]);
    assert.equal(report.missingHeader.status, 401);
    assert.equal(report.missingHeader.code, "AuthenticationFailed");
    assert.match(report.missingHeader.wwwAuthenticate ?? "", /^Bearer authorization_uri="/);
    assert.equal(report.wrongAudience.status, 401);
    assert.equal(report.wrongAudience.code, "InvalidAuthenticationTokenAudience");
    assert.equal(report.expiredToken.status, 401);
    assert.equal(report.expiredToken.code, "ExpiredAuthenticationToken");
    assert.match(report.expiredToken.message ?? "", /^The access token expiry UTC time '.+' is earlier than current UTC time '.+'\.$/);
    for (const [scope, status] of Object.entries(report.scopeForms)) assert.equal(status, 200, `a token for ${scope}`);
    assert.ok(report.sdkBeforeExpiry.ok, JSON.stringify(report.sdkBeforeExpiry));
    assert.ok(report.sdkAfterExpiry.ok, JSON.stringify(report.sdkAfterExpiry));
  });
});
