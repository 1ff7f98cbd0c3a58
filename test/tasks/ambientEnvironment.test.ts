import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tl from "azure-pipelines-task-lib/task";
import { hostEnvironment } from "../../local/runner/agentEnvironment";
import { runTaskStep } from "../../local/runner/taskProcess";
import { readAgentHttpSettings } from "../../tasks/common/src/http/agentHttpSettings";
import { readWorkspaceSettings } from "../../tasks/AzureMLWorkspace/src/settings/workspaceSettings";
import { runMockTask } from "../support/mockTaskRun";
import { isTestControl } from "../support/processEnvironment";
import { loadTaskEnvironment, silenceTaskLib } from "../support/taskLibEnvironment";
import { connectionId, outputVariable, WorkspaceTaskBed } from "./AzureMLWorkspace/workspaceTaskBed";

/**
 * What the shell running the tests may hold when it is itself a pipeline agent, or a developer's
 * shell set up like one: every variable a task or task-lib reads (DESIGN §1, agent, system, build,
 * endpoint, input, secret, proxy and CA variables, the Azure SDK's own), each set to a value that
 * fails or misleads a task that sees it.
 */
const hostileAmbient: Record<string, string> = {
  ENVIRONMENT: "prod",
  LOCATION: "nowhere-land",
  NAMESPACE: "Hostile-NS",
  RESOURCE_GROUP: "rg/hostile",
  AMLWORKSPACE: "ws!",
  STORAGEACCOUNT: "z",
  KEYVAULT: "kv--hostile",
  APPINSIGHTS: "ai/hostile",
  LOGANALYTICS: "la1",
  CONTAINERREGISTRY: "cr-hostile",
  SERVICECONNECTION_RG: "hostile-connection",
  SERVICECONNECTION_WS: "hostile-connection",
  AGENT_PROXYURL: "http://127.0.0.1:9",
  AGENT_PROXYUSERNAME: "hostile",
  AGENT_PROXYBYPASSLIST: "[not json",
  AGENT_CAINFO: "/nonexistent/hostile-ca.pem",
  AGENT_TEMPDIRECTORY: "/nonexistent/agent-temp",
  SYSTEM_OIDCREQUESTURI: "https://example.invalid/oidc",
  SYSTEM_ACCESSTOKEN: "hostile-access-token",
  SYSTEM_DEFAULTWORKINGDIRECTORY: "/nonexistent/sources",
  SYSTEM_DEBUG: "true",
  BUILD_SOURCESDIRECTORY: "/nonexistent/sources",
  BUILD_BUILDID: "666",
  [`ENDPOINT_DATA_${connectionId}_MLWORKSPACENAME`]: "hostile-workspace",
  [`ENDPOINT_DATA_${connectionId}_RESOURCEGROUPNAME`]: "rg-hostile",
  [`ENDPOINT_DATA_${connectionId}_ENVIRONMENTAUTHORITYURL`]: "https://example.invalid/",
  ENDPOINT_URL_SYSTEMVSSCONNECTION: "https://example.invalid/",
  INPUT_WORKSPACENAME: "hostile-input",
  INPUT_COMPUTECLUSTERS: "- name: [unclosed",
  INPUT_TAGS: "no-equals-sign",
  INPUT_CREATERESOURCEGROUP: "not-a-boolean",
  SECRET_HOSTILE: "hostile-secret",
  VSTS_TASKVARIABLE_HOSTILE: "hostile",
  VSTS_PUBLIC_VARIABLES: '["Namespace"]',
  TASK_SKIPTELEMETRY: "true",
  NODE_EXTRA_CA_CERTS: "/nonexistent/extra-ca.pem",
  HTTPS_PROXY: "http://127.0.0.1:9",
  https_proxy: "http://127.0.0.1:9",
  HTTP_PROXY: "http://127.0.0.1:9",
  http_proxy: "http://127.0.0.1:9",
  NO_PROXY: "",
  no_proxy: "",
  AZURE_CLIENT_ID: "hostile-client",
  AZURE_TENANT_ID: "hostile-tenant",
  AZURE_AUTHORITY_HOST: "https://example.invalid/",
  IDENTITY_ENDPOINT: "http://127.0.0.1:9/identity",
  MSI_ENDPOINT: "http://127.0.0.1:9/msi",
};

