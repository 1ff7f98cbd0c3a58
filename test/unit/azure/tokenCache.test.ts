import type { AccessToken, TokenCredential } from "@azure/core-auth";
import * as assert from "node:assert/strict";
import { CachingCredential, REFRESH_MARGIN_MS } from "../../../tasks/common/src/auth/tokenCache";

const HOUR = 3_600_000;
const ARM = "https://management.core.windows.net//.default";
const STORAGE = "https://storage.azure.com//.default";

/** A credential that counts its token exchanges and hands out numbered tokens of a given lifetime. */
class CountingCredential implements TokenCredential {
  readonly requests: string[][] = [];
  failNext = false;

  constructor(
    private readonly clock: { now: number },
    private readonly lifetimeMs = HOUR,
  ) {}

  async getToken(scopes: string | string[]): Promise<AccessToken> {
    await Promise.resolve();
    this.requests.push(Array.isArray(scopes) ? scopes : [scopes]);
    if (this.failNext) {
      this.failNext = false;
      throw new Error("Entra ID is unreachable");
    }
    return { token: `token-${this.requests.length}`, expiresOnTimestamp: this.clock.now + this.lifetimeMs };
  }
}

describe("CachingCredential: one token exchange per audience per run", () => {
  it("hands every caller of one audience the same token, and asks once per audience", async () => {
    const clock = { now: 1_000_000 };
    const inner = new CountingCredential(clock);
    const credential = new CachingCredential(inner, () => clock.now);

    const arm = await Promise.all([credential.getToken([ARM]), credential.getToken(ARM), credential.getToken([ARM])]);
    const storage = await credential.getToken([STORAGE]);

    assert.deepEqual(
      arm.map((token) => token?.token),
      ["token-1", "token-1", "token-1"],
      "concurrent callers share one exchange",
    );
    assert.equal(storage?.token, "token-2");
    assert.deepEqual(inner.requests, [[ARM], [STORAGE]]);
  });

  it("renews a token that nears expiry, so a wait longer than a token's life goes on with a fresh one", async () => {
    const clock = { now: 1_000_000 };
    const inner = new CountingCredential(clock);
    const credential = new CachingCredential(inner, () => clock.now);

    assert.equal((await credential.getToken(ARM))?.token, "token-1");
    clock.now += HOUR - REFRESH_MARGIN_MS - 1000;
    assert.equal((await credential.getToken(ARM))?.token, "token-1", "still well ahead of expiry: reused");
    clock.now += 2000;
    assert.equal((await credential.getToken(ARM))?.token, "token-2", "within the margin: renewed");
    clock.now += 2 * HOUR;
    assert.equal((await credential.getToken(ARM))?.token, "token-3", "expired: renewed");
    assert.equal(inner.requests.length, 3);
  });

  it("renews a short-lived token at half its life rather than on every call", async () => {
    const clock = { now: 1_000_000 };
    const inner = new CountingCredential(clock, 120_000);
    const credential = new CachingCredential(inner, () => clock.now);

    await credential.getToken(ARM);
    clock.now += 50_000;
    assert.equal((await credential.getToken(ARM))?.token, "token-1");
    clock.now += 15_000;
    assert.equal((await credential.getToken(ARM))?.token, "token-2");
  });

  it("renews when the token's own refreshAfterTimestamp has passed", async () => {
    const clock = { now: 1_000_000 };
    const inner: TokenCredential = {
      getToken: () => Promise.resolve({ token: `t-${clock.now}`, expiresOnTimestamp: clock.now + HOUR, refreshAfterTimestamp: clock.now + 60_000 }),
    };
    const credential = new CachingCredential(inner, () => clock.now);
    const first = await credential.getToken(ARM);
    clock.now += 61_000;
    assert.notEqual((await credential.getToken(ARM))?.token, first?.token);
  });

  it("keeps using a still-valid token when renewing it fails, and fails once the token is spent", async () => {
    const clock = { now: 1_000_000 };
    const inner = new CountingCredential(clock);
    const credential = new CachingCredential(inner, () => clock.now);
    await credential.getToken(ARM);

    clock.now += HOUR - 60_000;
    inner.failNext = true;
    assert.equal((await credential.getToken(ARM))?.token, "token-1", "a minute left: the old token still serves");
    assert.equal((await credential.getToken(ARM))?.token, "token-3", "renewal is tried again on the next call");

    clock.now += 2 * HOUR;
    inner.failNext = true;
    await assert.rejects(credential.getToken(ARM), /Entra ID is unreachable/);
  });

  it("passes a claims challenge straight through, uncached", async () => {
    const clock = { now: 1_000_000 };
    const inner = new CountingCredential(clock);
    const credential = new CachingCredential(inner, () => clock.now);
    await credential.getToken(ARM);
    assert.equal((await credential.getToken(ARM, { claims: '{"access_token":{}}' }))?.token, "token-2");
    assert.equal((await credential.getToken(ARM))?.token, "token-1");
  });
});
