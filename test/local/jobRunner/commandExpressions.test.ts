import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { ExpressionValues, substituteCommand } from "../../../local/azure/services/machinelearning/jobRunner/commandExpressions";

/** What bash hands the program as arguments, one per line of the answer. */
function argumentsBashSees(command: string): string[] {
  const result = spawnSync("/bin/bash", ["-c", `set -- ${command}; for a in "$@"; do printf '%s\\0' "$a"; done`], { encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.split("\0").slice(0, -1);
}

const values: ExpressionValues = {
  inputs: {
    alpha: { kind: "literal", value: 0.5 },
    epochs: { kind: "literal", value: 3 },
    flag: { kind: "literal", value: true },
    data: { kind: "path", path: "/jobs/j1/wd/INPUT_data/diabetes.csv" },
    missing: undefined,
  },
  outputs: { model: "/jobs/j1/wd/model" },
};

describe("job command expressions", () => {
  it("puts literal values and local paths in place of ${{inputs.x}} and ${{outputs.y}}, spaces inside the braces allowed", () => {
    const command = substituteCommand(
      "python train.py --alpha ${{inputs.alpha}} --epochs ${{ inputs.epochs }} --flag ${{inputs.flag}} --data_path ${{inputs.data}} --model_dir ${{  outputs.model  }}",
      values,
    );
    assert.equal(command, "python train.py --alpha 0.5 --epochs 3 --flag true --data_path /jobs/j1/wd/INPUT_data/diabetes.csv --model_dir /jobs/j1/wd/model");
  });

  it("drops a $[[ … ]] segment whose optional input has no value and keeps the others without brackets", () => {
    const command = substituteCommand("python train.py $[[--extra ${{inputs.missing}}]] $[[--alpha ${{inputs.alpha}}]]", values);
    assert.equal(command, "python train.py  --alpha 0.5");
  });

  it("refuses an expression outside $[[ … ]] whose input has no value, naming it", () => {
    assert.throws(() => substituteCommand("python train.py --extra ${{inputs.missing}}", values), /\$\{\{inputs\.missing\}\}, which has no value/);
  });

  it("refuses an undeclared input or output and expressions a command job cannot use", () => {
    assert.throws(() => substituteCommand("echo ${{inputs.nope}}", values), /\$\{\{inputs\.nope\}\}, which the job does not declare/);
    assert.throws(() => substituteCommand("echo ${{outputs.nope}}", values), /\$\{\{outputs\.nope\}\}, which the job does not declare/);
    assert.throws(() => substituteCommand("echo ${{search_space.lr}}", values), /not one a command job can use/);
  });

  const hostile = ["a b", "$(touch /tmp/pwned)", "`id`", "x'; rm -rf / #", 'say "hi" \\ $HOME', "", "*", "line1\nline2", "--flag=; echo injected"];
  for (const text of hostile) {
    it(`passes the hostile literal ${JSON.stringify(text)} as exactly one argument, bare or inside quotes`, () => {
      const own: ExpressionValues = { inputs: { text: { kind: "literal", value: text } }, outputs: {} };
      assert.deepEqual(argumentsBashSees(substituteCommand("--name ${{inputs.text}} end", own)), ["--name", text, "end"]);
      assert.deepEqual(argumentsBashSees(substituteCommand('--name "${{inputs.text}}" end', own)), ["--name", text, "end"]);
      assert.deepEqual(argumentsBashSees(substituteCommand("--name '${{inputs.text}}' end", own)), ["--name", text, "end"]);
      assert.deepEqual(argumentsBashSees(substituteCommand('--name="pre ${{inputs.text}} post" end', own)), [`--name=pre ${text} post`, "end"]);
    });
  }

  it("quotes a data path with spaces so it stays one argument", () => {
    const own: ExpressionValues = { inputs: { data: { kind: "path", path: "/jobs/my job/INPUT_data" } }, outputs: {} };
    assert.deepEqual(argumentsBashSees(substituteCommand("--data ${{inputs.data}}", own)), ["--data", "/jobs/my job/INPUT_data"]);
  });
});
