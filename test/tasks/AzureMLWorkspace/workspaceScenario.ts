// Run by MockTestRunner in a child process: the task with its inputs, and the in-memory Azure
// in place of the Azure SDK gateway. The test passes the inputs as JSON in WORKSPACE_INPUTS.
import * as path from "node:path";
import * as tmrm from "azure-pipelines-task-lib/mock-run";
import { InMemoryWorkspaceGateway } from "./inMemoryWorkspaceGateway";

const inputs = JSON.parse(process.env.WORKSPACE_INPUTS ?? "{}") as Record<string, string>;
const runner = new tmrm.TaskMockRunner(path.join(__dirname, "../../../tasks/AzureMLWorkspace/src/index.js"));
for (const [name, value] of Object.entries(inputs)) runner.setInput(name, value);
runner.registerMock("./provisioning/azureWorkspaceGateway", { AzureWorkspaceGateway: InMemoryWorkspaceGateway });
runner.run();
