import * as assert from "node:assert/strict";
import * as path from "node:path";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { readCommandJobFile } from "../../../tasks/AzureMLTrain/src/jobFile/commandJob";
import { YamlFolder } from "../azureml/yamlFixtures";

/*
 * A job file az ml would refuse, refused here in one sentence naming the input, the file, the
 * field and its line, before any Azure call. The sentence never repeats a value of the file.
 */

const base = "command: python train.py\nenvironment: azureml:env@latest\n";

function refusal(folder: YamlFolder, text: string, file = "jobs/job.yml"): string {
  const written = folder.write(file, text);
  try {
    readCommandJobFile(written, "jobFile");
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.doesNotMatch(error.message, /\n/, "one sentence, one line");
    return error.message;
  }
  assert.fail("the job file was accepted");
}

describe("readCommandJobFile refuses a bad job file in one sentence with file and line", () => {
  let folder: YamlFolder;
  let job: string;
  beforeEach(() => {
    folder = new YamlFolder();
    job = path.join(folder.root, "jobs", "job.yml");
  });
  afterEach(() => folder.remove());

  it("names a misspelt top-level field, its line, and the field meant", () => {
    assert.equal(
      refusal(folder, "command: python train.py\nenviroment: azureml:env@latest\n"),
      `Input 'jobFile': ${job}:2: field 'enviroment' is not a field of a command job; did you mean 'environment'?`,
    );
  });

  it("names a misspelt nested field by its dotted path", () => {
    const message = refusal(folder, `${base}inputs:\n  iris:\n    path: https://x.blob.core.windows.net/d/\n    mdoe: download\n`);
    assert.equal(message, `Input 'jobFile': ${job}:6: field 'inputs.iris.mdoe' is not a field of field 'inputs.iris'; did you mean 'mode'?`);
  });

  it("suggests across case and separators (displayName → display_name)", () => {
    assert.match(refusal(folder, `${base}displayName: x\n`), /:3: field 'displayName' .*did you mean 'display_name'\?$/);
  });

  it("lists the known fields when nothing is close", () => {
    assert.match(
      refusal(folder, `${base}resources:\n  zzzzzzzzzzzz: 1\n`),
      /field 'resources\.zzzzzzzzzzzz' .*\(known fields: instance_count, instance_type, /,
    );
  });

  it("refuses a missing command", () => {
    assert.equal(
      refusal(folder, "environment: azureml:env@latest\n"),
      `Input 'jobFile': ${job}:1: a command job needs the field 'command' (the command the job runs).`,
    );
  });

  it("refuses an empty command", () => {
    assert.match(refusal(folder, 'command: ""\nenvironment: azureml:env@latest\n'), /:1: field 'command' is empty\.$/);
  });

  it("refuses a missing environment", () => {
    assert.match(refusal(folder, "command: ls\n"), /needs the field 'environment'/);
  });

  it("refuses job types other than command", () => {
    assert.match(refusal(folder, `type: sweep\n${base}`), /:1: field 'type' is "sweep"; this task runs only command jobs/);
  });

  const wrongTypes: { title: string; text: string; message: RegExp }[] = [
    {
      title: "a command that is a list",
      text: "command: [a, b]\nenvironment: azureml:e@latest\n",
      message: /:1: field 'command' is a list; it must be text\.$/,
    },
    {
      title: "an instance count as text",
      text: `${base}resources:\n  instance_count: "2"\n`,
      message: /:4: field 'resources\.instance_count' is text; it must be a whole number\.$/,
    },
    { title: "an instance count of zero", text: `${base}resources:\n  instance_count: 0\n`, message: /instance_count' must be 1 or more\.$/ },
    { title: "a timeout as a duration", text: `${base}limits:\n  timeout: 1h\n`, message: /:4: field 'limits\.timeout' is text; it must be a whole number\.$/ },
    {
      title: "a tag that is a number",
      text: `${base}tags:\n  build: 42\n`,
      message: /:4: field 'tags\.build' is a whole number; it must be text \(put the value in quotes\)\.$/,
    },
    {
      title: "environment variables as a list",
      text: `${base}environment_variables:\n  - A=1\n`,
      message: /:3: field 'environment_variables' is a list; it must be a mapping of names to text\.$/,
    },
    {
      title: "an input mode not known",
      text: `${base}inputs:\n  d:\n    path: https://a.blob.core.windows.net/c/\n    mode: mount\n`,
      message: /field 'inputs\.d\.mode' is 'mount', which is not one of 'ro_mount', .*did you mean 'ro_mount'\?$/,
    },
    {
      title: "an input type not known",
      text: `${base}inputs:\n  d:\n    type: uri_flder\n    path: https://a.blob.core.windows.net/c/\n`,
      message: /did you mean 'uri_folder'\?$/,
    },
    { title: "an input that is a list", text: `${base}inputs:\n  d: [1, 2]\n`, message: /field 'inputs\.d' is a list; it must be a literal/ },
    { title: "shm_size without a unit", text: `${base}resources:\n  shm_size: "2"\n`, message: /shm_size' must be <number><unit>/ },
    { title: "an identity type not known", text: `${base}identity:\n  type: system\n`, message: /field 'identity\.type' is 'system', which is not one of/ },
    { title: "a distribution type not known", text: `${base}distribution:\n  type: horovod\n`, message: /field 'distribution\.type' is 'horovod'/ },
    {
      title: "a field of another distribution",
      text: `${base}distribution:\n  type: pytorch\n  worker_count: 2\n`,
      message: /field 'distribution\.worker_count' is not a field of field 'distribution'/,
    },
    { title: "a job name with a line break", text: `name: "a\\nb"\n${base}`, message: /:1: field 'name' holds a line break/ },
    { title: "a file that is a list", text: "- command: ls\n", message: /must hold a mapping of fields at its top level, but holds a list\.$/ },
    { title: "an empty file", text: "# nothing\n", message: /is empty; it must describe a command job\.$/ },
    { title: "two documents", text: `${base}---\n${base}`, message: /holds 2 YAML documents/ },
  ];
  for (const { title, text, message } of wrongTypes) {
    it(`refuses ${title}`, () => assert.match(refusal(folder, text), message));
  }

  it("refuses an inline environment with a name or version", () => {
    assert.match(
      refusal(folder, "command: ls\nenvironment:\n  name: my-env\n  image: python:3.11\n"),
      /:3: field 'environment\.name' is not allowed in an inline environment, which is anonymous/,
    );
    assert.match(refusal(folder, "command: ls\nenvironment:\n  image: python:3.11\n  version: 1\n"), /:4: field 'environment\.version' is not allowed/);
  });

  it("refuses an inline environment with neither or both of image and build", () => {
    assert.match(refusal(folder, "command: ls\nenvironment:\n  os_type: linux\n"), /:2: field 'environment' needs 'image'/);
    folder.folder("jobs/ctx");
    assert.match(refusal(folder, "command: ls\nenvironment:\n  image: python\n  build:\n    path: ctx\n"), /has both 'image' and 'build'/);
  });

  it("refuses an environment named without a version, and one of the wrong kind", () => {
    assert.match(refusal(folder, "command: ls\nenvironment: azureml:my-env\n"), /without a version; write azureml:my-env@latest/);
    assert.match(refusal(folder, "command: ls\nenvironment: azureml://registries/azureml/models/m/versions/1\n"), /points at registry models/);
    assert.match(refusal(folder, "command: ls\nenvironment: ./env\n"), /is a local path, which is not accepted here/);
    assert.match(
      refusal(folder, "command: ls\nenvironment: 'azureml:env:'\n"),
      /:2: field 'environment' has no version after the name; write azureml:<name>:<version>/,
    );
  });

  it("refuses a code folder that does not exist, naming field, line and the resolved path", () => {
    assert.equal(
      refusal(folder, `${base}code: src\n`),
      `Input 'jobFile': ${job}:3: field 'code' names the local path '${path.join(folder.root, "jobs", "src")}', which does not exist (relative paths start from the YAML file's folder).`,
    );
  });

  it("refuses code that is a file, and a uri_file input that is a folder", () => {
    folder.write("jobs/train.py", "print(1)\n");
    assert.match(refusal(folder, `${base}code: train.py\n`), /field 'code' names .*train\.py', which is not a folder\.$/);
    folder.folder("jobs/data");
    assert.match(
      refusal(folder, `${base}inputs:\n  d:\n    type: uri_file\n    path: data\n`),
      /field 'inputs\.d\.path' names .*data', which is not a file\.$/,
    );
  });

  it("refuses a data input without a path", () => {
    assert.match(refusal(folder, `${base}inputs:\n  d:\n    type: uri_folder\n`), /:4: field 'inputs\.d' needs the field 'inputs\.d\.path'\.$/);
  });

  it("refuses ${{inputs.x}} naming an input the job does not declare, at the command's line", () => {
    assert.equal(
      refusal(folder, "environment: azureml:e@latest\ninputs:\n  data: 1\ncommand: >-\n  python train.py\n  --data ${{ inputs.dta }}\n"),
      `Input 'jobFile': ${job}:4: field 'command' uses \${{inputs.dta}}, but 'dta' is not in 'inputs' (declared: data).`,
    );
  });

  it("refuses ${{outputs.y}} when the job declares no outputs", () => {
    assert.match(
      refusal(folder, `command: cp a \${{outputs.model}}\nenvironment: azureml:e@latest\n`),
      /'model' is not in 'outputs' \(the job declares no outputs\)\.$/,
    );
  });

  it("refuses expressions a command job cannot resolve", () => {
    assert.match(
      refusal(folder, `command: echo \${{search_space.lr}}\nenvironment: azureml:e@latest\n`),
      /uses the expression '\$\{\{search_space\.lr\}\}', which a command job cannot resolve/,
    );
  });

  it("refuses an invalid input name", () => {
    assert.match(refusal(folder, `${base}inputs:\n  my-data: 1\n`), /field 'inputs\.my-data' is not a valid input name/);
  });

  it("refuses an output path that is local", () => {
    assert.match(refusal(folder, `${base}outputs:\n  m:\n    path: ./out\n`), /field 'outputs\.m\.path' is a local path, which is not accepted here/);
  });

  it("refuses an identity field that only a managed identity takes", () => {
    assert.match(refusal(folder, `${base}identity:\n  type: user_identity\n  client_id: abc\n`), /goes only with a managed identity/);
  });

  it("never repeats a value of the file in the sentence", () => {
    const secret = "s3cr3t-Value-0123456789abcdef";
    const messages = [
      refusal(folder, `${base}environment_variables:\n  TOKEN: ["${secret}"]\n`),
      refusal(folder, `${base}tags:\n  t: {v: "${secret}"}\n`),
      refusal(folder, `${base}resources:\n  instance_count: "${secret}"\n`),
    ];
    for (const message of messages) assert.doesNotMatch(message, new RegExp(secret));
  });

  it("gives merged keys the line of the merge", () => {
    const message = refusal(folder, `defaults: &d\n  instance_count: "x"\n${base}resources:\n  <<: *d\n`);
    assert.match(message, /field 'defaults' is not a field of a command job/);
    const merged = refusal(folder, `${base}resources:\n  <<: {instance_count: "x"}\n`);
    assert.match(merged, /:3: field 'resources\.instance_count' is text/);
  });

  it("names the input when the file is missing or not YAML", () => {
    assert.throws(
      () => readCommandJobFile(path.join(folder.root, "none.yml"), "jobFile"),
      /^InputError: Input 'jobFile': file '.*none\.yml' does not exist\.$/,
    );
    const bad = folder.write("bad.yml", "command: [\n");
    assert.throws(
      () => readCommandJobFile(bad, "jobFile"),
      (error: unknown) => error instanceof InputError && /^Input 'jobFile': .*bad\.yml:\d+ \(column \d+\) is not valid YAML/.test(error.message),
    );
  });
});

describe("readCommandJobFile reads every field az ml reads", () => {
  let folder: YamlFolder;
  beforeEach(() => (folder = new YamlFolder()));
  afterEach(() => folder.remove());

  it("resolves local paths against the YAML file's folder, whatever the working directory", () => {
    folder.folder("project/jobs/src");
    folder.write("project/data/iris.csv", "a,b\n");
    folder.write("project/jobs/conda.yml", "name: x\n");
    const file = folder.write(
      "project/jobs/job.yml",
      "command: python main.py --data ${{inputs.iris}}\ncode: ./src\nenvironment:\n  image: python:3.11\n  conda_file: conda.yml\ninputs:\n  iris:\n    type: uri_file\n    path: ../data/iris.csv\n    mode: download\n",
    );
    const job = readCommandJobFile(path.relative(process.cwd(), file), "jobFile");
    assert.equal(job.folder, path.join(folder.root, "project", "jobs"));
    assert.equal(job.code?.kind === "localPath" && job.code.path, path.join(folder.root, "project", "jobs", "src"));
    const iris = job.inputs.iris;
    assert.equal(iris.kind === "data" && iris.path.kind === "localPath" && iris.path.path, path.join(folder.root, "project", "data", "iris.csv"));
    assert.equal(iris.kind === "data" && iris.mode, "download");
    assert.deepEqual(job.environment.kind === "inline" && job.environment.condaFile, {
      kind: "file",
      path: path.join(folder.root, "project", "jobs", "conda.yml"),
    });
  });

  it("reads the full set of fields", () => {
    const file = folder.write(
      "job.yml",
      [
        "$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json",
        "type: command",
        "name: train-42",
        "display_name: Train",
        "experiment_name: diabetes",
        "description: Trains.",
        "tags: {team: ml, empty: }",
        "properties: {p: v}",
        "command: python train.py --lr ${{inputs.lr}} --out ${{outputs.model}} $[[--seed ${{inputs.seed}}]] --alpha ${{configuration.alpha}}",
        "environment:",
        "  image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04",
        "  conda_file: {dependencies: [python=3.11]}",
        "environment_variables: {MODE: fast}",
        "compute: azureml:/subscriptions/0/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws/computes/gpu",
        "resources: {instance_count: 2, instance_type: Standard_NC6, shm_size: 8g, docker_args: --ipc=host, locations: [westeurope], max_instance_count: 4}",
        "limits: {timeout: 3600}",
        "inputs:",
        "  lr: 0.01",
        "  data: {path: azureml:diabetes:2}",
        "  model_in: {type: mlflow_model, path: runs:/abc/model}",
        "outputs:",
        '  model: {type: mlflow_model, mode: upload, path: "azureml://datastores/workspaceblobstore/paths/models/${{name}}/", name: diabetes, version: 3}',
        "distribution: {type: tensorflow, worker_count: 2}",
        "identity: {type: managed_identity, client_id: 00000000-0000-0000-0000-000000000000}",
        "queue_settings: {job_tier: spot, priority: high}",
        "services: {ssh: {type: ssh, ssh_public_keys: ssh-rsa AAAA, nodes: all}}",
        "status: Completed",
        "",
      ].join("\n"),
    );
    const job = readCommandJobFile(file, "jobFile");
    assert.equal(job.name, "train-42");
    assert.deepEqual(job.tags, { team: "ml", empty: "" });
    assert.deepEqual(job.properties, { p: "v" });
    assert.equal(job.commandLocation, `Input 'jobFile': ${file}:9`);
    assert.deepEqual(job.environment.kind === "inline" && job.environment.condaFile, { kind: "inline", specification: { dependencies: ["python=3.11"] } });
    assert.deepEqual(job.environmentVariables, { MODE: "fast" });
    assert.equal(job.compute.kind === "named" && job.compute.name, "gpu");
    assert.deepEqual(job.resources, {
      instanceCount: 2,
      instanceType: "Standard_NC6",
      shmSize: "8g",
      dockerArgs: "--ipc=host",
      locations: ["westeurope"],
      maxInstanceCount: 4,
      properties: undefined,
    });
    assert.deepEqual(job.limits, { timeoutSeconds: 3600 });
    assert.equal(
      job.inputs.data.kind === "data" && `${job.inputs.data.type}/${job.inputs.data.mode}/${job.inputs.data.path.kind}`,
      "uri_folder/ro_mount/assetVersion",
    );
    assert.equal(job.inputs.model_in.kind === "data" && job.inputs.model_in.path.kind, "mlflowRun");
    const model = job.outputs.model;
    assert.deepEqual([model.type, model.mode, model.path?.kind, model.name, model.version], ["mlflow_model", "upload", "datastorePath", "diabetes", "3"]);
    assert.deepEqual(job.distribution, { type: "tensorflow", workerCount: 2, parameterServerCount: undefined });
    assert.deepEqual(job.identity, { type: "managed", clientId: "00000000-0000-0000-0000-000000000000", objectId: undefined, resourceId: undefined });
    assert.deepEqual(job.queueSettings, { jobTier: "spot", priority: "high" });
    assert.deepEqual(job.services.ssh, { type: "ssh", port: undefined, nodes: "all", properties: undefined, sshPublicKeys: "ssh-rsa AAAA", logDir: undefined });
  });

  it("takes a bare compute name, and local", () => {
    assert.deepEqual(readCommandJobFile(folder.write("a.yml", `${base}compute: cpu-cluster\n`), "jobFile").compute, {
      kind: "named",
      name: "cpu-cluster",
      text: "cpu-cluster",
    });
    assert.deepEqual(readCommandJobFile(folder.write("b.yml", `${base}compute: local\n`), "jobFile").compute, { kind: "local" });
  });

  it("lets an optional segment name an input the job does not declare", () => {
    const job = readCommandJobFile(folder.write("a.yml", "command: python t.py $[[--seed ${{inputs.seed}}]]\nenvironment: azureml:e:1\n"), "jobFile");
    assert.equal(job.command, "python t.py $[[--seed ${{inputs.seed}}]]");
  });
});
