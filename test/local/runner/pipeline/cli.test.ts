import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repositoryRoot } from "../../../../local/azure/paths";
import { parseArguments } from "../../../../local/runner/pipelineCli";
import { fixtures } from "./pipelineTestSupport";

const cli = path.join(repositoryRoot(), "out", "local", "runner", "pipelineCli.js");

function runCli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const sources = fs.mkdtempSync(path.join(os.tmpdir(), "pipeline-cli-sources-"));
  try {
    const result = spawnSync(process.execPath, [cli, ...args, "--sources", sources], { encoding: "utf8", timeout: 120_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    fs.rmSync(sources, { recursive: true, force: true });
  }
}

describe("pipeline runner: the command line (npm run pipeline)", () => {
  it("reads the file, repeated --stage/--var/--param, and the other options", () => {
    assert.deepEqual(
      parseArguments([
        "p.yml",
        "--stage",
        "Dev",
        "--stage",
        "Test",
        "--var",
        "A=1=2",
        "--param",
        "env=prod",
        "--group-file",
        "g.yml",
        "--connection-flavour",
        "certificate",
        "--keep",
      ]),
      {
        file: "p.yml",
        stages: ["Dev", "Test"],
        variables: { A: "1=2" },
        parameters: { env: "prod" },
        groupFile: "g.yml",
        connectionFlavour: "certificate",
        keepRunDirectory: true,
      },
    );
    assert.throws(() => parseArguments(["p.yml", "--var", "novalue"]), /--var needs NAME=VALUE, not 'novalue'/);
    assert.throws(() => parseArguments(["--stage", "Dev"]), /The pipeline file is required/);
    assert.throws(() => parseArguments(["p.yml", "--connection-flavour", "password"]), /--connection-flavour must be one of/);
    assert.throws(() => parseArguments(["a.yml", "b.yml"]), /One pipeline file at a time/);
    assert.deepEqual(parseArguments(["p.yml", "--connection-flavour", "sc-ws=workspaceScoped", "--scoped-workspace", "rg-dev/amldev"]), {
      file: "p.yml",
      stages: [],
      variables: {},
      parameters: {},
      connectionFlavours: { "sc-ws": "workspaceScoped" },
      scopedWorkspace: { resourceGroupName: "rg-dev", workspaceName: "amldev" },
    });
  });

  it("runs only the stages asked for, and exits 0 when the run succeeds", () => {
    const { status, stdout } = runCli(path.join(fixtures, "outputs.yml"), "--stage", "Produce");
    assert.equal(status, 0, stdout);
    assert.match(stdout, /══ Stage Produce/);
    assert.doesNotMatch(stdout, /══ Stage Use/);
    assert.match(stdout, /^Use +○ Skipped/m);
  });

  it("exits 1 when the run fails, 2 when the pipeline cannot run (with the reason and line)", () => {
    assert.equal(runCli(path.join(fixtures, "conditions.yml"), "--stage", "A").status, 1);
    const refused = runCli(path.join(fixtures, "parameters.yml"), "--param", "environment=qa");
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /The pipeline cannot run: .*the parameter 'environment' may only be 'dev', 'test', 'prod'/);
    assert.equal(refused.stdout, "");
    const noStage = runCli(path.join(fixtures, "outputs.yml"), "--stage", "Nope");
    assert.equal(noStage.status, 2);
    assert.match(noStage.stderr, /--stage Nope: the pipeline has no such stage \(it has Produce, Use\)/);
  });

  it("cancels on Ctrl+C (SIGINT): the running step and what it started stop, always() steps run, the exit status is 130", async () => {
    const sources = fs.mkdtempSync(path.join(os.tmpdir(), "pipeline-cli-sources-"));
    const child = spawn(process.execPath, [cli, path.join(fixtures, "cancel.yml"), "--sources", sources], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      let output = "";
      let background: number | undefined;
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        background ??= Number(/^background (\d+)$/m.exec(output)?.[1] ?? Number.NaN) || undefined;
        if (/^started$/m.test(output) && !child.killed) child.kill("SIGINT");
      });
      const status = await new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
      assert.equal(status, 130, output);
      assert.match(output, /SIGINT: canceling the run/);
      assert.match(output, /^ +Long +■ Canceled/m);
      assert.match(output, /■ The run was canceled/);
      assert.match(output, /^cleanup after cancel$/m);
      assert.ok(background, output);
      const gone = () => !fs.existsSync(`/proc/${background}`) || /^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${background}/stat`, "utf8"));
      for (let waited = 0; !gone() && waited < 5000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.ok(gone(), "the step's background process is gone");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      fs.rmSync(sources, { recursive: true, force: true });
    }
  });
});
