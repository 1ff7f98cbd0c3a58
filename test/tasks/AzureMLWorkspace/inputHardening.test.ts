import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Scenario, WorkspaceTaskBed } from "./workspaceTaskBed";

/*
 * What the task reads from the user (YAML, files, output paths, names, limits) refused in one
 * sentence before any Azure call, however hostile: a YAML bomb, a FIFO or /dev/zero as a file,
 * a path out of the job's folders, a name with a newline, numbers past what Azure takes.
 */

function yamlBomb(): string {
  const lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level < 9; level++)
    lines.push(
      `l${level}: &l${level} [${Array(9)
        .fill(`*l${level - 1}`)
        .join(",")}]`,
    );
  return lines.join("\n") + "\n";
}

// A control character a log line must never carry raw (tab and newline lay the log out).
const rawControl = /(?![\t\n])[\p{Cc}\u2028\u202e]/u;

/**
 * The log without task-lib's own debug lines: `getInput` and `getVariable` print `name=value`
 * there as they read, raw, before the task can judge the value (shown only with system.debug).
 */
function logOutsideTaskLibDebug(stdout: string): string {
  return stdout
    .split("\n")
    .filter((line) => !line.startsWith("##vso[task.debug]"))
    .join("\n");
}

interface BadInput {
  title: string;
  scenario: (job: WorkspaceTaskBed) => Scenario;
  message: RegExp;
  after?: (job: WorkspaceTaskBed) => void;
}

const clusters = "- name: cpu-cluster\n  max_instances: 2\n";

