import { jsonText } from "./state/json";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { LocalAzureOptions, resolveOptions } from "./options";
import { createFileLogger, Logger } from "./logging";
import { prepareCertificates } from "./certificates/certificateAuthority";
import { Directory } from "./identity/directory";
import { loadOrCreateSigningKey, SigningKey } from "./identity/signingKey";
import { AccessTokenService } from "./identity/accessTokens";
import { IdentityContext } from "./identity/identityContext";
import { oidcRequestPath } from "./identity/devOpsOidc";
import { ResourceStore } from "./state/resourceStore";
import { writeJsonAtomic } from "./state/atomicFile";
import { LocalHttpsServer } from "./http/localHttpsServer";
import { RequestLog, RequestLogEntry } from "./http/requestLog";
import { SwaggerValidator, ValidationCounts, Violation } from "./validation/swaggerValidator";
import { AzuriteBlobService } from "./storage/azuriteBlobService";
import { relocateStorageEndpoints } from "./storage/relocateEndpoints";
import { FaultInjector } from "./faults/faultInjector";
import { FaultSettings } from "./faults/faultRules";
import { OperationScheduler } from "./arm/longRunningOperations";
import { ArmPipeline } from "./arm/armPipeline";
import { ArmServices } from "./arm/armServices";
import { allResourceProviderRoutes } from "./arm/resourceProviders";
import { createDispatcher } from "./routing/dispatcher";
import { createIdentityChain } from "./identity/identityChain";
import { createDataPlaneChain } from "./services/machinelearning/dataplane/dataPlaneChain";
import { discoveryRoute } from "./services/machinelearning/dataplane/discovery";
import { runHistoryRoutes } from "./services/machinelearning/dataplane/runHistory";
import { runFileRoute } from "./services/machinelearning/dataplane/runFiles";
import { InMemoryRunStore } from "./services/machinelearning/dataplane/runStore";
import { MachineLearningJobs } from "./services/machinelearning/jobs/machineLearningJobs";
import { OnlineServing } from "./services/machinelearning/online/serving/onlineServing";
import { createScoringRoute } from "./services/machinelearning/online/scoring/scoringRoute";
import { FileUrlSigner } from "./services/machinelearning/dataplane/signedUrls";
import { buildConnection, servicePrincipalConnection } from "./connection/buildConnection";
import { LocalAzureConnection, ServicePrincipalConnection } from "./connection/connectionInfo";
import { RoleName } from "./identity/directory";

export interface LocalAzure {
  readonly connection: LocalAzureConnection;
  readonly connectionFile: string;
  /** From the call to connection.json written. */
  readonly startupMs: number;
  stop(): Promise<void>;
  /** Responses of ours that the swagger refuses: a bug of the emulator each. Empty unless strict. */
  violations(): Violation[];
  /** ARM and Azure ML data-plane requests strict mode checked against the swaggers, refused, or could not match (all 0 unless strict). */
  validationCounts(): ValidationCounts;
  setFaults(settings: FaultSettings | undefined): void;
  requests(): RequestLogEntry[];
  clearRequests(): void;
  addServicePrincipal(name: string, role: RoleName, scope: string): ServicePrincipalConnection;
  /** The runs the Azure ML data plane serves (run history); the job runner writes them. */
  readonly runs: InMemoryRunStore;
  /** Signs the URLs of run files, which the data plane serves without a token (run history signs `RunRecord.logFiles` itself). */
  readonly fileUrls: FileUrlSigner;
}

/** The application ID URIs Entra knows in this tenant. */
function knownResources(baseUrl: string): string[] {
  return [
    "https://management.azure.com/",
    "https://management.core.windows.net/",
    `${baseUrl}/`,
    "https://storage.azure.com/",
    "https://vault.azure.net",
    "https://ml.azure.com/",
  ];
}

function armAudiences(baseUrl: string): string[] {
  return [
    "https://management.core.windows.net/",
    "https://management.core.windows.net",
    "https://management.azure.com/",
    "https://management.azure.com",
    `${baseUrl}/`,
    baseUrl,
  ];
}

