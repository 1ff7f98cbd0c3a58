/*
 * How the image serves the scoring app: gunicorn, as Azure ML's inference server does on Linux,
 * started by `sh -c` so that the port, worker count and timeout come from the container's
 * environment (`docker run -e WORKER_COUNT=4 …`). The Dockerfile and the tests that start the
 * app "as the Dockerfile does" take the command from here.
 */

/** Where the image keeps the app, as Azure ML's inference containers do. */
export const containerAppRoot = "/var/azureml-app";

/** The inference server's port. */
export const defaultPort = 5001;

/**
 * Seconds a gunicorn worker may go silent, loading the model in init() included, before gunicorn
 * restarts it (gunicorn's own default, 30 s, kills a worker that loads a large model). Azure ML's
 * inference server reads the same variable with the same default.
 */
export const defaultWorkerTimeoutSeconds = 300;

/**
 * Threads per worker (gunicorn's gthread worker): they keep HTTP connections alive, read requests
 * and answer `GET /` while another request scores, but run() itself stays one at a time per worker
 * (app.py holds a lock), so WORKER_COUNT is still the number of requests scored at once, as Azure
 * ML's max_concurrent_requests_per_instance. gunicorn's default sync worker opens a connection per
 * request (it served a third to a half fewer requests per second in `npm run bench`) and leaves a
 * health check waiting behind a long run().
 */
export const defaultWorkerThreads = 4;

/** The variables the command reads, with the image's defaults. */
export const servingVariables = {
  PORT: String(defaultPort),
  WORKER_COUNT: "1",
  WORKER_THREADS: String(defaultWorkerThreads),
  WORKER_TIMEOUT: String(defaultWorkerTimeoutSeconds),
} as const;

/** The shell command that serves the app from its folder; `exec` makes gunicorn the process that gets docker's SIGTERM. */
export function gunicornShellCommand(host = "0.0.0.0"): string {
  return `exec gunicorn --bind ${host}:\${PORT} --workers \${WORKER_COUNT} --worker-class gthread --threads \${WORKER_THREADS} --timeout \${WORKER_TIMEOUT} app:app`;
}
