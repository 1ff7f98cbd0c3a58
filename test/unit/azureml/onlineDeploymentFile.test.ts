import * as assert from "node:assert/strict";
import * as path from "node:path";
import { readOnlineDeploymentFile } from "../../../tasks/common/src/azureml/onlineDeploymentFile";
import { InputError } from "../../../tasks/common/src/errors/inputError";
import { exampleFile, YamlFolder } from "./yamlFixtures";

const defaultProbe = { initialDelay: 10, period: 10, timeout: 2, successThreshold: 1, failureThreshold: 30 };
const online = (relative: string) => exampleFile(path.join("cli/endpoints/online", relative));

describe("readOnlineDeploymentFile", () => {
  let folder: YamlFolder;
  beforeEach(() => {
    folder = new YamlFolder();
    folder.write("deploy/src/score.py", "def init(): pass\n");
    folder.folder("deploy/model");
  });
  afterEach(() => folder.remove());

  /** A managed deployment with every required field, `extra` appended. */
  const base = "name: blue\nendpoint_name: my-endpoint\nenvironment: azureml:my-env:1\ninstance_type: Standard_DS3_v2\ninstance_count: 1\n";

  function write(text: string): string {
    return folder.write("deploy/deployment.yml", text);
  }

  function read(text: string) {
    return readOnlineDeploymentFile(write(text), "deploymentFile");
  }

  function refusal(text: string): string {
    try {
      read(text);
    } catch (error) {
      assert.ok(error instanceof InputError);
      assert.ok(!error.message.includes("\n"), error.message);
      return error.message;
    }
    assert.fail("accepted");
  }

  describe("Microsoft's samples, unchanged", () => {
    it("reads the managed blue deployment: inline model and environment, paths from the YAML's folder", () => {
      const file = online("managed/sample/blue-deployment.yml");
      const model1 = online("model-1");
      assert.deepEqual(readOnlineDeploymentFile(file, "deploymentFile"), {
        file,
        folder: path.dirname(file),
        kind: "managed",
        name: "blue",
        endpointName: "my-endpoint",
        description: undefined,
        tags: {},
        properties: {},
        model: {
          kind: "inline",
          path: { kind: "localPath", text: "../../model-1/model/", path: path.join(model1, "model") },
          type: "custom_model",
          description: undefined,
          tags: {},
          properties: {},
          flavors: undefined,
        },
        modelMountPath: undefined,
        codeConfiguration: {
          code: { kind: "localPath", text: "../../model-1/onlinescoring/", path: path.join(model1, "onlinescoring") },
          scoringScript: "score.py",
          scoringScriptPath: path.join(model1, "onlinescoring", "score.py"),
        },
        environment: {
          kind: "inline",
          image: "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest",
          osType: "linux",
          description: undefined,
          tags: {},
          inferenceConfig: undefined,
          condaFile: { kind: "file", path: path.join(model1, "environment", "conda.yaml") },
        },
        environmentVariables: {},
        instanceType: "Standard_DS3_v2",
        instanceCount: 1,
        appInsightsEnabled: false,
        scaleSettings: { type: "default" },
        requestSettings: { requestTimeoutMs: 5000, maxConcurrentRequestsPerInstance: 1, maxQueueWaitMs: 500 },
        livenessProbe: defaultProbe,
        readinessProbe: defaultProbe,
        egressPublicNetworkAccess: "enabled",
        privateNetworkConnection: undefined,
        resources: undefined,
        dataCollector: undefined,
      });
    });

    it("reads the managed green deployment", () => {
      const deployment = readOnlineDeploymentFile(online("managed/sample/green-deployment.yml"), "deploymentFile");
      assert.equal(deployment.name, "green");
      assert.equal(deployment.codeConfiguration?.scoringScriptPath, path.join(online("model-2"), "onlinescoring", "score.py"));
    });

    it("reads the registered-assets deployment: model and environment by reference", () => {
      const deployment = readOnlineDeploymentFile(online("managed/sample/blue-deployment-with-registered-assets.yml"), "deploymentFile");
      assert.deepEqual(deployment.model, {
        kind: "reference",
        reference: { kind: "assetVersion", text: "azureml:my-model:1", name: "my-model", version: "1" },
      });
      assert.equal(deployment.environment.kind, "reference");
    });

    it("reads the curated-environment deployment: a registry environment by label", () => {
      const deployment = readOnlineDeploymentFile(online("managed/sample/blue-deployment-with-curated-env.yml"), "deploymentFile");
      assert.ok(deployment.environment.kind === "reference");
      assert.equal(deployment.environment.reference.kind, "registryAsset");
    });

    it("reads the Kubernetes blue deployment: type kubernetes, resources, request settings, default scale", () => {
      const deployment = readOnlineDeploymentFile(online("kubernetes/kubernetes-blue-deployment.yml"), "deploymentFile");
      assert.equal(deployment.kind, "kubernetes");
      assert.equal(deployment.name, "blue");
      assert.deepEqual(deployment.requestSettings, { requestTimeoutMs: 3000, maxConcurrentRequestsPerInstance: 1, maxQueueWaitMs: 3000 });
      assert.deepEqual(deployment.resources, {
        requests: { cpu: "0.1", memory: "0.1Gi", gpu: undefined },
        limits: { cpu: "0.2", memory: "200Mi", gpu: undefined },
      });
      assert.deepEqual(deployment.scaleSettings, { type: "default" });
      assert.equal(deployment.instanceCount, 1);
      assert.equal(deployment.instanceType, undefined);
      assert.equal(deployment.egressPublicNetworkAccess, undefined);
      assert.deepEqual(deployment.tags, { tag1: "deployment-tag1-value" });
    });

    it("reads the Kubernetes green deployment: autoscaling without instance_count, instance type, app insights", () => {
      const deployment = readOnlineDeploymentFile(online("kubernetes/kubernetes-green-deployment.yml"), "deploymentFile");
      assert.equal(deployment.kind, "kubernetes");
      assert.equal(deployment.name, "green");
      assert.equal(deployment.appInsightsEnabled, true);
      assert.equal(deployment.instanceType, "defaultinstancetype");
      assert.equal(deployment.instanceCount, undefined);
      assert.deepEqual(deployment.scaleSettings, {
        type: "target_utilization",
        minInstances: 1,
        maxInstances: 3,
        targetUtilizationPercentage: 70,
        pollingInterval: 10,
      });
      assert.deepEqual(deployment.requestSettings, { requestTimeoutMs: 5000, maxConcurrentRequestsPerInstance: 1, maxQueueWaitMs: 500 });
      assert.deepEqual(deployment.resources, { requests: { cpu: "0.1", memory: "0.1Gi", gpu: undefined }, limits: {} });
    });
  });

  describe("defaults", () => {
    it("fills in the documented managed defaults", () => {
      const deployment = read(base);
      assert.equal(deployment.kind, "managed");
      assert.equal(deployment.model, undefined);
      assert.equal(deployment.codeConfiguration, undefined);
      assert.deepEqual(deployment.requestSettings, { requestTimeoutMs: 5000, maxConcurrentRequestsPerInstance: 1, maxQueueWaitMs: 500 });
      assert.deepEqual(deployment.livenessProbe, defaultProbe);
      assert.deepEqual(deployment.readinessProbe, defaultProbe);
      assert.deepEqual(deployment.scaleSettings, { type: "default" });
      assert.equal(deployment.appInsightsEnabled, false);
      assert.equal(deployment.egressPublicNetworkAccess, "enabled");
      assert.equal(deployment.privateNetworkConnection, undefined);
      assert.equal(read(`${base}private_network_connection: true\n`).privateNetworkConnection, true);
      assert.equal(read(`${base}egress_public_network_access: Disabled\n`).egressPublicNetworkAccess, "disabled");
      assert.match(
        refusal(`${base}egress_public_network_access: off\n`),
        /field 'egress_public_network_access' is 'off', which is not one of 'enabled', 'disabled'/,
      );
    });

    it("keeps the defaults of what a partial setting leaves out", () => {
      const deployment = read(`${base}request_settings: {max_concurrent_requests_per_instance: 4}\nliveness_probe: {period: 30}\n`);
      assert.deepEqual(deployment.requestSettings, { requestTimeoutMs: 5000, maxConcurrentRequestsPerInstance: 4, maxQueueWaitMs: 500 });
      assert.deepEqual(deployment.livenessProbe, { ...defaultProbe, period: 30 });
    });

    it("gives a Kubernetes deployment target_utilization scaling, without instance_count or instance_type", () => {
      const deployment = read("name: blue\ntype: kubernetes\nendpoint_name: my-endpoint\nenvironment: azureml:my-env:1\n");
      assert.equal(deployment.kind, "kubernetes");
      assert.deepEqual(deployment.scaleSettings, {
        type: "target_utilization",
        minInstances: 1,
        maxInstances: 1,
        targetUtilizationPercentage: 70,
        pollingInterval: 1,
      });
      assert.equal(deployment.instanceCount, undefined);
      assert.equal(deployment.resources, undefined);
    });

    it("reads a GPU request under its dotted key, nvidia.com/gpu", () => {
      const deployment = read(
        'name: blue\ntype: kubernetes\nendpoint_name: my-endpoint\nenvironment: azureml:my-env:1\nresources:\n  requests:\n    nvidia.com/gpu: "1"\n',
      );
      assert.equal(deployment.resources?.requests.gpu, "1");
    });

    it("tells the kinds apart as az ml does: 'kubernetes' exactly, 'managed' in any casing", () => {
      assert.equal(read(`${base}type: managed\n`).kind, "managed");
      assert.equal(read(`${base}type: Managed\n`).kind, "managed");
      assert.equal(read("name: blue\ntype: kubernetes\nendpoint_name: my-endpoint\nenvironment: azureml:e:1\n").kind, "kubernetes");
      assert.match(
        refusal(`${base}type: managd\n`),
        /deployment\.yml:6: field 'type' is 'managd', which is not one of 'managed', 'kubernetes'; did you mean 'managed'\?/,
      );
    });

    it("refuses 'type: Kubernetes', which az ml would silently deploy as managed", () => {
      assert.match(
        refusal("name: blue\ntype: Kubernetes\nendpoint_name: my-endpoint\nenvironment: azureml:e:1\n"),
        /deployment\.yml:2: field 'type' must be written 'kubernetes', in lower case: az ml reads any other spelling as a managed deployment\./,
      );
    });
  });

  describe("fields", () => {
    it("refuses a misspelled field with file, line and suggestion", () => {
      assert.match(
        refusal(`${base}instance_cout: 2\n`),
        /^Input 'deploymentFile': .*deployment\.yml:6: field 'instance_cout' is not a field of an online deployment; did you mean 'instance_count'\?$/,
      );
      assert.match(
        refusal(`${base}request_settings:\n  request_timeout: 1000\n`),
        /deployment\.yml:7: field 'request_settings\.request_timeout' .*did you mean 'request_timeout_ms'\?/,
      );
      assert.match(
        refusal(`${base}code_configuration:\n  code: src\n  scoring_scrpt: score.py\n`),
        /deployment\.yml:8: field 'code_configuration\.scoring_scrpt' .*did you mean 'scoring_script'\?/,
      );
    });

    it("refuses fields of the other kind", () => {
      assert.match(
        refusal(`${base}resources: {requests: {cpu: "1"}}\n`),
        /deployment\.yml:6: field 'resources' applies to Kubernetes deployments only; write 'type: kubernetes' for one\./,
      );
      assert.match(
        refusal("name: blue\ntype: kubernetes\nendpoint_name: e-1\nenvironment: azureml:e:1\negress_public_network_access: disabled\n"),
        /deployment\.yml:5: field 'egress_public_network_access' applies to managed deployments only, and this one has 'type: kubernetes'\./,
      );
      assert.match(
        refusal(`${base}scale_settings: {type: target_utilization}\n`),
        /field 'scale_settings\.type' is 'target_utilization', which is not one of 'default'/,
      );
    });

    it("needs the required fields", () => {
      assert.match(
        refusal("name: blue\nendpoint_name: e-1\nenvironment: azureml:e:1\ninstance_count: 1\n"),
        /an online deployment needs the field 'instance_type'/,
      );
      assert.match(
        refusal("name: blue\nendpoint_name: e-1\nenvironment: azureml:e:1\ninstance_type: x\n"),
        /an online deployment needs the field 'instance_count'/,
      );
      assert.match(refusal("name: blue\nendpoint_name: e-1\ninstance_type: x\ninstance_count: 1\n"), /needs the field 'environment'/);
      assert.match(refusal("endpoint_name: e-1\nenvironment: azureml:e:1\ninstance_type: x\ninstance_count: 1\n"), /needs the field 'name'/);
      assert.match(
        refusal("name: blue\ntype: kubernetes\nendpoint_name: e-1\nenvironment: azureml:e:1\nscale_settings: {type: default}\n"),
        /needs the field 'instance_count' with 'scale_settings\.type: default'/,
      );
    });

    it("refuses wrong types", () => {
      assert.match(
        refusal(base.replace("instance_count: 1", "instance_count: '2'")),
        /deployment\.yml:5: field 'instance_count' is text; it must be a whole number/,
      );
      assert.match(refusal(`${base}app_insights_enabled: yes please\n`), /field 'app_insights_enabled' is text; it must be true or false/);
      assert.match(refusal(`${base}environment_variables: {WORKERS: 4}\n`), /field 'environment_variables\.WORKERS' is a whole number; it must be text/);
      assert.match(refusal(`${base}request_settings: 5000\n`), /field 'request_settings' is a whole number; it must be a mapping/);
      assert.match(
        refusal("name: blue\ntype: kubernetes\nendpoint_name: e-1\nenvironment: azureml:e:1\nresources: {limits: {cpu: 1}}\n"),
        /field 'resources\.limits\.cpu' is a whole number; it must be text/,
      );
    });

    it("refuses invalid names", () => {
      assert.match(refusal(base.replace("name: blue", "name: blue_1")), /deployment\.yml:1: field 'name' is not a valid deployment name/);
      assert.match(refusal(base.replace("endpoint_name: my-endpoint", "endpoint_name: -x")), /field 'endpoint_name' is not a valid endpoint name/);
    });
  });

  describe("ranges", () => {
    it("refuses request settings out of range", () => {
      assert.match(
        refusal(`${base}request_settings: {request_timeout_ms: 180001}\n`),
        /field 'request_settings\.request_timeout_ms' is 180001; managed online deployments allow at most 180000 ms/,
      );
      assert.equal(read(`${base}request_settings: {request_timeout_ms: 180000}\n`).requestSettings.requestTimeoutMs, 180000);
      assert.match(refusal(`${base}request_settings: {request_timeout_ms: 0}\n`), /field 'request_settings\.request_timeout_ms' must be 1 or more/);
      assert.match(refusal(`${base}request_settings: {max_concurrent_requests_per_instance: 0}\n`), /max_concurrent_requests_per_instance' must be 1 or more/);
      assert.match(refusal(`${base}request_settings: {max_queue_wait_ms: -1}\n`), /max_queue_wait_ms' must be 0 or more/);
      assert.match(refusal(`${base}request_settings: {request_timeout_ms: 1.5}\n`), /is a number; it must be a whole number/);
    });

    it("refuses instance counts and probes out of range", () => {
      assert.match(refusal(base.replace("instance_count: 1", "instance_count: 0")), /field 'instance_count' must be 1 or more/);
      assert.match(refusal(`${base}readiness_probe: {timeout: 0}\n`), /field 'readiness_probe\.timeout' must be 1 or more/);
      assert.match(refusal(`${base}liveness_probe: {success_threshold: 2}\n`), /field 'liveness_probe\.success_threshold' is fixed at 1 for a liveness probe/);
      assert.equal(read(`${base}readiness_probe: {success_threshold: 2}\n`).readinessProbe.successThreshold, 2);
    });

    it("refuses Kubernetes autoscaling settings out of range", () => {
      const k8s = "name: blue\ntype: kubernetes\nendpoint_name: e-1\nenvironment: azureml:e:1\n";
      assert.match(
        refusal(`${k8s}scale_settings: {type: target_utilization, min_instances: 3, max_instances: 2}\n`),
        /field 'scale_settings\.max_instances' is 2, below 'min_instances' \(3\)/,
      );
      assert.match(refusal(`${k8s}scale_settings: {target_utilization_percentage: 101}\n`), /must be at most 100/);
      assert.match(
        refusal(`${k8s}instance_count: 1\nscale_settings: {type: default, max_instances: 3}\n`),
        /field 'scale_settings\.max_instances' goes only with 'scale_settings\.type: target_utilization'/,
      );
      assert.deepEqual(read(`${k8s}scale_settings: {max_instances: 5, polling_interval: 10}\n`).scaleSettings, {
        type: "target_utilization",
        minInstances: 1,
        maxInstances: 5,
        targetUtilizationPercentage: 70,
        pollingInterval: 10,
      });
    });
  });

  describe("model, environment and code", () => {
    it("refuses a name or version on an inline model or environment", () => {
      assert.match(
        refusal(`${base}model:\n  name: m\n  path: model\n`),
        /deployment\.yml:7: field 'model\.name' is not allowed in an inline model, which is anonymous/,
      );
      assert.match(refusal(`${base}model:\n  path: model\n  version: 2\n`), /deployment\.yml:8: field 'model\.version' is not allowed in an inline model/);
      assert.match(
        refusal(base.replace("environment: azureml:my-env:1", "environment:\n  name: e\n  image: python:3.11")),
        /deployment\.yml:4: field 'environment\.name' is not allowed in an inline environment/,
      );
    });

    it("reads an inline model with its local path from the YAML's folder, and needs a path", () => {
      const deployment = read(`${base}model:\n  path: model\n  type: mlflow_model\n`);
      assert.deepEqual(deployment.model, {
        kind: "inline",
        path: { kind: "localPath", text: "model", path: path.join(folder.root, "deploy", "model") },
        type: "mlflow_model",
        description: undefined,
        tags: {},
        properties: {},
        flavors: undefined,
      });
      assert.match(refusal(`${base}model:\n  type: custom_model\n`), /field 'model' needs the field 'model\.path'/);
      assert.match(refusal(`${base}model:\n  path: missing\n`), /field 'model\.path' names the local path .*missing.*, which does not exist/);
    });

    it("refuses a model reference without a version or of another kind", () => {
      assert.match(refusal(`${base}model: azureml:my-model\n`), /field 'model' names the model 'my-model' without a version/);
      assert.match(refusal(`${base}model: azureml://registries/azureml/environments/sklearn/versions/1\n`), /points at registry environments, not models/);
      assert.match(refusal(`${base}model: model\n`), /field 'model' is a local path, which is not accepted here/);
    });

    it("finds the scoring script inside the code folder", () => {
      const deployment = read(`${base}code_configuration:\n  code: src\n  scoring_script: score.py\n`);
      assert.equal(deployment.codeConfiguration?.scoringScriptPath, path.join(folder.root, "deploy", "src", "score.py"));
    });

    it("refuses a scoring script missing from the code folder, naming it", () => {
      const message = refusal(`${base}code_configuration:\n  code: src\n  scoring_script: scoring.py\n`);
      assert.match(message, /deployment\.yml:8: field 'code_configuration\.scoring_script' names 'scoring\.py', which is not in the code folder '.*src'\./);
    });

    it("refuses a scoring script outside the code folder, an absolute one, a folder, or no script", () => {
      folder.write("deploy/outside.py", "");
      assert.match(refusal(`${base}code_configuration: {code: src, scoring_script: ../outside.py}\n`), /leaves the 'code_configuration\.code' folder/);
      assert.match(
        refusal(`${base}code_configuration: {code: src, scoring_script: /tmp/score.py}\n`),
        /is an absolute path; it must be relative to 'code_configuration\.code'/,
      );
      folder.folder("deploy/src/pkg");
      assert.match(refusal(`${base}code_configuration: {code: src, scoring_script: pkg}\n`), /names '.*pkg', which is not a file/);
      assert.match(refusal(`${base}code_configuration: {code: src}\n`), /needs the field 'code_configuration\.scoring_script'/);
      assert.match(
        refusal(`${base}code_configuration: {code: nowhere, scoring_script: score.py}\n`),
        /field 'code_configuration\.code' names the local path .*nowhere.*, which does not exist/,
      );
    });

    it("refuses registry models and environments in a Kubernetes deployment, as azure-ai-ml does", () => {
      const k8s = "name: blue\ntype: kubernetes\nendpoint_name: e-1\n";
      assert.match(
        refusal(`${k8s}environment: azureml://registries/azureml/environments/sklearn-1.5/labels/latest\n`),
        /deployment\.yml:4: field 'environment' names a registry asset; Kubernetes online deployments take workspace assets only/,
      );
      assert.match(
        refusal(`${k8s}environment: azureml:e:1\nmodel: azureml://registries/r/models/m/versions/1\n`),
        /deployment\.yml:5: field 'model' names a registry asset/,
      );
    });

    it("takes a registered code asset without looking for the script locally", () => {
      const deployment = read(`${base}code_configuration: {code: "azureml:my-code:1", scoring_script: score.py}\n`);
      assert.deepEqual(deployment.codeConfiguration, {
        code: { kind: "assetVersion", text: "azureml:my-code:1", name: "my-code", version: "1" },
        scoringScript: "score.py",
      });
    });
  });
});
