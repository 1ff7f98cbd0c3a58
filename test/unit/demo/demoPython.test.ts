import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { hostEnvironment } from "../../../local/runner/agentEnvironment";

const demo = path.resolve(__dirname, "../../../local/demo/starterDemo.js");

/** A "Python" that answers the interpreter probe with its own path and has none of the modules asked for. */
function pythonWithout(folder: string): string {
  const file = path.join(folder, "python3");
  fs.writeFileSync(file, `#!/bin/sh\ncase "$2" in *sys.executable*) echo "${file}"; exit 1;; esac\nexit 1\n`, { mode: 0o755 });
  return file;
}

// The quick start must not get far on a machine without scikit-learn or Flask: it stops before
// starting anything, with the command that installs them.
describe("npm run demo without the Python it needs", function () {
  this.timeout(60_000);
  let folder: string;
  before(() => (folder = fs.mkdtempSync(path.join(os.tmpdir(), "demo-python-"))));
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  it("stops at once, naming what is missing and the command that installs it", () => {
    const python = pythonWithout(folder);
    const result = spawnSync(process.execPath, [demo], { env: { ...hostEnvironment(), LOCAL_AZURE_PYTHON: python }, encoding: "utf8", timeout: 50_000 });
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /cannot import sklearn, pandas, flask/);
    assert.match(result.stderr, /apt-get install -y python3-sklearn python3-pandas python3-flask gunicorn/);
    assert.doesNotMatch(result.stdout, /Starting the local Azure/, "nothing was started");
  });
});
