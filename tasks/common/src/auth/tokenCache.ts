import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";

/** When a cached token is replaced: this long before it expires, or at half its life if that is shorter. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** A token with less than this left is never handed out, even when renewing it failed. */
export const LAST_USE_MARGIN_MS = 30_000;

interface CachedToken {
  token: AccessToken;
  obtainedAtMs: number;
}

/**
 * A credential that asks its inner credential for a token once per set of scopes (one audience)
 * and hands the same token to every client until it nears expiry: the ARM clients, the Azure ML
 * data plane and blob storage of one run then share one token exchange per audience. A token is
 * renewed ahead of expiry (long waits for a training job outlive an hour's token); concurrent
 * callers share one renewal; if renewing fails while the old token is still good for a while,
 * the old one is used and renewal is tried again on the next call.
 */
export class CachingCredential implements TokenCredential {
  private readonly cache = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<AccessToken | null>>();

  constructor(
    readonly inner: TokenCredential,
    private readonly now: () => number = Date.now,
  ) {}

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    // A claims challenge (continuous access evaluation) asks for a token the cache cannot have.
    if (options?.claims) return this.inner.getToken(scopes, options);
    const key = cacheKey(scopes, options);
    const cached = this.cache.get(key);
    if (cached && !this.needsRenewal(cached)) return cached.token;
    try {
      return await this.renew(key, scopes, options);
    } catch (error) {
      if (cached && cached.token.expiresOnTimestamp - this.now() > LAST_USE_MARGIN_MS) return cached.token;
      throw error;
    }
  }

  private needsRenewal(cached: CachedToken): boolean {
    const { expiresOnTimestamp, refreshAfterTimestamp } = cached.token;
    const now = this.now();
    if (refreshAfterTimestamp !== undefined && now >= refreshAfterTimestamp) return true;
    const lifetime = expiresOnTimestamp - cached.obtainedAtMs;
    const margin = Math.min(REFRESH_MARGIN_MS, Math.max(lifetime / 2, 0));
    return expiresOnTimestamp - now <= margin;
  }

  private renew(key: string, scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    let renewal = this.pending.get(key);
    if (!renewal) {
      const obtainedAtMs = this.now();
      renewal = this.inner.getToken(scopes, options).then((token) => {
        if (token) this.cache.set(key, { token, obtainedAtMs });
        return token;
      });
      const forget = () => this.pending.delete(key);
      renewal.then(forget, forget);
      this.pending.set(key, renewal);
    }
    return renewal;
  }
}

function cacheKey(scopes: string | string[], options?: GetTokenOptions): string {
  const list = (Array.isArray(scopes) ? [...scopes] : [scopes]).sort();
  return JSON.stringify([options?.tenantId ?? "", list]);
}
