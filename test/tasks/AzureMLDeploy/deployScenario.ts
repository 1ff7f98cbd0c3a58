// Run by MockTestRunner in a child process: the task with its inputs, and the in-memory Azure ML
// (assets, online endpoints, scoring, model files and environments) in place of the Azure SDK. The test passes the inputs as JSON in DEPLOY_INPUTS.
import * as path from "node:path";
import * as tmrm from "azure-pipelines-task-lib/mock-run";
import { InMemoryAssetGateway } from "../support/inMemoryAssetGateway";
import { InMemoryEnvironmentSource, InMemoryModelFiles } from "./inMemoryDockerSources";
import { InMemoryOnlineEndpoints, InMemoryScoringClient } from "./inMemoryOnlineEndpoints";

const inputs = JSON.parse(process.env.DEPLOY_INPUTS ?? "{}") as Record<string, string>;
const runner = new tmrm.TaskMockRunner(path.join(__dirname, "../../../tasks/AzureMLDeploy/src/index.js"));
for (const [name, value] of Object.entries(inputs)) runner.setInput(name, value);
runner.registerMock("../../common/src/assets/azureAssetGateway", { AzureAssetGateway: InMemoryAssetGateway });
runner.registerMock("./online/azureOnlineEndpointGateway", { AzureOnlineEndpointGateway: InMemoryOnlineEndpoints });
runner.registerMock("./smokeTest/httpScoringClient", { HttpScoringClient: InMemoryScoringClient });
runner.registerMock("./dockerContext/azureModelFiles", { AzureModelFiles: InMemoryModelFiles });
runner.registerMock("./dockerContext/azureEnvironmentSource", { AzureEnvironmentSource: InMemoryEnvironmentSource });
runner.run();
