import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readAgentHttpSettings } from "../../../tasks/common/src/http/agentHttpSettings";
import { createAgentSelector } from "../../../tasks/common/src/http/agentSelector";
import { bypassesProxy } from "../../../tasks/common/src/http/proxyBypass";
import { ProxyTunnelAgent } from "../../../tasks/common/src/http/proxyTunnelAgent";
import { captureTaskLibOutput, loadTaskEnvironment, maskedValues, silenceTaskLib } from "../../support/taskLibEnvironment";
import { TestCertificateAuthority } from "../../support/testCertificates";

describe("readAgentHttpSettings", () => {
  let restore: (() => void) | undefined;
  let unsilence: () => void;
  const folder = mkdtempSync(join(tmpdir(), "agent-ca-"));
  before(() => (unsilence = silenceTaskLib()));
  after(() => {
    unsilence();
    rmSync(folder, { recursive: true, force: true });
  });
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  it("reads the agent's proxy, bypass list and CA file, and masks the proxy password", async () => {
    const caPem = TestCertificateAuthority.create("Corporate CA").certificatePem;
    const caFile = join(folder, "ca.pem");
    writeFileSync(caFile, caPem);
    restore = loadTaskEnvironment({
      AGENT_PROXYURL: "http://proxy.corp.example:8080/",
      AGENT_PROXYUSERNAME: "build-agent",
      SECRET_AGENT_PROXYPASSWORD: "p@ss word",
      AGENT_PROXYBYPASSLIST: JSON.stringify(["\\.corp\\.example$", "^https://login\\.local$"]),
      AGENT_CAINFO: caFile,
    });

    const { result: settings, output } = await captureTaskLibOutput(() => readAgentHttpSettings());

    assert.deepEqual(settings, {
      proxy: {
        url: "http://proxy.corp.example:8080",
        username: "build-agent",
        password: "p@ss word",
        bypass: ["\\.corp\\.example$", "^https://login\\.local$"],
      },
      caFile,
      ca: caPem,
    });
    assert.deepEqual(maskedValues(output), ["p@ss word", "p%40ss%20word", "p%40ss+word"]);
  });

  it("takes credentials written into the proxy URL when the agent has no separate ones, and masks them", async () => {
    restore = loadTaskEnvironment({ AGENT_PROXYURL: "http://builder:s3cr%40t@proxy.corp.example:8080" });

    const { result: settings, output } = await captureTaskLibOutput(() => readAgentHttpSettings());

    assert.deepEqual(settings.proxy, { url: "http://proxy.corp.example:8080", username: "builder", password: "s3cr@t", bypass: [] });
    assert.deepEqual(maskedValues(output), ["s3cr@t", "s3cr%40t"]);
  });

  it("is empty when the agent has neither proxy nor CA", () => {
    restore = loadTaskEnvironment({});
    assert.deepEqual(readAgentHttpSettings(), {});
  });

  it("drops bypass patterns that are not regular expressions, as the agent does", () => {
    restore = loadTaskEnvironment({ AGENT_PROXYURL: "http://proxy:3128", AGENT_PROXYBYPASSLIST: JSON.stringify(["(unclosed", "ok\\.example"]) });
    assert.deepEqual(readAgentHttpSettings().proxy?.bypass, ["ok\\.example"]);
  });

  it("fails with one sentence on a bypass list that is not JSON, a proxy URL that is not http(s), or an unreadable CA file", () => {
    restore = loadTaskEnvironment({ AGENT_PROXYURL: "http://proxy:3128", AGENT_PROXYBYPASSLIST: "[not json" });
    assert.throws(() => readAgentHttpSettings(), /^Error: The agent's proxy bypass list \(Agent\.ProxyBypassList\) is not a JSON array of patterns: /);
    restore();

    restore = loadTaskEnvironment({ AGENT_PROXYURL: "socks5://builder:pw@proxy:1080" });
    assert.throws(() => readAgentHttpSettings(), {
      message: "The agent's proxy URL (Agent.ProxyUrl) 'socks5://***@proxy:1080' must start with http:// or https://.",
    });
    restore();

    const missing = join(folder, "missing.pem");
    restore = loadTaskEnvironment({ AGENT_CAINFO: missing });
    assert.throws(
      () => readAgentHttpSettings(),
      new RegExp(`^Error: The agent's CA certificate file \\(Agent\\.CAInfo\\) '${missing.replace(/[.\\/]/g, "\\$&")}' could not be read: ENOENT`),
    );
  });
});

describe("proxy routing", () => {
  it("bypasses the proxy for loopback and link-local hosts, as the agent does", () => {
    for (const url of [
      "https://127.0.0.1:8443/x",
      "https://localhost/",
      "http://blob.localhost:10000/",
      "https://[::1]:443/",
      "http://169.254.169.254/metadata",
    ]) {
      assert.ok(bypassesProxy(new URL(url), []), url);
    }
    assert.ok(!bypassesProxy(new URL("https://management.azure.com/subscriptions"), []));
  });

  it("matches bypass patterns case-insensitively against scheme://host[:port] (agent) and the whole URL (task-lib)", () => {
    assert.ok(bypassesProxy(new URL("https://ARM.Corp.Example/subscriptions"), ["\\.corp\\.example$"]));
    assert.ok(bypassesProxy(new URL("https://login.local:8443/tenant/oauth2"), ["^https://login\\.local:8443$"]));
    assert.ok(bypassesProxy(new URL("https://host.example/some/path"), ["/some/path"]));
    assert.ok(!bypassesProxy(new URL("https://management.azure.com/"), ["\\.corp\\.example$"]));
  });

  it("picks a tunnel through the proxy, a direct TLS agent, or a plain agent for each URL", () => {
    const ca = TestCertificateAuthority.create().certificatePem;
    const select = createAgentSelector({ ca, proxy: { url: "http://proxy:3128", bypass: ["\\.corp\\.example$"] } });

    const proxied = select(new URL("https://management.azure.com/"));
    const bypassed = select(new URL("https://arm.corp.example/"));
    const plain = select(new URL("http://127.0.0.1:10000/"));

    assert.ok(proxied instanceof ProxyTunnelAgent);
    assert.ok(bypassed instanceof https.Agent && !(bypassed instanceof ProxyTunnelAgent));
    assert.ok(plain instanceof http.Agent && !(plain instanceof https.Agent));
    for (const agent of [proxied, bypassed] as https.Agent[]) {
      const trusted = agent.options.ca;
      assert.ok(Array.isArray(trusted) && trusted.includes(ca), "the agent's CA is trusted");
      assert.ok(trusted.length > 100, "the public roots are still trusted");
    }
  });
});
