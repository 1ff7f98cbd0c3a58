import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { checkOutputFilePath, checkOutputFolderPath, OutputRoot } from "../../../tasks/common/src/files/outputPath";

describe("output paths", () => {
  let job: string;
  let roots: OutputRoot[];
  const source = "Input 'configJsonPath'";

  beforeEach(() => {
    job = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "output-path-")));
    fs.mkdirSync(path.join(job, "s"));
    fs.mkdirSync(path.join(job, "temp"));
    roots = [
      { variable: "System.DefaultWorkingDirectory", folder: path.join(job, "s") },
      { variable: "Agent.TempDirectory", folder: path.join(job, "temp") },
    ];
  });
  afterEach(() => fs.rmSync(job, { recursive: true, force: true }));

  const check = (value: string) => checkOutputFilePath({ value, source }, roots);

  function refusal(value: string): string {
    try {
      check(value);
    } catch (error) {
      assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
      assert.ok(error.message.startsWith(`Input 'configJsonPath' is `), error.message);
      assert.doesNotMatch(error.message, /\n/);
      return error.message;
    }
    assert.fail(`expected ${value.slice(0, 40)} to be refused`);
  }

  it("resolves a relative path against the working folder, folders to be made included", () => {
    assert.equal(check(".azureml/config.json"), path.join(job, "s", ".azureml", "config.json"));
    assert.equal(check(path.join(job, "temp", "a", "b", "config.json")), path.join(job, "temp", "a", "b", "config.json"));
  });

  it("takes an existing regular file, to be overwritten", () => {
    fs.writeFileSync(path.join(job, "s", "config.json"), "{}");
    assert.equal(check("config.json"), path.join(job, "s", "config.json"));
  });

  it("refuses a path that climbs out of the job's folders, and writes nothing", () => {
    fs.writeFileSync(path.join(job, "victim.txt"), "keep me");
    assert.match(
      refusal("../victim.txt"),
      /which resolves to '.*victim\.txt', outside the job's folders \(System\.DefaultWorkingDirectory '.*', Agent\.TempDirectory '.*'\)/,
    );
    assert.match(refusal("/etc/config.json"), /outside the job's folders/);
    assert.equal(fs.readFileSync(path.join(job, "victim.txt"), "utf8"), "keep me");
  });

  it("refuses a path that leaves through a symbolic link", () => {
    fs.symlinkSync(job, path.join(job, "s", "up"));
    assert.match(refusal("up/victim.txt"), /leads through a symbolic link to '.*victim\.txt', outside the job's folders/);
  });

  it("refuses a path under a file", () => {
    fs.writeFileSync(path.join(job, "s", "plain"), "x");
    assert.match(refusal("plain/more/config.json"), /but '.*plain' is a file, not a folder, so nothing can be written under it/);
  });

  it("refuses a path longer than the system takes, and a name longer than a file name may be", () => {
    assert.match(refusal("a/".repeat(5000) + "config.json"), /a path of \d+ bytes once resolved; the system takes at most \d+/);
    assert.match(refusal("x".repeat(256) + ".json"), /is 261 bytes long; the system takes at most 255 per name/);
    assert.ok(check("x".repeat(250) + ".json"));
  });

  it("refuses the kernel's folders even when a root lies there", () => {
    roots.unshift({ variable: "System.DefaultWorkingDirectory", folder: "/proc/self" });
    assert.match(refusal("/proc/self/config.json"), /which is under \/proc, \/sys, \/dev/);
    assert.match(refusal("/dev/null"), /which is under \/proc, \/sys, \/dev/);
  });

  it("refuses a folder, a named pipe and a symbolic link as the file to write", () => {
    assert.match(refusal("."), /^Input 'configJsonPath' is '\.', which is a folder; give the path of the file to write\.$/);
    execFileSync("mkfifo", [path.join(job, "s", "pipe")]);
    assert.match(refusal("pipe"), /which is not a regular file/);
    fs.writeFileSync(path.join(job, "s", "real.json"), "{}");
    fs.symlinkSync(path.join(job, "s", "real.json"), path.join(job, "s", "link.json"));
    assert.match(refusal("link.json"), /which is a symbolic link/);
  });

  it("refuses an empty path and one holding a control character, shown escaped", () => {
    assert.match(refusal("  "), /which is empty/);
    assert.match(refusal("config\n.json"), /^Input 'configJsonPath' is 'config\\n\.json', which holds a control character\.$/);
  });

  it("refuses a folder the agent's user cannot write to", function () {
    if (process.getuid?.() === 0) this.skip(); // root writes anywhere
    const locked = path.join(job, "s", "locked");
    fs.mkdirSync(locked, { mode: 0o500 });
    try {
      assert.match(refusal("locked/config.json"), /cannot be written to/);
    } finally {
      fs.chmodSync(locked, 0o700);
    }
  });

  describe("a folder to fill (a Docker build context)", () => {
    const folderSource = "Input 'contextPath'";
    const checkFolder = (value: string) => checkOutputFolderPath({ value, source: folderSource }, roots);

    function folderRefusal(value: string): string {
      try {
        checkFolder(value);
      } catch (error) {
        assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
        assert.ok(error.message.startsWith(`${folderSource} is `), error.message);
        return error.message;
      }
      assert.fail(`expected ${value} to be refused`);
    }

    it("takes a new folder, or an existing one (what is inside is the writer's to judge), inside the job's folders", () => {
      assert.equal(checkFolder("out/context"), path.join(job, "s", "out", "context"));
      fs.mkdirSync(path.join(job, "temp", "used"));
      fs.writeFileSync(path.join(job, "temp", "used", "Dockerfile"), "FROM x");
      assert.equal(checkFolder(path.join(job, "temp", "used")), path.join(job, "temp", "used"));
    });

    it("refuses a file, a link and a job folder itself", () => {
      fs.mkdirSync(path.join(job, "s", "old"));
      fs.writeFileSync(path.join(job, "s", "file"), "x");
      assert.match(folderRefusal("file"), /which is a file, not a folder\.$/);
      fs.symlinkSync(path.join(job, "s", "old"), path.join(job, "s", "link"));
      assert.match(folderRefusal("link"), /which is a symbolic link; give the path of a folder\.$/);
      assert.match(folderRefusal("."), /which is one of the job's own folders/);
    });

    it("refuses a folder outside the job's folders, or reached through a link that leaves them", () => {
      assert.match(folderRefusal("../../context"), /outside the job's folders/);
      fs.symlinkSync(os.tmpdir(), path.join(job, "s", "tmp"));
      assert.match(folderRefusal("tmp/context-out"), /which leads through a symbolic link to/);
      assert.match(folderRefusal(""), /which is empty: give the path of the folder to write\.$/);
    });
  });
});
