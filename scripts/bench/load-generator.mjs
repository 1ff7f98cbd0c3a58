// An HTTP load generator, run as its own process so that it does not share an event loop with
// whatever the bench measures: `concurrency` clients, each sending its next request as soon as
// the previous one is answered, over keep-alive connections (a server that closes them, as
// gunicorn's sync workers do, costs a new connection per request, which is part of its figure).
// Requests answered during the warm-up are not counted; after it, every request that both starts
// and ends within the measured window is.
//
// Usage: node load-generator.mjs <json options>
//   { url, method, headers, body, concurrency, warmupSeconds, seconds }
// Prints one JSON line: { requests, errors, statuses, seconds, requestsPerSecond, p50Ms, p99Ms, maxMs }.
import http from "node:http";
import https from "node:https";

const options = JSON.parse(process.argv[2]);
const url = new URL(options.url);
const client = url.protocol === "https:" ? https : http;
const agent = new client.Agent({ keepAlive: true, maxSockets: options.concurrency, ...(options.ca ? { ca: options.ca } : {}) });
const body = options.body === undefined ? undefined : Buffer.from(options.body);
const headers = { ...(options.headers ?? {}), ...(body ? { "content-length": String(body.length) } : {}) };

const now = () => Number(process.hrtime.bigint()) / 1e6;
const start = now();
const windowStart = start + options.warmupSeconds * 1000;
const windowEnd = windowStart + options.seconds * 1000;
const latencies = [];
const statuses = {};
let errors = 0;

function once() {
  return new Promise((resolve) => {
    const sent = now();
    const request = client.request(url, { method: options.method ?? "GET", headers, agent }, (response) => {
      response.on("data", () => {});
      response.on("end", () => {
        const ended = now();
        if (sent >= windowStart && ended <= windowEnd) {
          latencies.push(ended - sent);
          statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
        }
        resolve();
      });
    });
    request.on("error", () => {
      if (sent >= windowStart && now() <= windowEnd) errors++;
      resolve();
    });
    request.end(body);
  });
}

async function keepSending() {
  while (now() < windowEnd) await once();
}

await Promise.all(Array.from({ length: options.concurrency }, keepSending));
agent.destroy();

const sorted = latencies.sort((a, b) => a - b);
const percentile = (p) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
console.log(
  JSON.stringify({
    requests: sorted.length,
    errors,
    statuses,
    seconds: options.seconds,
    requestsPerSecond: sorted.length / options.seconds,
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    maxMs: sorted.at(-1) ?? NaN,
  }),
);