/** Adds variables to this process's environment, as an agent's shell would hold them; returns the undo. */
function addToAmbient(values: Record<string, string>): () => void {
  const previous = new Map(Object.keys(values).map((name) => [name, process.env[name]]));
  Object.assign(process.env, values);
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Names a child was started with that neither the host's essentials nor the test gave it. */
function leaked(names: string[], given: Record<string, string>): string[] {
  const allowed = new Set([...Object.keys(hostEnvironment()), ...Object.keys(given)]);
  return names.filter((name) => !allowed.has(name));
}

describe("tests start from a clean environment, whatever the shell running them holds", function () {
  this.timeout(60_000);
  let restoreAmbient: () => void;
  let bed: WorkspaceTaskBed;
  let folder: string;

  beforeEach(() => {
    bed = WorkspaceTaskBed.create();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "ambient-environment-"));
    restoreAmbient = addToAmbient(hostileAmbient);
  });

  afterEach(() => {
    restoreAmbient();
    bed.remove();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it("the test process drops the caller's variables before any test file loads, so task-lib's start-up reads none of them", () => {
    const cleanStart = path.join(__dirname, "..", "support", "cleanTestProcess.js");
    const probe = `require(${JSON.stringify(require.resolve("azure-pipelines-task-lib/task"))}); process.stdout.write(JSON.stringify(process.env));`;
    const child = spawnSync(process.execPath, ["--require", cleanStart, "-e", probe], {
      cwd: folder,
      env: { ...process.env, E2E_CONNECTION_FILE: "/kept/connection.json" },
      encoding: "utf8",
    });
    assert.equal(child.status, 0, child.stderr);
    const seen = JSON.parse(child.stdout.slice(child.stdout.lastIndexOf("{"))) as Record<string, string>;
    assert.deepEqual(
      leaked(
        Object.keys(seen).filter((name) => !isTestControl(name)),
        { AGENT_TEMPDIRECTORY: "" },
      ),
      [],
    );
    assert.equal(seen.E2E_CONNECTION_FILE, "/kept/connection.json", "a variable that steers the tests was dropped");
    assert.ok(!fs.existsSync(path.join(folder, ".taskkey")), "task-lib wrote its vault key into the working directory");
  });

  it("a MockTestRunner task run sees only what its test gives it, and the caller's environment is back afterwards", async () => {
    const probe = path.join(folder, "printEnvironment.js");
    fs.writeFileSync(probe, "process.stdout.write(JSON.stringify(Object.keys(process.env)));\n");
    const given = { ONLY_THIS: "given by the test" };

    const runner = await runMockTask(probe, given);

    const names = JSON.parse(runner.stdout) as string[];
    assert.ok(names.includes("ONLY_THIS"), runner.stdout);
    assert.deepEqual(leaked(names, given), []);
    for (const [name, value] of Object.entries(hostileAmbient)) assert.equal(process.env[name], value, `${name} was not put back`);
  });

  it("the workspace task provisions DEV as its test says, not as the ambient NAMESPACE, STORAGEACCOUNT or inputs say", async () => {
    const runner = await bed.run();

    assert.ok(runner.succeeded, runner.stdout + runner.stderr);
    assert.equal(outputVariable(runner, "workspaceName"), "amlmlopsdev01");
    assert.ok(runner.stdout.includes("Storage account 'samlopsdev01': created"), runner.stdout);
    assert.doesNotMatch(runner.stdout + runner.stderr, /hostile|Ignoring extra certs/i);
  });

  it("settings read in this process come from what the test loads, not from the ambient variables", () => {
    const unsilence = silenceTaskLib();
    const environment = bed.environment();
    const inputs = JSON.parse(environment.WORKSPACE_INPUTS) as Record<string, string>;
    const restore = loadTaskEnvironment({
      ...environment,
      ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
    });
    try {
      const settings = readWorkspaceSettings();
      assert.equal(settings.workspace.name, "amlmlopsdev01");
      assert.equal(settings.environment.resourceGroup.value, "rg-mlops-dev");
      assert.equal(settings.dependencies.storageAccount.name, "samlopsdev01");
      assert.equal(settings.createResourceGroup, false);
      assert.deepEqual(settings.tags, {});
      assert.deepEqual(readAgentHttpSettings(), {});
      assert.equal(tl.getVariable("System.OidcRequestUri"), undefined);
    } finally {
      restore();
      unsilence();
    }
    assert.equal(process.env.NAMESPACE, hostileAmbient.NAMESPACE, "the caller's environment was not put back");
  });

  it("the local runner starts a task with the agent environment it builds, not the caller's", async () => {
    fs.writeFileSync(
      path.join(folder, "task.json"),
      JSON.stringify({ inputs: [{ name: "message", type: "string" }], execution: { Node20_1: { target: "main.js" } } }),
    );
    fs.writeFileSync(path.join(folder, "main.js"), "console.log('ENVIRONMENT ' + JSON.stringify(process.env));\n");

    const result = await runTaskStep({
      taskDirectory: folder,
      inputs: { message: "hello" },
      variables: { "System.DefaultWorkingDirectory": folder, Namespace: "mlopsdev01" },
      endpoints: [],
      environment: { STEP_ONLY: "yes" },
    });

    const line = result.log.split("\n").find((text) => text.startsWith("ENVIRONMENT "));
    assert.ok(line, result.log);
    const seen = JSON.parse(line.slice("ENVIRONMENT ".length)) as Record<string, string>;
    const built = { INPUT_MESSAGE: "hello", SYSTEM_DEFAULTWORKINGDIRECTORY: folder, NAMESPACE: "mlopsdev01", STEP_ONLY: "yes" };
    assert.deepEqual(leaked(Object.keys(seen), built), []);
    for (const [name, value] of Object.entries(built)) assert.equal(seen[name], value, name);
  });
});
