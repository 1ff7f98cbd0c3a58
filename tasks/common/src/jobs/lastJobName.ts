/**
 * The job variable through which AzureMLTrain hands the job it submitted to the steps after it
 * in the same pipeline job (AzureMLRegisterModel's default `jobName`). Later jobs and stages read
 * the Train step's `jobName` output variable instead.
 */
export const lastJobNameVariable = "AZUREML_LAST_JOB_NAME";
