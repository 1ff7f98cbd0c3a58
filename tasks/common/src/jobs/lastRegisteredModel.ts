/**
 * The job variables through which AzureMLRegisterModel hands the model version it registered (or
 * found already registered) to the steps after it in the same pipeline job: AzureMLDeploy deploys
 * it when neither its `model` input nor its deployment file names a model. Later jobs and stages
 * read the Register step's `modelName` and `modelVersion` output variables instead.
 */
export const lastModelNameVariable = "AZUREML_LAST_MODEL_NAME";
export const lastModelVersionVariable = "AZUREML_LAST_MODEL_VERSION";