/** Azure ML's data plane takes tokens for Azure ML, and (as AutoRest-era clients sent) for ARM. */
function dataPlaneAudiences(baseUrl: string): string[] {
  return ["https://ml.azure.com/", "https://ml.azure.com", ...armAudiences(baseUrl)];
}

function storageAccountsIn(store: ResourceStore): Map<string, readonly string[]> {
  const accounts = new Map<string, readonly string[]>();
  for (const account of store.ofType("Microsoft.Storage/storageAccounts")) {
    const keys = account.secrets.keys;
    if (Array.isArray(keys)) accounts.set(jsonText(account.body.name), keys.map(String));
  }
  return accounts;
}

export async function startLocalAzure(options: LocalAzureOptions): Promise<LocalAzure> {
  const started = Date.now();
  const settings = resolveOptions(options);
  const stateDir = resolve(settings.stateDir);
  mkdirSync(stateDir, { recursive: true });
  const log: Logger = options.logger ?? createFileLogger(join(stateDir, "logs", "local-azure.log"), settings.echoLog);

  // Azurite is the slowest to start and runs in its own process: it goes first, and the rest
  // (keys, the swagger validator) is prepared while it boots.
  const certificates = prepareCertificates(stateDir, ["localhost", "*.blob.localhost"]);
  const store = new ResourceStore(stateDir);
  const timed = <T>(label: string, work: Promise<T>): Promise<T> => {
    const begun = Date.now();
    return work.then((value) => {
      log("info", `${label} ready in ${Date.now() - begun} ms`);
      return value;
    });
  };
  const azuriteStart = timed(
    "Azurite",
    AzuriteBlobService.start({
      stateDir,
      certPath: certificates.serverCertPath,
      keyPath: certificates.serverKeyPath,
      caCertPem: certificates.caCertPem,
      accounts: storageAccountsIn(store),
      log,
    }),
  );
  let directory: Directory;
  let entraKey: SigningKey;
  let devOpsKey: SigningKey;
  let server: LocalHttpsServer | undefined;
  let port: number;
  let validator: SwaggerValidator | undefined;
  let azurite: AzuriteBlobService;
  try {
    directory = Directory.openOrCreate(stateDir, settings.scopedWorkspace);
    entraKey = loadOrCreateSigningKey(stateDir, "entra-signing-key.pem");
    devOpsKey = loadOrCreateSigningKey(stateDir, "devops-oidc-signing-key.pem");
    log("info", `certificates, identities and state loaded in ${Date.now() - started} ms`);
    server = new LocalHttpsServer({ cert: certificates.serverCertPem, key: certificates.serverKeyPem }, (error) =>
      log("error", `unhandled: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    );
    const validatorStart = settings.strict ? timed("swagger validator", SwaggerValidator.create(log)) : Promise.resolve(undefined);
    const results = await Promise.all([server.listen(settings.port), validatorStart, azuriteStart]);
    [port, validator] = results;
    azurite = results[2].service;
    const previousPort = results[2].previousPort;
    if (previousPort !== undefined && previousPort !== azurite.port) {
      const moved = relocateStorageEndpoints(store, `localhost:${previousPort}`, azurite.endpointSuffix);
      log("warn", `Azurite's previous port ${previousPort} was taken; ${moved} stored endpoints moved to ${azurite.endpointSuffix}`);
    }
  } catch (error) {
    await server?.close();
    await azuriteStart.then((result) => result.service.stop()).catch(() => undefined);
    throw error;
  }
  const httpsServer = server;

  const baseUrl = `https://localhost:${port}`;
  directory.bindFederatedCredentials(baseUrl);
  const tokens = new AccessTokenService(entraKey, directory.state.tenantId, baseUrl, settings.tokenLifetimeSeconds);
  const faults = new FaultInjector(settings.faults);
  const requestLog = new RequestLog();
  const operations = new OperationScheduler(
    store,
    faults,
    { baseUrl, provisioningMs: settings.provisioningSeconds * 1000, retryAfterSeconds: settings.retryAfterSeconds },
    log,
  );
  const runs = new InMemoryRunStore();
  const jobs = new MachineLearningJobs({ store, storage: azurite, runs, workDir: join(stateDir, "jobs"), python: settings.python, log });
  jobs.recover();
  const serving = new OnlineServing({ store, storage: azurite, workDir: join(stateDir, "online"), python: settings.python, log });
  const services: ArmServices = { store, operations, directory, storage: azurite, jobs, serving, baseUrl, log };
  const arm = new ArmPipeline({
    routes: [...allResourceProviderRoutes(services), ...operations.routes()],
    tokens,
    directory,
    store,
    faults,
    validator,
    requestLog,
    log,
    settings: {
      baseUrl,
      authorityUrl: baseUrl,
      tenantId: directory.state.tenantId,
      subscriptionId: directory.state.subscriptionId,
      defaultLocation: settings.location,
      acceptedAudiences: armAudiences(baseUrl),
    },
  });
  const identity: IdentityContext = {
    directory,
    tokens,
    entraKey,
    devOpsKey,
    baseUrl,
    knownResources: knownResources(baseUrl),
    tokenLifetimeSeconds: settings.tokenLifetimeSeconds,
    log,
  };
  const fileUrls = new FileUrlSigner(baseUrl);
  const dataPlane = createDataPlaneChain({
    routes: [runFileRoute(runs, fileUrls), discoveryRoute(baseUrl), ...runHistoryRoutes(runs, fileUrls)],
    tokens,
    directory,
    audiences: dataPlaneAudiences(baseUrl),
    faults,
    validator,
    requestLog,
    log,
  });
  const adminToken = randomBytes(18).toString("base64url");
  httpsServer.setHandler(
    createDispatcher({
      arm,
      dataPlane,
      identity: createIdentityChain({ identity, faults, requestLog, log }),
      inference: createScoringRoute({ store, serving, tokens, directory, requestLog, log }),
      admin: { token: adminToken, faults, validator, requestLog, directory },
    }),
  );
  operations.resume();
  // Deployments that were serving serve again; those still being created finish with their operation.
  serving.recover();

  const connection = buildConnection({
    baseUrl,
    caCertPath: certificates.caCertPath,
    location: settings.location,
    directory,
    oidcRequestPath: oidcRequestPath(identity),
    storage: { endpointSuffix: azurite.endpointSuffix, protocol: azurite.protocol, url: azurite.url },
    adminToken,
  });
  const connectionFile = join(stateDir, "connection.json");
  writeJsonAtomic(connectionFile, connection);
  const startupMs = Date.now() - started;
  log("info", `local Azure listening on ${baseUrl} (Azurite on ${azurite.url}, strict ${settings.strict}) after ${startupMs} ms`);

  let stopping: Promise<void> | undefined;
  return {
    connection,
    connectionFile,
    startupMs,
    stop: () => {
      stopping ??= (async () => {
        await httpsServer.close();
        // No job's or deployment's process outlives the local Azure; the jobs it ends this way
        // end Failed, while deployments keep their state and serve again after the next start.
        // Operations stop first, so that one waiting for a deployment stays in progress.
        const operationsStopped = operations.stop();
        await Promise.all([jobs.stopAll(), serving.stopAll()]);
        await operationsStopped;
        await azurite.stop();
        log("info", "local Azure stopped");
      })();
      return stopping;
    },
    violations: () => validator?.violations() ?? [],
    validationCounts: () => validator?.validationCounts() ?? { validated: 0, refused: 0, unmatched: 0 },
    setFaults: (faultSettings) => faults.configure(faultSettings),
    requests: () => requestLog.list(),
    clearRequests: () => requestLog.clear(),
    addServicePrincipal: (name, role, scope) => servicePrincipalConnection(directory.addServicePrincipal(name, [{ role, scope }]), undefined),
    runs,
    fileUrls,
  };
}
