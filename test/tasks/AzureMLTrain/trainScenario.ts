// Run by MockTestRunner (or spawned) in a child process: the task with its inputs, and the
// in-memory Azure ML in place of the Azure SDK gateways. The test passes the inputs as JSON in TRAIN_INPUTS.
import * as path from "node:path";
import * as tmrm from "azure-pipelines-task-lib/mock-run";
import { InMemoryAssetGateway } from "../support/inMemoryAssetGateway";
import { InMemoryJobGateway } from "../support/inMemoryJobGateway";

const inputs = JSON.parse(process.env.TRAIN_INPUTS ?? "{}") as Record<string, string>;
const runner = new tmrm.TaskMockRunner(path.join(__dirname, "../../../tasks/AzureMLTrain/src/index.js"));
for (const [name, value] of Object.entries(inputs)) runner.setInput(name, value);
runner.registerMock("../../common/src/jobs/azureJobGateway", { AzureJobGateway: InMemoryJobGateway });
runner.registerMock("../../common/src/assets/azureAssetGateway", { AzureAssetGateway: InMemoryAssetGateway });
runner.run();
