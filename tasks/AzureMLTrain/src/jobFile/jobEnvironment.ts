// The reader is shared with online deployments (AzureMLDeploy).
export { readEnvironment } from "../../../common/src/azureml/environmentField";
