"""A small HTTP scoring app with the contract of Azure ML's inference server (azmlinfsrv).

It loads an Azure ML scoring script (score.py with init() and run(raw_data)), calls init() once
per process with AZUREML_MODEL_DIR set as Azure lays the model out, and answers:

    GET  /        200 "Healthy"
    POST /score   run(<request body as text>) -> JSON
    GET  /score   run(<query string as a JSON object>) -> JSON

Run it two ways:

    python app.py                                                        (a quick local check)
    gunicorn --bind 0.0.0.0:$PORT --workers $WORKER_COUNT --worker-class gthread --threads 4 app:app
                                                                         (production, as the Dockerfile does)

Environment variables: AML_APP_ROOT (the scoring code's folder, default ./code),
AZUREML_ENTRY_SCRIPT (default score.py), AZUREML_MODEL_DIR (default the only folder
./azureml-models/<name>/<version>), PORT (default 5001, 0 for any free port), HOST (default
127.0.0.1 for `python app.py`).

A scoring script without init() or run(), or an init() that raises, ends the process with exit
status 3, as azmlinfsrv does: a deployment that cannot score must not look healthy.
"""

import glob
import importlib.util
import inspect
import json
import logging
import os
import sys
import threading
import time
import traceback
import uuid

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

SERVER_VERSION = "azmlinfsrv-compatible/1.0.0"
STARTUP_FAILURE = 3
LONGEST_REQUEST_ID = 100
HERE = os.path.dirname(os.path.abspath(__file__))

RUN_FAILED_MESSAGE = "An unexpected error occurred in scoring script. Check the logs for more info."
INTERNAL_ERROR_MESSAGE = "An unexpected internal error occurred. Check the logs for more info."

# The scoring script's own logging.info lines are part of the deployment's log in Azure.
logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
log = logging.getLogger("scoring-app")


class ScoringScript:
    """The loaded scoring script: its run() function and whether run() takes the request headers."""

    def __init__(self, run, wants_headers):
        self.run = run
        self.wants_headers = wants_headers
        # azmlinfsrv calls run() one request at a time per worker, and scoring scripts assume it:
        # gunicorn's threads and the threaded development server serve connections side by
        # side, but score one after the other.
        self.lock = threading.Lock()


def fail_startup(message):
    """Prints why the app cannot serve (with the traceback being handled, if any) and exits 3."""
    if sys.exc_info()[0] is not None:
        traceback.print_exc(file=sys.stderr)
    print(f"Scoring app: {message}", file=sys.stderr, flush=True)
    sys.exit(STARTUP_FAILURE)


def default_model_dir():
    """The only <app folder>/azureml-models/<name>/<version> folder, as a Docker context lays it out."""
    candidates = [path for path in glob.glob(os.path.join(HERE, "azureml-models", "*", "*")) if os.path.isdir(path)]
    return candidates[0] if len(candidates) == 1 else None


def prepare_environment():
    """AML_APP_ROOT first on sys.path and AZUREML_MODEL_DIR in os.environ, before the script is imported."""
    app_root = os.path.abspath(os.environ.get("AML_APP_ROOT") or os.path.join(HERE, "code"))
    os.environ["AML_APP_ROOT"] = app_root
    if app_root not in sys.path:
        sys.path.insert(0, app_root)
    if not os.environ.get("AZUREML_MODEL_DIR"):
        model_dir = default_model_dir()
        if model_dir is not None:
            os.environ["AZUREML_MODEL_DIR"] = model_dir
        else:
            log.warning("AZUREML_MODEL_DIR is not set and %s holds no single model folder.", os.path.join(HERE, "azureml-models", "<name>", "<version>"))
    return app_root


