import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseLoggingCommand } from "../../../local/runner/loggingCommands";
import { runTaskStep } from "../../../local/runner/taskProcess";

describe("local runner: a task step as the agent runs it", () => {
  let taskDirectory: string;

  before(() => {
    taskDirectory = fs.mkdtempSync(path.join(os.tmpdir(), "runner-task-"));
    fs.writeFileSync(
      path.join(taskDirectory, "task.json"),
      JSON.stringify({
        inputs: [
          { name: "connection", aliases: ["azureSubscription"], type: "connectedService:AzureRM" },
          { name: "folder", type: "string", defaultValue: "$(System.DefaultWorkingDirectory)/out" },
          { name: "flag", type: "boolean", defaultValue: "false" },
        ],
        execution: { Node20_1: { target: "main.js" } },
      }),
    );
    fs.writeFileSync(
      path.join(taskDirectory, "main.js"),
      [
        "const env = process.env;",
        "console.log('##vso[task.setsecret]' + env.ENDPOINT_AUTH_PARAMETER_C1_SERVICEPRINCIPALKEY);",
        "console.log('##vso[task.setsecret]k%AZP25ey%3Bderived');",
        "console.log('derived k%ey;derived');",
        "console.log('inputs ' + env.INPUT_CONNECTION + ' ' + env.INPUT_FOLDER + ' ' + env.INPUT_FLAG);",
        "console.log('key is ' + env.ENDPOINT_AUTH_PARAMETER_C1_SERVICEPRINCIPALKEY + ', variable ' + env.MY_VAR);",
        "console.log('##vso[task.setvariable variable=answer;isOutput=true;issecret=false;]42%3B%AZP25');",
        "console.error('##vso[task.issue type=warning;]careful');",
        "console.log('##vso[task.complete result=SucceededWithIssues;]done');",
      ].join("\n"),
    );
  });

  after(() => fs.rmSync(taskDirectory, { recursive: true, force: true }));

  it("passes inputs through aliases over task.json defaults, expands macros, reads commands back and masks secrets", async () => {
    const lines: string[] = [];
    const result = await runTaskStep({
      taskDirectory,
      inputs: { azureSubscription: "c1" },
      variables: { "System.DefaultWorkingDirectory": taskDirectory, "My.Var": "plain" },
      endpoints: [{ id: "C1", url: "https://arm/", scheme: "ServicePrincipal", parameters: { serviceprincipalkey: "s3cret" }, data: {} }],
      onLine: (line) => lines.push(line),
    });
    assert.equal(result.result, "SucceededWithIssues");
    assert.equal(result.message, "done");
    assert.ok(lines.includes(`inputs c1 ${taskDirectory}/out false`), lines.join("\n"));
    assert.ok(lines.includes("key is ***, variable plain"), lines.join("\n"));
    assert.ok(!result.log.includes("s3cret"));
    // A secret registered in its escaped spelling is masked in that spelling too.
    assert.ok(lines.includes("derived ***"), lines.join("\n"));
    assert.ok(!result.log.includes("k%AZP25ey") && !result.log.includes("k%ey;derived"), result.log);
    assert.deepEqual(result.outputs, { answer: "42;%" });
    assert.deepEqual(result.warnings, ["careful"]);
  });

  it("refuses an input the task does not have", async () => {
    await assert.rejects(runTaskStep({ taskDirectory, inputs: { conection: "c1" }, variables: {}, endpoints: [] }), /The task has no input 'conection'/);
  });

  it("parses logging commands with their properties", () => {
    assert.deepEqual(parseLoggingCommand("##vso[task.setvariable variable=x;isOutput=true]a%0Ab"), {
      name: "task.setvariable",
      properties: { variable: "x", isoutput: "true" },
      data: "a\nb",
    });
    assert.equal(parseLoggingCommand("plain text"), undefined);
  });
});