const badInputs: BadInput[] = [
  {
    title: "a YAML bomb in the environment's configuration file",
    scenario: (job) => (job.write("configuration/configuration-dev.yml", yamlBomb()), {}),
    message: /^The configuration file .*configuration-dev\.yml:\d+ is refused: its aliases \(\*name\) expand to more than 1,000,000 values/,
  },
  {
    title: "a YAML bomb in the compute clusters file",
    scenario: (job) => ({ inputs: { computeClustersFile: job.write("clusters.yml", yamlBomb()) } }),
    message: /^Compute clusters file '.*clusters\.yml' line \d+ is refused: its aliases \(\*name\) expand/,
  },
  {
    title: "a YAML bomb inline in computeClusters",
    scenario: () => ({ inputs: { computeClusters: yamlBomb() } }),
    message: /^Input 'computeClusters' line \d+ is refused: its aliases \(\*name\) expand/,
  },
  {
    title: "an alias that loops back into its own anchor, in the configuration file",
    scenario: (job) => (job.write("configuration/configuration-dev.yml", "model_name: m\nloop: &l\n  again: *l\n"), {}),
    message: /^The configuration file .*configuration-dev\.yml:3 is refused: the alias \*l points into its own anchor &l, a loop\.$/,
  },
  {
    title: "/dev/zero as the compute clusters file",
    scenario: () => ({ inputs: { computeClustersFile: "/dev/zero" } }),
    message: /^Input 'computeClustersFile': '\/dev\/zero' is a character device, not a file\.$/,
  },
  {
    title: "a FIFO as the compute clusters file",
    scenario: (job) => (execFileSync("mkfifo", [job.path("clusters.fifo")]), { inputs: { computeClustersFile: "clusters.fifo" } }),
    message: /^Input 'computeClustersFile': '.*clusters\.fifo' is a named pipe \(FIFO\), not a file\.$/,
  },
  {
    title: "a FIFO as the configuration file",
    scenario: (job) => (execFileSync("mkfifo", [job.path("config.fifo")]), { inputs: { configurationFile: "config.fifo" } }),
    message: /^Input 'configurationFile': '.*config\.fifo' is a named pipe \(FIFO\), not a file\.$/,
  },
  {
    title: "a folder as the compute clusters file",
    scenario: (job) => (fs.mkdirSync(job.path("clusters")), { inputs: { computeClustersFile: "clusters" } }),
    message: /^Input 'computeClustersFile': '.*clusters' is a folder, not a file\.$/,
  },
  {
    title: "a folder as the configuration file",
    scenario: (job) => (fs.mkdirSync(job.path("configuration")), { inputs: { configurationFile: "configuration" } }),
    message: /^Input 'configurationFile': '.*configuration' is a folder, not a file\.$/,
  },
  {
    title: "a folder named like the environment's configuration file",
    scenario: (job) => (fs.mkdirSync(job.path("configuration", "configuration-dev.yml"), { recursive: true }), {}),
    message: /^The configuration file for ENVIRONMENT 'DEV': '.*configuration-dev\.yml' is a folder, not a file\.$/,
  },
  {
    title: "a file as the configuration folder",
    scenario: (job) => (job.write("settings.yml", "a: 1\n"), { inputs: { configurationDirectory: "settings.yml" } }),
    message: /^Input 'configurationDirectory': '.*settings\.yml' is not a folder\.$/,
  },
  {
    title: "a configuration folder with a newline in its name",
    scenario: () => ({ inputs: { configurationDirectory: "conf\nig" } }),
    message: /^Input 'configurationDirectory': '.*conf\\nig' holds a control character/,
  },
  {
    title: "a compute clusters file with an escape sequence in its name",
    scenario: () => ({ inputs: { computeClustersFile: "clusters\u001b[2J.yml" } }),
    message: /^Input 'computeClustersFile': '.*clusters\\u001B\[2J\.yml' holds a control character/,
  },
  {
    title: "a config.json path that climbs out of the working folder",
    scenario: (job) => (
      fs.writeFileSync(path.join(path.dirname(job.workDir), `${path.basename(job.workDir)}-victim.json`), "keep"),
      {
        inputs: { writeConfigJson: "true", configJsonPath: `../${path.basename(job.workDir)}-victim.json` },
      }
    ),
    message:
      /^Input 'configJsonPath' is '\.\.\/.*-victim\.json', which resolves to '.*-victim\.json', outside the job's folders \(System\.DefaultWorkingDirectory/,
    after: (job) => {
      const victim = path.join(path.dirname(job.workDir), `${path.basename(job.workDir)}-victim.json`);
      assert.equal(fs.readFileSync(victim, "utf8"), "keep");
      fs.rmSync(victim);
    },
  },
  {
    title: "a config.json path whose folder is a file",
    scenario: (job) => (job.write("output", "x"), { inputs: { writeConfigJson: "true", configJsonPath: "output/config.json" } }),
    message: /^Input 'configJsonPath' is 'output\/config\.json', but '.*output' is a file, not a folder/,
  },
  {
    title: "a config.json path of 10,000 characters",
    scenario: () => ({ inputs: { writeConfigJson: "true", configJsonPath: "d/".repeat(5000) + "config.json" } }),
    message: /^Input 'configJsonPath' is 'd\/d\/[d/]{100,200}…[d/]*config\.json', a path of \d+ bytes once resolved; the system takes at most \d+\.$/,
  },
  {
    title: "a config.json path under /proc",
    scenario: () => ({ inputs: { writeConfigJson: "true", configJsonPath: "/proc/self/config.json" } }),
    message: /^Input 'configJsonPath' is '\/proc\/self\/config\.json', which is under \/proc, \/sys, \/dev/,
  },
  {
    title: "an Application Insights name with a newline",
    scenario: () => ({ inputs: { applicationInsights: "ai\ndev" } }),
    message: /^Input 'applicationInsights' gives 'ai\\ndev', which is not a valid Application Insights component name: .*control character/,
  },
  {
    title: "a NAMESPACE with an escape sequence",
    scenario: () => ({ variables: { NAMESPACE: "dev\u001b[2J01" } }),
    message: /NAMESPACE 'dev\\u001B\[2J01'\) gives 'amldev\\u001B\[2J01', which is not a valid Azure ML workspace name/,
  },
  {
    title: "a location with a newline inside",
    scenario: () => ({ inputs: { location: "West\nEurope" } }),
    message: /^Input 'location' gives 'west\\neurope', which is not a valid Azure region name/,
  },
  {
    title: "51 tags",
    scenario: () => ({ inputs: { tags: Array.from({ length: 51 }, (_, i) => `t${i}=v`).join("\n") } }),
    message: /^Input 'tags' gives more than 50 tags \(line 51\); Azure takes at most 50 per resource\.$/,
  },
  {
    title: "a tag name longer than a storage account takes",
    scenario: () => ({ inputs: { tags: `${"n".repeat(129)}=v` } }),
    message: /^Input 'tags' line 1: tag name 'n+' is longer than 128 characters/,
  },
  {
    title: "a tag value with a control character",
    scenario: () => ({ inputs: { tags: "team=ml\u0007" } }),
    message: /^Input 'tags' line 1: tag 'team' = 'ml\\u0007' holds a control character/,
  },
  {
    title: "a node count beyond int32",
    scenario: () => ({ inputs: { computeClusters: "- name: cpu-cluster\n  max_instances: 2147483648\n" } }),
    message: /'max_instances' must be a whole number of 0 or more, up to 2147483647, not '2147483648'\.$/,
  },
  {
    title: "an idle time of a trillion seconds",
    scenario: () => ({ inputs: { computeClusters: "- name: cpu-cluster\n  idle_time_before_scale_down: 1000000000000\n" } }),
    message: /'idle_time_before_scale_down' must be a whole number of 0 or more, up to 2147483647, not '1000000000000'\.$/,
  },
  {
    title: "a 17-character cluster name",
    scenario: () => ({ inputs: { computeClusters: "- name: gpu-cluster-a100x\n" } }),
    message: /'gpu-cluster-a100x' is not a valid compute cluster name: 2–16 letters/,
  },
];