def load_scoring_script():
    """Imports the entry script and calls its init(); any failure ends the process with status 3."""
    app_root = prepare_environment()
    entry = os.environ.get("AZUREML_ENTRY_SCRIPT") or "score.py"
    path = entry if os.path.isabs(entry) else os.path.join(app_root, entry)
    if not os.path.isfile(path):
        fail_startup(f"the entry script {path} does not exist (AZUREML_ENTRY_SCRIPT={entry!r}, AML_APP_ROOT={app_root!r}).")
    module_name = os.path.splitext(os.path.basename(path))[0]
    if module_name in sys.modules or module_name == "app":
        module_name = "azureml_entry_script"
    try:
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        # Registered before it runs, so that pickles and relative imports can find it by name.
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    except Exception:
        fail_startup(f"importing the entry script {path} failed.")
    for name in ("init", "run"):
        if not callable(getattr(module, name, None)):
            fail_startup(f"the entry script {path} defines no {name}() function; a scoring script needs init() and run(raw_data).")
    try:
        module.init()
    except Exception:
        fail_startup(f"init() of the entry script {path} raised.")
    try:
        wants_headers = "request_headers" in inspect.signature(module.run).parameters
    except (TypeError, ValueError):
        wants_headers = False
    log.info("Scoring script %s initialised (AZUREML_MODEL_DIR=%s).", path, os.environ.get("AZUREML_MODEL_DIR", ""))
    return ScoringScript(module.run, wants_headers)


def json_message(message, status):
    return Response(json.dumps({"message": message}), status=status, mimetype="application/json")


app = Flask(__name__)
scoring = load_scoring_script()


@app.before_request
def start_request():
    request.environ["scoring_app.run_ms"] = 0.0
    request.environ["scoring_app.run_failed"] = False
    given = request.headers.get("x-request-id")
    if given is not None and len(given) > LONGEST_REQUEST_ID:
        request.environ["scoring_app.request_id"] = str(uuid.uuid4())
        return json_message(f"x-request-id must be at most {LONGEST_REQUEST_ID} characters long.", 431)
    request.environ["scoring_app.request_id"] = given or str(uuid.uuid4())
    return None


@app.after_request
def tracing_headers(response):
    environ = request.environ
    request_id = environ.get("scoring_app.request_id") or str(uuid.uuid4())
    response.headers["x-ms-run-fn-exec-ms"] = f"{environ.get('scoring_app.run_ms', 0.0):.3f}"
    response.headers["x-request-id"] = request_id
    response.headers["x-ms-request-id"] = request_id
    response.headers["x-ms-client-request-id"] = request.headers.get("x-ms-client-request-id") or request_id
    response.headers["x-ms-run-function-failed"] = "True" if environ.get("scoring_app.run_failed") else "False"
    response.headers["x-ms-server-version"] = SERVER_VERSION
    return response


@app.errorhandler(HTTPException)
def http_error(error):
    return json_message(error.description or error.name, error.code or 500)


@app.route("/", methods=["GET"])
def health():
    return Response("Healthy", status=200, mimetype="text/plain")


@app.route("/swagger.json", methods=["GET"])
def swagger():
    return json_message("This scoring app has no swagger: its scoring script declares no input or output schema.", 404)


@app.route("/score", methods=["GET", "POST", "OPTIONS"])
def score():
    if request.method == "OPTIONS":
        return Response(status=200)
    if request.method == "GET":
        raw_data = json.dumps(request.args.to_dict())
    else:
        try:
            raw_data = request.get_data().decode("utf-8")
        except UnicodeDecodeError:
            return json_message("The request body is not valid UTF-8.", 400)
    arguments = {"request_headers": dict(request.headers)} if scoring.wants_headers else {}
    started = time.perf_counter()
    try:
        with scoring.lock:
            result = scoring.run(raw_data, **arguments)
    except Exception:
        request.environ["scoring_app.run_failed"] = True
        traceback.print_exc(file=sys.stderr)
        return json_message(RUN_FAILED_MESSAGE, 500)
    finally:
        request.environ["scoring_app.run_ms"] = (time.perf_counter() - started) * 1000
    if isinstance(result, Response):
        return result
    try:
        body = json.dumps({} if result is None else result)
    except (TypeError, ValueError, OverflowError):
        traceback.print_exc(file=sys.stderr)
        return json_message(INTERNAL_ERROR_MESSAGE, 500)
    return Response(body, status=200, mimetype="application/json")


def serve():
    """Flask's development server (threaded), for `python app.py`; gunicorn serves in production."""
    from werkzeug.serving import make_server

    host = os.environ.get("HOST") or "127.0.0.1"
    port = int(os.environ.get("PORT") or "5001")
    server = make_server(host, port, app, threaded=True)
    print(f"Scoring app listening on http://{host}:{server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    serve()
