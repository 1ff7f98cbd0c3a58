import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** Where signed file URLs are served, under the local Azure's base URL. */
export const signedFilePathPrefix = "/azureml/files/";

export type SignatureCheck = { ok: true; path: string } | { ok: false; reason: "missing" | "signature" | "expired" };

/**
 * Signs URLs for a run's files the way a storage SAS does: the path and an expiry (`se`) are
 * signed with an HMAC (`sig`), so the URL itself is the credential and no bearer token is asked
 * for. The key lives as long as the server: URLs do not survive a restart.
 */
export class FileUrlSigner {
  constructor(
    private readonly baseUrl: string,
    private readonly key: Buffer = randomBytes(32),
  ) {}

  private signature(path: string, expiresOn: string): Buffer {
    return createHmac("sha256", this.key).update(`${path}\n${expiresOn}`).digest();
  }

  /** A URL serving `path` (a RunStore file path, "/"-separated) until `expiresOn`. */
  url(path: string, expiresOn: Date): string {
    const expiry = expiresOn.toISOString();
    const encoded = path.split("/").map(encodeURIComponent).join("/");
    const query = new URLSearchParams({ se: expiry, sig: this.signature(path, expiry).toString("base64url") });
    return `${this.baseUrl}${signedFilePathPrefix}${encoded}?${query.toString()}`;
  }

  /** Whether a request for `requestPath` (as received, still encoded) carries a valid, unexpired signature. */
  check(requestPath: string, query: URLSearchParams, now: Date = new Date()): SignatureCheck {
    const expiry = query.get("se");
    const presented = query.get("sig");
    if (!requestPath.startsWith(signedFilePathPrefix) || !expiry || !presented) return { ok: false, reason: "missing" };
    let path: string;
    try {
      path = requestPath.slice(signedFilePathPrefix.length).split("/").map(decodeURIComponent).join("/");
    } catch {
      return { ok: false, reason: "signature" };
    }
    const expected = this.signature(path, expiry);
    const given = Buffer.from(presented, "base64url");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "signature" };
    const expiresAt = Date.parse(expiry);
    if (Number.isNaN(expiresAt) || expiresAt <= now.getTime()) return { ok: false, reason: "expired" };
    return { ok: true, path };
  }
}