describe("AzureMLWorkspace task: hostile inputs (MockTestRunner, in-memory Azure)", function () {
  this.timeout(60_000);
  let job: WorkspaceTaskBed;
  // No compute cluster unless a scenario gives one: each test here is about one input.
  beforeEach(() => (job = WorkspaceTaskBed.create({ computeClusters: "" })));
  afterEach(() => job.remove());

  describe("refused in one sentence, before any Azure call", () => {
    for (const badInput of badInputs) {
      it(`refuses ${badInput.title}`, async () => {
        const runner = await job.run(badInput.scenario(job));
        assert.ok(runner.failed, `expected failure\n${runner.stdout}`);
        assert.equal(runner.errorIssues.length, 1, runner.errorIssues.join("\n---\n"));
        const [failure] = runner.errorIssues;
        assert.match(failure, badInput.message, runner.stdout);
        assert.doesNotMatch(failure, /\n/, "the failure is one line");
        assert.doesNotMatch(logOutsideTaskLibDebug(runner.stdout), rawControl, "a raw control character reached the log");
        assert.deepEqual(job.calls(), [], "the task called Azure before checking its input");
        badInput.after?.(job);
      });
    }
  });

  describe("still takes what Azure takes", () => {
    it("provisions a cluster whose name is 16 characters long, in a region written as the portal shows it", async () => {
      const runner = await job.run({ inputs: { computeClusters: "- name: gpu-cluster-a100\n  max_instances: 2\n", location: "West Europe" } });
      assert.ok(runner.succeeded, runner.stdout + runner.stderr);
      assert.ok(runner.stdout.includes("Compute cluster 'gpu-cluster-a100': created"), runner.stdout);
    });

    it("reads clusters from a file next to 50 tags, and takes the agent's empty file input as not set", async () => {
      const tags = Array.from({ length: 50 }, (_, i) => `t${i}=${"v".repeat(256)}`).join("\n");
      const file = job.write("clusters.yml", clusters);
      const runner = await job.run({ inputs: { computeClustersFile: file, tags } });
      assert.ok(runner.succeeded, runner.stdout + runner.stderr);
      assert.ok(runner.stdout.includes("Compute cluster 'cpu-cluster': created"), runner.stdout);
      assert.equal(Object.keys(Object.values(job.state().workspaces)[0].tags ?? {}).length, 50);

      const unset = await job.run({ inputs: { computeClustersFile: job.workDir, computeClusters: "- name: gpu\n" } });
      assert.ok(unset.succeeded, unset.stdout + unset.stderr);
    });

    it("writes config.json into the agent's temp folder, and says where", async () => {
      const target = job.path("agent-temp", "azureml", "config.json");
      const runner = await job.run({ inputs: { writeConfigJson: "true", configJsonPath: target, computeClusters: clusters } });
      assert.ok(runner.succeeded, runner.stdout + runner.stderr);
      const written = JSON.parse(fs.readFileSync(target, "utf8")) as { workspace_name?: unknown };
      assert.equal(written.workspace_name, "amlmlopsdev01");
      assert.ok(runner.stdout.includes(`Wrote ${target}`), runner.stdout);
    });
  });
});
