import * as assert from "node:assert/strict";
import * as path from "node:path";
import { readModelFile } from "../../../tasks/common/src/azureml/modelFile";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { YamlFolder } from "./yamlFixtures";

describe("readModelFile", () => {
  let folder: YamlFolder;
  beforeEach(() => (folder = new YamlFolder()));
  afterEach(() => folder.remove());

  function refusal(text: string): string {
    const file = folder.write("models/model.yml", text);
    try {
      readModelFile(file, "modelFile");
    } catch (error) {
      assert.ok(error instanceof InputError);
      return error.message;
    }
    assert.fail("accepted");
  }

  it("reads every field, with the path resolved against the YAML's folder", () => {
    folder.folder("models/model");
    const file = folder.write(
      "models/model.yml",
      "$schema: https://azuremlschemas.azureedge.net/latest/model.schema.json\nname: diabetes\nversion: 3\npath: model\ntype: mlflow_model\ndescription: d\ntags: {stage: dev}\nproperties: {auc: '0.9'}\nflavors: {python_function: {loader_module: mlflow.sklearn}}\n",
    );
    const model = readModelFile(file, "modelFile");
    assert.deepEqual(model, {
      file,
      folder: path.dirname(file),
      name: "diabetes",
      version: "3",
      path: { kind: "localPath", text: "model", path: path.join(folder.root, "models", "model") },
      type: "mlflow_model",
      description: "d",
      tags: { stage: "dev" },
      properties: { auc: "0.9" },
      flavors: { python_function: { loader_module: "mlflow.sklearn" } },
      stage: undefined,
    });
  });

  it("takes a model from a job output or an MLflow run", () => {
    const fromJob = readModelFile(folder.write("a.yml", "name: m\npath: azureml://jobs/train-1/outputs/artifacts/paths/outputs/model/\n"), "modelFile");
    assert.equal(fromJob.path?.kind, "jobOutput");
    const fromRun = readModelFile(folder.write("b.yml", "name: m\npath: runs:/run-1/model\n"), "modelFile");
    assert.equal(fromRun.path?.kind, "mlflowRun");
  });

  it("refuses a missing name, a bad type, an unknown field and a missing local path", () => {
    const file = path.join(folder.root, "models", "model.yml");
    assert.equal(refusal("path: m.pkl\n"), `Input 'modelFile': ${file}:1: a model needs the field 'name'.`);
    assert.match(
      refusal("name: m\ntype: mlflow\n"),
      /:2: field 'type' is 'mlflow', which is not one of 'custom_model', 'mlflow_model', 'triton_model'; did you mean 'mlflow_model'\?$/,
    );
    assert.match(refusal("name: m\nflavours: {}\n"), /:2: field 'flavours' is not a field of a model; did you mean 'flavors'\?$/);
    assert.match(refusal("name: m\npath: model.pkl\n"), /:2: field 'path' names the local path '.*models\/model\.pkl', which does not exist/);
    assert.match(refusal("name: bad name\n"), /:1: field 'name' is not a valid model name/);
    assert.match(refusal("name: m\nversion: 1.0.x y\n"), /:2: field 'version' is not a valid version/);
    assert.match(refusal("name: m\npath: azureml:cpu-cluster\n"), /field 'path' is a workspace resource name .*, which is not accepted here/);
  });
});
