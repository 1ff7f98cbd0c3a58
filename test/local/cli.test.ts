import assert from "node:assert/strict";
import { spawn, ChildProcess } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:https";
import { connect } from "node:net";
import { join } from "node:path";
import { temporaryStateDir } from "./support/localAzureFixture";
import type { LocalAzureConnection } from "../../local/azure";

const cliPath = join(__dirname, "..", "..", "local", "azure", "cli.js");

function getJson(url: string, ca: string, headers: Record<string, string>, method = "GET", body?: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const outgoing = request(url, { ca, headers: { ...headers, ...(payload ? { "Content-Type": "application/json" } : {}) }, method }, (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined }));
    });
    outgoing.on("error", reject);
    outgoing.end(payload);
  });
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

describe("local Azure: command line", function () {
  this.timeout(60000);
  const stateDir = temporaryStateDir("cli");
  let child: ChildProcess | undefined;

  after(async () => {
    if (child && child.exitCode === null) {
      child.kill("SIGKILL");
      await exited(child);
    }
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("runs in the foreground, writes connection.json, and stops itself and Azurite on SIGTERM", async () => {
    child = spawn(process.execPath, [cliPath, "--state-dir", stateDir, "--port", "0", "--quiet"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const connectionFile = join(stateDir, "connection.json");
    const deadline = Date.now() + 30000;
    while (!output.includes("Local Azure ready")) {
      assert.ok(Date.now() < deadline && child.exitCode === null, `the CLI did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(existsSync(connectionFile));
    const connection = JSON.parse(readFileSync(connectionFile, "utf8")) as LocalAzureConnection;
    assert.match(connection.armUrl, /^https:\/\/localhost:\d+$/);
    assert.equal(connection.pid, child.pid);
    const ca = readFileSync(connection.caCertPath ?? "", "utf8");
    const health = await getJson(`${connection.admin?.url}/health`, ca, { "x-local-azure-admin-token": connection.admin?.token ?? "" });
    assert.deepEqual(health, { status: 200, body: { status: "ok" } });
    const admin = { "x-local-azure-admin-token": connection.admin?.token ?? "" };
    const faults = { seed: 3, rules: [{ kind: "throttle", rate: 0.5, operationId: "StorageAccounts_Create" }] };
    const configured = await getJson(`${connection.admin?.url}/faults`, ca, admin, "PUT", faults);
    assert.deepEqual(configured, { status: 200, body: { rules: faults.rules, injected: {} } });
    assert.equal((await getJson(`${connection.admin?.url}/faults`, ca, {}, "PUT", faults)).status, 401, "the admin API wants its token");
    assert.deepEqual(await getJson(`${connection.admin?.url}/violations`, ca, admin), { status: 200, body: [] });
    const openId = await getJson(`${connection.authorityUrl}/${connection.tenantId}/v2.0/.well-known/openid-configuration`, ca, {});
    assert.equal(openId.status, 200);

    const armPort = Number(new URL(connection.armUrl).port);
    const azuritePort = Number(new URL(connection.storage?.azuriteUrl ?? "").port);
    assert.ok(await portAccepts(azuritePort), "Azurite listens while the local Azure runs");
    child.kill("SIGTERM");
    assert.equal(await exited(child), 0, output);
    assert.equal(await portAccepts(armPort), false, "ARM port closed");
    assert.equal(await portAccepts(azuritePort), false, "Azurite stopped with it");
  });
});
