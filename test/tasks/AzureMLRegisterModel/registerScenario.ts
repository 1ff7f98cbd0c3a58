// Run by MockTestRunner in a child process: the task with its inputs, and the in-memory Azure ML
// (models and jobs) in place of the Azure SDK. The test passes the inputs as JSON in REGISTER_INPUTS.
import * as path from "node:path";
import * as tmrm from "azure-pipelines-task-lib/mock-run";
import { InMemoryJobGateway } from "../support/inMemoryJobGateway";
import { InMemoryModelRegistry } from "./inMemoryModelRegistry";

const inputs = JSON.parse(process.env.REGISTER_INPUTS ?? "{}") as Record<string, string>;
const runner = new tmrm.TaskMockRunner(path.join(__dirname, "../../../tasks/AzureMLRegisterModel/src/index.js"));
for (const [name, value] of Object.entries(inputs)) runner.setInput(name, value);
runner.registerMock("./registry/azureModelRegistry", { AzureModelRegistry: InMemoryModelRegistry });
runner.registerMock("../../common/src/jobs/azureJobGateway", { AzureJobGateway: InMemoryJobGateway });
runner.run();
