import assert from "node:assert/strict";
import { Exchange } from "../../local/azure/http/exchange";
import { composeChain, newRequestContext, RequestHandler } from "../../local/azure/chain/requestChain";
import { FileUrlSigner } from "../../local/azure/services/machinelearning/dataplane/signedUrls";

const exchange = { method: "GET", path: "/x" } as unknown as Exchange;

describe("local Azure: the request chain", () => {
  it("runs handlers in the order composed, each around the ones after it", async () => {
    const steps: string[] = [];
    const step =
      (name: string): RequestHandler =>
      async (_context, next) => {
        steps.push(`${name} in`);
        await next();
        steps.push(`${name} out`);
      };
    const chain = composeChain([step("log"), step("fault"), step("auth")]);
    await chain(newRequestContext(exchange));
    assert.deepEqual(steps, ["log in", "fault in", "auth in", "auth out", "fault out", "log out"]);
  });

  it("stops at a handler that does not call next, and the outer ones still see its answer", async () => {
    let reached = false;
    let logged: number | undefined;
    const chain = composeChain([
      async (context, next) => {
        await next();
        logged = context.answer?.status;
      },
      (context) => {
        context.answer = { status: 429 };
        return Promise.resolve();
      },
      () => {
        reached = true;
        return Promise.resolve();
      },
    ]);
    await chain(newRequestContext(exchange));
    assert.equal(reached, false);
    assert.equal(logged, 429);
  });

  it("refuses a handler calling next twice", async () => {
    const chain = composeChain([
      async (_context, next) => {
        await next();
        await next();
      },
    ]);
    await assert.rejects(chain(newRequestContext(exchange)), /called next\(\) twice/);
  });
});

describe("local Azure: signed file URLs", () => {
  const signer = new FileUrlSigner("https://localhost:1");
  const checkOf = (url: string, now?: Date) => {
    const parsed = new URL(url);
    return signer.check(parsed.pathname, parsed.searchParams, now);
  };

  it("accepts its own URL until it expires, naming the path (with characters that need encoding)", () => {
    const url = signer.url("runs/r 1/logs/std_log.txt", new Date("2030-01-01T00:00:00Z"));
    assert.deepEqual(checkOf(url, new Date("2029-12-31T23:59:59Z")), { ok: true, path: "runs/r 1/logs/std_log.txt" });
    assert.deepEqual(checkOf(url, new Date("2030-01-01T00:00:00Z")), { ok: false, reason: "expired" });
  });

  it("refuses a URL signed with another key", () => {
    const other = new FileUrlSigner("https://localhost:1");
    assert.deepEqual(checkOf(other.url("a.txt", new Date(Date.now() + 60_000))), { ok: false, reason: "signature" });
  });
});
