import * as assert from "node:assert/strict";
import { expandTaskInputs } from "../../../../local/runner/pipeline/taskStep";

describe("pipeline runner: our tasks' inputs as the agent hands them over", () => {
  const variables: Record<string, string> = { ENDPOINT_NAME: "diabetes-mlopsdev01", SERVICECONNECTION_WS: " mlops-dev-workspace ", NESTED: "$(ENDPOINT_NAME)" };
  const lookup = (name: string) => variables[name];

  it("expands $(name) macros in every input, not only the service connection's", () => {
    const inputs = expandTaskInputs(
      {
        inputs: { azureSubscription: "$(SERVICECONNECTION_WS)", endpointName: "$(ENDPOINT_NAME)", deploymentName: "run-$(Build.BuildId)", note: "$(NESTED)" },
        connectionInputs: ["azureSubscription"],
      },
      lookup,
    );
    assert.deepEqual(inputs, {
      azureSubscription: "mlops-dev-workspace",
      endpointName: "diabetes-mlopsdev01",
      // An unknown name stays as written; a value is not scanned again.
      deploymentName: "run-$(Build.BuildId)",
      note: "$(ENDPOINT_NAME)",
    });
  });
});
