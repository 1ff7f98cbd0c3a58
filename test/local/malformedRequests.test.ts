import assert from "node:assert/strict";
import { connect as connectTcp } from "node:net";
import { LocalAzureFixture, startFixture, stopFixture } from "./support/localAzureFixture";
import { armError, armToken, rawRequest, requestHead, RawTarget, rawTarget } from "./support/rawHttps";

/**
 * No single request may stop the local Azure: each malformed request below gets ARM's error shape
 * and the server answers an ordinary authenticated request right after it. Requests are written
 * as raw bytes (node:tls, node:net), since a client library would refuse to send most of them.
 */
describe("local Azure: malformed requests", function () {
  this.timeout(120000);
  let fixture: LocalAzureFixture | undefined;
  let target: RawTarget;
  let token: string;
  let subscription: string;

  before(async () => {
    fixture = await startFixture("malformed");
    target = rawTarget(fixture.localAzure.connection);
    token = await armToken(target, fixture.localAzure.connection);
    subscription = `/subscriptions/${fixture.localAzure.connection.subscriptionId}`;
  });

  after(async () => {
    await stopFixture(fixture);
  });

  const authorized = () => ({ Authorization: `Bearer ${token}`, "Content-Type": "application/json" });

  /** The server still answers: a list of resource groups, authenticated, on a new connection. */
  async function stillServing(): Promise<void> {
    const response = await rawRequest(
      target,
      requestHead("GET", `${subscription}/resourcegroups?api-version=2024-03-01`, { Authorization: `Bearer ${token}` }),
    );
    assert.equal(response.status, 200, `the server no longer serves: ${response.status} ${response.text}`);
    assert.ok(Array.isArray((response.json as { value?: unknown }).value));
  }

  async function refusedWith(head: string, body: string | Buffer, status: number, code: string, message?: RegExp): Promise<void> {
    const response = await rawRequest(target, head, body);
    assert.equal(response.status, status, response.text.slice(0, 300));
    const error = armError(response);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    await stillServing();
  }

  describe("a request line or Host header that is not a valid URL", () => {
    it("answers 400 BadRequest to a Host header that is no host name", async () => {
      const head = `GET ${"/subscriptions/x/resourcegroups?api-version=2024-03-01"} HTTP/1.1\r\nHost: bad host\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`;
      await refusedWith(head, "", 400, "BadRequest", /Host header 'bad host'/);
    });

    it("answers 400 BadRequest to an HTTP/1.1 request without a Host header", async () => {
      await refusedWith(`GET /subscriptions HTTP/1.1\r\nConnection: close\r\n\r\n`, "", 400, "BadRequest", /no Host header/);
    });

    it("answers 400 BadRequest to the request target *", async () => {
      await refusedWith(requestHead("OPTIONS", "*"), "", 400, "BadRequest", /'\*'/);
      await refusedWith(requestHead("GET", "*", authorized()), "", 400, "BadRequest");
    });

    it("answers 400 BadRequest to an absolute URL naming another host, and serves one naming this server", async () => {
      await refusedWith(
        requestHead("GET", `https://evil.example${subscription}/resourcegroups?api-version=2024-03-01`, authorized()),
        "",
        400,
        "BadRequest",
        /evil\.example/,
      );
      const ours = await rawRequest(
        target,
        requestHead("GET", `https://localhost:${target.port}${subscription}/resourcegroups?api-version=2024-03-01`, authorized()),
      );
      assert.equal(ours.status, 200, ours.text);
    });

    it("answers 400 BadRequest to a request target that is neither a path nor an absolute URL", async () => {
      await refusedWith(requestHead("GET", "subscriptions", authorized()), "", 400, "BadRequest");
      await refusedWith(requestHead("GET", "https://[::1", authorized()), "", 400, "BadRequest");
    });

    it("answers 400 BadRequest to bytes that are not HTTP, and to an invalid Content-Length", async () => {
      await refusedWith(`GET / HTTP/1.1\r\nHost: localhost\r\nthis line is no header\r\n\r\n`, "", 400, "BadRequest");
      await refusedWith(
        `PUT ${subscription}/resourcegroups/rg?api-version=2024-03-01 HTTP/1.1\r\nHost: localhost\r\nContent-Length: twelve\r\n\r\n`,
        "",
        400,
        "BadRequest",
      );
    });

    it("answers 431 to request headers over Node's 16 KB limit", async () => {
      await refusedWith(
        requestHead("GET", `${subscription}/resourcegroups?api-version=2024-03-01`, { "x-padding": "p".repeat(20000) }),
        "",
        431,
        "RequestHeaderFieldsTooLarge",
      );
    });

    it("answers a path with broken percent-encoding in ARM's shape, authenticated or not", async () => {
      const anonymous = await rawRequest(target, requestHead("GET", `${subscription}/resourceGroups/%E0%A4%A?api-version=2024-03-01`));
      assert.equal(anonymous.status, 401);
      armError(anonymous);
      await refusedWith(requestHead("GET", `${subscription}/resourceGroups/%E0%A4%A?api-version=2024-03-01`, authorized()), "", 404, "NotFound");
    });

    it("survives plain HTTP sent to its TLS port", async () => {
      await new Promise<void>((resolve) => {
        const socket = connectTcp({ host: "127.0.0.1", port: target.port }, () => socket.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"));
        socket.on("data", () => undefined);
        socket.on("close", () => resolve());
        socket.on("error", () => resolve());
      });
      await stillServing();
    });

    it("answers unreadable Basic credentials at the token endpoint without failing", async () => {
      const connection = fixture!.localAzure.connection;
      const form = `grant_type=client_credentials&scope=${encodeURIComponent(connection.armScope)}`;
      const basic = Buffer.from("%ZZ:%ZZ").toString("base64");
      const response = await rawRequest(
        target,
        requestHead(
          "POST",
          `/${connection.tenantId}/oauth2/v2.0/token`,
          { "Content-Type": "application/x-www-form-urlencoded", Authorization: `Basic ${basic}` },
          form.length,
        ),
        form,
      );
      assert.equal(response.status, 400, response.text);
      assert.match(String((response.json as { error?: unknown }).error), /invalid_request/);
      await stillServing();
    });
  });

  describe("deeply nested JSON", () => {
    const deepArray = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

    it("answers 400 InvalidRequestContent to 100,000 levels of nesting", async () => {
      const body = deepArray(100000);
      await refusedWith(
        requestHead("PUT", `${subscription}/resourcegroups/rg-deep?api-version=2024-03-01`, authorized(), body.length),
        body,
        400,
        "InvalidRequestContent",
        /MaxDepth of 64/,
      );
    });

    it("answers 400 to 65 levels of objects, before any swagger check", async () => {
      let body = '"x"';
      for (let level = 0; level < 65; level++) body = `{"a":${body}}`;
      await refusedWith(
        requestHead("PUT", `${subscription}/resourcegroups/rg-deep?api-version=2024-03-01`, authorized(), body.length),
        body,
        400,
        "InvalidRequestContent",
        /MaxDepth of 64/,
      );
    });

    it("answers 401 to deep JSON without a token, still in ARM's shape", async () => {
      const body = deepArray(100000);
      await refusedWith(
        requestHead("PUT", `${subscription}/resourcegroups/rg-deep?api-version=2024-03-01`, { "Content-Type": "application/json" }, body.length),
        body,
        401,
        "AuthenticationFailed",
      );
    });

    it("does not count brackets inside strings as nesting", async () => {
      const body = JSON.stringify({ location: "westeurope", tags: { brackets: "[".repeat(200) } });
      const response = await rawRequest(
        target,
        requestHead("PUT", `${subscription}/resourcegroups/rg-brackets?api-version=2024-03-01`, authorized(), body.length),
        body,
      );
      assert.equal(response.status, 201, response.text);
    });
  });

  describe("request bodies over ARM's 4 MB", () => {
    const groupUrl = () => `${subscription}/resourcegroups/rg-large?api-version=2024-03-01`;

    it("answers 413 RequestContentTooLarge to a 60 MB body declared by Content-Length", async () => {
      const body = Buffer.alloc(60 * 1024 * 1024, 0x20);
      await refusedWith(requestHead("PUT", groupUrl(), authorized(), body.length), body, 413, "RequestContentTooLarge", /4 MB/);
    });

    it("answers 413 to a chunked body that grows past 4 MB", async () => {
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const chunked = Buffer.concat([
        ...Array.from({ length: 5 }, () => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")])),
        Buffer.from("0\r\n\r\n"),
      ]);
      await refusedWith(requestHead("PUT", groupUrl(), { ...authorized(), "Transfer-Encoding": "chunked" }), chunked, 413, "RequestContentTooLarge");
    });

    it("reads a body just under the limit, and judges its content", async () => {
      const body = JSON.stringify({ location: "westeurope", tags: { big: "x".repeat(4 * 1024 * 1024 - 100) } });
      assert.ok(body.length <= 4 * 1024 * 1024);
      await refusedWith(requestHead("PUT", groupUrl(), authorized(), body.length), body, 400, "InvalidTagValueLength");
    });
  });
});
