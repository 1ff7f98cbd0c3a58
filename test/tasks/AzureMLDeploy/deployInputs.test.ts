import * as assert from "node:assert/strict";
import { assertOneSentenceFailure } from "./deployAssertions";
import { DeployTaskBed, kubernetesSample, managedSample, sampleRequest } from "./deployTaskBed";

/*
 * Every bad input fails the task in one sentence that names it, before the first call to Azure:
 * nothing is uploaded, registered or deployed.
 */
describe("AzureMLDeploy task: bad inputs are refused before any call to Azure", function () {
  this.timeout(60_000);
  let bed: DeployTaskBed;
  const good = { endpointFile: managedSample.endpointFile, deploymentFile: managedSample.blue, smokeTestRequestFile: sampleRequest };

  before(() => {
    bed = DeployTaskBed.create();
    bed.write("online/endpoint-with-traffic.yml", "name: my-endpoint\nauth_mode: key\ntraffic:\n  blue: 100\n");
    bed.write("online/endpoint-other-name.yml", "name: other-endpoint\nauth_mode: key\n");
    bed.write(
      "online/deployment-with-collector.yml",
      "name: blue\nendpoint_name: my-endpoint\nenvironment: azureml:env:1\ninstance_type: Standard_DS3_v2\ninstance_count: 1\ndata_collector:\n  collections: {}\n",
    );
  });
  after(() => bed.remove());

  const cases: Array<[string, Record<string, string>, RegExp]> = [
    [
      "an endpoint file that sets traffic",
      { endpointFile: "online/endpoint-with-traffic.yml" },
      /^Endpoint file '.*endpoint-with-traffic\.yml' sets 'traffic', but the task moves traffic itself, once the new deployment passed its smoke test: remove 'traffic'/,
    ],
    [
      "files that name different endpoints",
      { endpointFile: "online/endpoint-other-name.yml" },
      /^Endpoint file '.*' names endpoint 'other-endpoint', but deployment file '.*' has endpoint_name 'my-endpoint'; make them agree, or set input 'endpointName'\.$/,
    ],
    [
      "a deployment file with data_collector",
      { deploymentFile: "online/deployment-with-collector.yml" },
      /has 'data_collector', which the Azure ML API version the task uses \(2022-10-01\) cannot carry/,
    ],
    ["no deployment file", { deploymentFile: "" }, /^Input 'deploymentFile' is not set: give the path of the online deployment YAML/],
    ["a deployment file that does not exist", { deploymentFile: "online/none.yml" }, /^Input 'deploymentFile': file '.*none\.yml' does not exist\.$/],
    ["an unknown target", { target: "docker" }, /^Input 'target' is 'docker'; it takes managedOnlineEndpoint, kubernetesOnlineEndpoint, dockerContext\.$/],
    [
      "a managed deployment for a Kubernetes target",
      { target: "kubernetesOnlineEndpoint" },
      /describes a managed deployment, but input 'target' is kubernetesOnlineEndpoint; write 'type: kubernetes' in it\.$/,
    ],
    [
      "a Kubernetes deployment for a managed target",
      { deploymentFile: kubernetesSample.blue, endpointFile: "" },
      /has 'type: kubernetes', but input 'target' is managedOnlineEndpoint; set it to kubernetesOnlineEndpoint\.$/,
    ],
    [
      "a traffic share above 100",
      { trafficPercent: "150" },
      /^Input 'trafficPercent' is '150'; give the new deployment's share of the traffic in percent, a whole number from 0 to 100\.$/,
    ],
    ["falling traffic steps", { trafficSteps: "50,10" }, /^Input 'trafficSteps' is '50,10'; each step must be above the one before it\.$/],
    ["a step at the final share", { trafficPercent: "50", trafficSteps: "10,50" }, /every step must be below it\.$/],
    ["a step that is not a percent", { trafficSteps: "10%" }, /^Input 'trafficSteps' is '10%'; give rising percentages from 1 to 99/],
    ["an unknown previousDeployments", { previousDeployments: "remove" }, /^Input 'previousDeployments' is 'remove'; it takes keep or delete\.$/],
    [
      "an expected status that is no HTTP status",
      { smokeTestExpectedStatus: "OK" },
      /^Input 'smokeTestExpectedStatus' is 'OK'; give an HTTP status, a whole number from 100 to 599\.$/,
    ],
    [
      "a response pattern that is no regular expression",
      { smokeTestResponsePattern: "([" },
      /^Input 'smokeTestResponsePattern' is '\(\[', not a regular expression: Invalid regular expression/,
    ],
    [
      "a request file that does not exist",
      { smokeTestRequestFile: "online/none.json" },
      /^Input 'smokeTestRequestFile': file '.*none\.json' does not exist\.$/,
    ],
    [
      "a timeout of 0",
      { timeoutMinutes: "0" },
      /^Input 'timeoutMinutes' is '0'; give the minutes the task waits for provisioning, a whole number from 1 to 1440\.$/,
    ],
    ["a model without a version", { model: "churn" }, /^Input 'model' is 'churn'; write <name>:<version> or <name>@latest, e\.g\. churn:3 or churn@latest\.$/],
    [
      "a deployment name Azure refuses",
      { deploymentName: "1-blue" },
      /^Input 'deploymentName' is '1-blue', not a valid deployment name: use 3 to 32 letters, digits and '-'/,
    ],
    ["an endpoint name Azure refuses", { endpointName: "my_endpoint" }, /^Input 'endpointName' is 'my_endpoint', not a valid endpoint name/],
  ];

  for (const [what, inputs, message] of cases) {
    it(`refuses ${what}`, async () => {
      bed.changeEndpoints((state) => (state.calls = []));
      bed.changeAssets((state) => (state.calls = []));
      const runner = await bed.run({ inputs: { ...good, ...inputs } });
      assertOneSentenceFailure(runner, message);
      assert.deepEqual(bed.endpointCalls(), []);
      assert.deepEqual(bed.assets().calls, []);
    });
  }

  it("refuses half of the last-registered model's variables", async () => {
    bed.write("online/no-model.yml", "name: blue\nendpoint_name: my-endpoint\nenvironment: azureml:env:1\ninstance_type: Standard_DS3_v2\ninstance_count: 1\n");
    const runner = await bed.run({ inputs: { ...good, deploymentFile: "online/no-model.yml" }, variables: { AZUREML_LAST_MODEL_NAME: "churn" } });
    assertOneSentenceFailure(
      runner,
      /^Variables AZUREML_LAST_MODEL_NAME and AZUREML_LAST_MODEL_VERSION are 'churn' and '', not a model name and version; set input 'model'/,
    );
  });
});
