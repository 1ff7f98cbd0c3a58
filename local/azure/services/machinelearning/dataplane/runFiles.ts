import { dataPlaneErrors } from "./dataPlaneErrors";
import { DataPlaneRoute } from "./dataPlaneRoute";
import { RunStore } from "./runStore";
import { FileUrlSigner, signedFilePathPrefix } from "./signedUrls";

const prefixSegments = signedFilePathPrefix.split("/").filter((segment) => segment.length > 0);

/**
 * A run's files (logs, artifacts) behind the signed URLs of `RunDetails.logFiles`: the SDK reads
 * them with a plain GET and no token, as it reads a storage SAS URL.
 */
export function runFileRoute(runs: RunStore, signer: FileUrlSigner): DataPlaneRoute {
  return {
    operationId: "RunFiles_Get",
    method: "GET",
    match: (segments) =>
      segments.length > prefixSegments.length && prefixSegments.every((segment, index) => segments[index].toLowerCase() === segment) ? {} : undefined,
    authentication: "none",
    inSwagger: false,
    handler: ({ exchange }) => {
      const check = signer.check(exchange.path, exchange.query);
      if (!check.ok) {
        const why =
          check.reason === "expired"
            ? "The signed URL has expired."
            : check.reason === "missing"
              ? "The URL is not signed."
              : "The URL's signature does not match.";
        throw dataPlaneErrors.forbidden(`${why} Ask run history for a fresh one.`);
      }
      const content = runs.file(check.path);
      if (!content) throw dataPlaneErrors.notFound(`The file '${check.path}'`);
      return { status: 200, content, headers: { "Content-Type": "application/octet-stream" } };
    },
  };
}
