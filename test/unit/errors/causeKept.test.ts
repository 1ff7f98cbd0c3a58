import * as assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { HttpClient } from "@azure/core-rest-pipeline";
import { readConnectionFile } from "../../../local/azure/connection/readConnectionFile";
import { writeConfigJson } from "../../../tasks/AzureMLWorkspace/src/configJson";
import { requestOidcToken } from "../../../tasks/common/src/auth/oidcToken";
import { readAgentHttpSettings } from "../../../tasks/common/src/http/agentHttpSettings";
import { loadTaskEnvironment, silenceTaskLib } from "../../support/taskLibEnvironment";

/*
 * An error re-thrown as one clear sentence keeps the error it replaces as its `cause`, so the
 * debug log (and a debugger) can still reach the original, while the message stays one sentence.
 */
function causeOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof Error, "an Error is thrown");
    assert.doesNotMatch(error.message, /\n/, "the message is one line");
    return error.cause;
  }
  assert.fail("nothing was thrown");
}

describe("errors re-thrown as a sentence keep their cause", () => {
  const folder = mkdtempSync(join(tmpdir(), "cause-kept-"));
  let restore: (() => void) | undefined;
  let unsilence: () => void;
  before(() => (unsilence = silenceTaskLib()));
  after(() => {
    unsilence();
    rmSync(folder, { recursive: true, force: true });
  });
  afterEach(() => {
    restore?.();
    restore = undefined;
  });

  it("an agent bypass list that is not JSON: the SyntaxError", () => {
    restore = loadTaskEnvironment({ AGENT_PROXYURL: "http://proxy:3128", AGENT_PROXYBYPASSLIST: "[not json" });
    assert.ok(causeOf(() => readAgentHttpSettings()) instanceof SyntaxError);
  });

  it("an agent CA file that cannot be read: the file system's ENOENT", () => {
    restore = loadTaskEnvironment({ AGENT_CAINFO: join(folder, "missing.pem") });
    assert.equal((causeOf(() => readAgentHttpSettings()) as NodeJS.ErrnoException).code, "ENOENT");
  });

  it("a config.json that cannot be written: the file system's error", () => {
    const aFile = join(folder, "a-file");
    writeFileSync(aFile, "");
    // The folder to create is a file: mkdir says EEXIST.
    const cause = causeOf(() => writeConfigJson(join(aFile, "config.json"), { subscriptionId: "s", resourceGroup: "g", name: "w" }));
    assert.equal((cause as NodeJS.ErrnoException).code, "EEXIST");
  });

  it("a connection.json that is not JSON: the SyntaxError", () => {
    const file = join(folder, "connection.json");
    writeFileSync(file, "{ not json");
    assert.ok(causeOf(() => readConnectionFile(file)) instanceof SyntaxError);
  });

  it("an OIDC token request that never reached Azure DevOps: the network error", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" });
    const client: HttpClient = { sendRequest: () => Promise.reject(refused) };
    const source = { requestUri: "https://dev.azure.test/org/_apis/oidc", accessToken: "job-token", serviceConnectionId: "sc-1" };
    await assert.rejects(requestOidcToken(source, client), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /ECONNREFUSED/);
      assert.equal(error.cause, refused);
      return true;
    });
  });
});
