import { LiveValidator, LiveValidationIssue } from "oav";
import { log as oavLog } from "oav/dist/lib/util/logging";
import { Logger } from "../logging";
import { assertPinnedSwaggersPresent, pinnedSwaggers, specificationDirectory } from "./specificationLocation";

export interface ValidationIssue {
  code: string;
  message: string;
  path: string;
  /** Whether the issue is in the JSON body or in a path, query or header parameter. */
  location: "body" | "parameter";
}

export interface ValidationOutcome {
  /** False when no swagger operation matches the URL: nothing was checked. */
  matched: boolean;
  operationId: string | undefined;
  issues: ValidationIssue[];
}

/** How many ARM and Azure ML data-plane requests strict mode checked against the swaggers, and what came of them. */
export interface ValidationCounts {
  /** Requests checked: against ARM's own rules, then against the swagger operation they matched. */
  validated: number;
  /** Of those, the ones refused because an ARM rule or the swagger says no. */
  refused: number;
  /** Requests no loaded swagger operation matched: refused as ARM refuses an unknown type or api-version. */
  unmatched: number;
}

export interface Violation {
  time: string;
  operationId: string;
  method: string;
  url: string;
  statusCode: number;
  issues: ValidationIssue[];
}

export interface LiveMessage {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

function toIssues(errors: LiveValidationIssue[]): ValidationIssue[] {
  return errors.map((error) => ({
    code: String(error.code),
    message: error.message,
    path: error.pathsInPayload?.[0] ?? "",
    // oav writes body locations as "$.a.b" and parameter locations as ".path.name".
    location: (error.jsonPathsInPayload?.[0] ?? "$").startsWith("$") ? "body" : "parameter",
  }));
}

function bodyObject(body: unknown): Record<string, unknown> | undefined {
  if (body === undefined || body === null) return undefined;
  return JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
}

/**
 * Checks ARM and Azure ML data-plane traffic against the official swaggers with oav's
 * LiveValidator, loaded once at start from the pinned api-versions only (oav matches operations by
 * provider namespace in the path and exact api-version, ignoring the host: the data plane's
 * `/history/v1.0/…/providers/Microsoft.MachineLearningServices/…` paths sit beside ARM's at
 * api-version "v1.0"; a data-plane request without api-version is validated as v1.0).
 */
export class SwaggerValidator {
  private readonly recorded: Violation[] = [];
  private readonly counts: ValidationCounts = { validated: 0, refused: 0, unmatched: 0 };

  private constructor(
    private readonly validator: LiveValidator,
    private readonly log: Logger,
  ) {}

  static async create(log: Logger): Promise<SwaggerValidator> {
    // oav logs every swagger path it cannot bucket by provider to the console; we keep our own log.
    oavLog.consoleLogLevel = "off";
    const directory = specificationDirectory();
    assertPinnedSwaggersPresent(directory);
    const validator = new LiveValidator({
      directory,
      swaggerPathsPattern: [...pinnedSwaggers],
      git: { shouldClone: false },
      isPathCaseSensitive: false,
      // oav skips data-plane swaggers by default (machinelearningservices/data-plane among them),
      // which would leave run-history.json unloaded; only the pinned files are loaded anyway.
      excludedSwaggerPathsPattern: [],
    });
    await validator.initialize();
    return new SwaggerValidator(validator, log);
  }

  async validateRequest(request: LiveMessage): Promise<ValidationOutcome> {
    const result = await this.validator.validateLiveRequest({
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: bodyObject(request.body),
    });
    const operationId = result.operationInfo?.operationId;
    if (!operationId || operationId === "unknownOperationId") return { matched: false, operationId: undefined, issues: [] };
    if (result.runtimeException) {
      // oav found the operation but could not check the request (it catches what its validator
      // throws): that is no pass. The request is refused, naming why.
      return {
        matched: true,
        operationId,
        issues: [{ code: String(result.runtimeException.code), message: "The request could not be validated.", path: "", location: "body" }],
      };
    }
    return { matched: true, operationId, issues: toIssues(result.errors) };
  }

  async validateResponse(request: LiveMessage, statusCode: number, headers: Record<string, string>, body: unknown): Promise<ValidationOutcome> {
    const result = await this.validator.validateLiveResponse(
      { statusCode: String(statusCode), headers, body: bodyObject(body) },
      { url: request.url, method: request.method },
    );
    const operationId = result.operationInfo?.operationId;
    if (result.runtimeException || !operationId || operationId === "unknownOperationId") {
      return { matched: false, operationId: undefined, issues: [] };
    }
    // Errors raised by ARM itself (401, 403, 404 of a resource group, 429…) are not the
    // resource provider's contract; some swaggers (Storage) declare no error response at all.
    const issues = toIssues(result.errors).filter((issue) => !(statusCode >= 400 && issue.code === "INVALID_RESPONSE_CODE"));
    return { matched: true, operationId, issues };
  }

  /** Counts a request strict mode checked (refused or not) or could not match. */
  count(outcome: "passed" | "refused" | "unmatched"): void {
    if (outcome === "unmatched") this.counts.unmatched++;
    else {
      this.counts.validated++;
      if (outcome === "refused") this.counts.refused++;
    }
  }

  validationCounts(): ValidationCounts {
    return { ...this.counts };
  }

  record(violation: Violation): void {
    this.recorded.push(violation);
    this.log(
      "error",
      `VIOLATION ${violation.operationId} ${violation.method} ${violation.url} → ${violation.statusCode}: ${violation.issues.map((issue) => `${issue.code} ${issue.path} ${issue.message}`).join("; ")}`,
    );
  }

  violations(): Violation[] {
    return this.recorded.map((violation) => ({ ...violation, issues: [...violation.issues] }));
  }
}
