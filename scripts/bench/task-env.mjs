// The one place that says how each task is started by the bench: the inputs and service
// connection the agent would pass (INPUT_*, ENDPOINT_*), enough for the task to parse its
// settings and print its first `##[section]` line. Nothing listens at https://127.0.0.1:1/, and
// the bench stops the task at that line, so no Azure call is made.
// A task without an entry here is listed by the bench as not measured.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// Microsoft's azureml-examples files, kept as test fixtures, that the tasks read unchanged.
const azuremlExamples = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "test", "unit", "azureml", "fixtures", "azureml-examples", "cli");

// A real job file (Microsoft's hello-world) for AzureMLTrain to read.
const helloWorldJob = join(azuremlExamples, "jobs", "basics", "hello-world.yml");

// Microsoft's online endpoint samples for AzureMLDeploy to read.
const samplesDir = join(azuremlExamples, "endpoints", "online");

/**
 * An AzureRM service connection with a service principal and a secret, exposed as the agent
 * exposes it: the whole authorization as JSON, and its scheme and each parameter on their own
 * (task-lib reads the latter in getEndpointAuthorizationScheme/-Parameter).
 */
function azureRmConnection(id) {
  const authorization = {
    scheme: "ServicePrincipal",
    parameters: { serviceprincipalid: "id", serviceprincipalkey: "k", tenantid: "t", authenticationType: "spnKey" },
  };
  return {
    [`ENDPOINT_URL_${id}`]: "https://127.0.0.1:1/",
    [`ENDPOINT_AUTH_${id}`]: JSON.stringify(authorization),
    [`ENDPOINT_AUTH_SCHEME_${id}`]: authorization.scheme,
    ...Object.fromEntries(Object.entries(authorization.parameters).map(([key, value]) => [`ENDPOINT_AUTH_PARAMETER_${id}_${key.toUpperCase()}`, value])),
    [`ENDPOINT_DATA_${id}_SUBSCRIPTIONID`]: "00000000-0000-0000-0000-000000000000",
  };
}

export const TASK_BENCH_ENV = {
  AzureMLWorkspace: {
    ...azureRmConnection("conn"),
    INPUT_AZURESUBSCRIPTION: "conn",
    INPUT_RESOURCEGROUP: "rg",
    INPUT_LOCATION: "westeurope",
    INPUT_NAMESPACE: "bench01",
  },
  AzureMLTrain: {
    ...azureRmConnection("conn"),
    INPUT_AZURESUBSCRIPTION: "conn",
    INPUT_RESOURCEGROUP: "rg",
    INPUT_NAMESPACE: "bench01",
    INPUT_JOBFILE: helloWorldJob,
  },
  AzureMLRegisterModel: {
    ...azureRmConnection("conn"),
    INPUT_AZURESUBSCRIPTION: "conn",
    INPUT_RESOURCEGROUP: "rg",
    INPUT_NAMESPACE: "bench01",
    INPUT_JOBNAME: "bench_job_1",
    INPUT_MODELNAME: "bench-model",
  },
  AzureMLDeploy: {
    ...azureRmConnection("conn"),
    INPUT_AZURESUBSCRIPTION: "conn",
    INPUT_RESOURCEGROUP: "rg",
    INPUT_NAMESPACE: "bench01",
    INPUT_ENDPOINTFILE: join(samplesDir, "managed", "sample", "endpoint.yml"),
    INPUT_DEPLOYMENTFILE: join(samplesDir, "managed", "sample", "blue-deployment.yml"),
  },
};
