"""Scores requests with the model train.py wrote: the init()/run() contract of Azure ML's
inference server (and of the scoring app in a Docker build context made by AzureMLDeploy).

Request:  {"data": [[10 numbers], ...]}   (the diabetes features, as train.py saw them)
Response: [prediction, ...]

Run it on a laptop without any server:  python src/score.py --model_dir outputs/model --request ml/sample-request.json
"""

import argparse
import json
import logging
import os
import sys

import joblib
import numpy

MODEL_FILE_NAME = os.getenv("MODEL_FILE_NAME", "model.pkl")
model = None


def find_model_file(model_dir, file_name=MODEL_FILE_NAME):
    """The model's file under AZUREML_MODEL_DIR. Azure keeps the registered folder's name as a
    path component (azureml-models/<name>/<version>/<folder>/model.pkl), and that name depends on
    how the model was registered, so the file is looked for rather than assumed."""
    for folder, _, files in sorted(os.walk(model_dir)):
        if file_name in files:
            return os.path.join(folder, file_name)
    raise FileNotFoundError(f"No {file_name} under {model_dir}")


def init():
    global model
    model_dir = os.getenv("AZUREML_MODEL_DIR")
    if not model_dir:
        raise RuntimeError("AZUREML_MODEL_DIR is not set")
    path = find_model_file(model_dir)
    model = joblib.load(path)
    logging.info("Loaded model from %s", path)


def run(raw_data):
    rows = json.loads(raw_data)["data"]
    predictions = model.predict(numpy.array(rows, dtype=float))
    logging.info("Scored %d rows", len(rows))
    return predictions.tolist()


def main(argv):
    parser = argparse.ArgumentParser(description="Score a request file with a local model, as the endpoint would.")
    parser.add_argument("--model_dir", default="outputs/model", help="folder that holds model.pkl")
    parser.add_argument("--request", default="ml/sample-request.json", help="request body (JSON)")
    args = parser.parse_args(argv)
    os.environ["AZUREML_MODEL_DIR"] = args.model_dir
    init()
    with open(args.request, encoding="utf-8") as body:
        print(json.dumps(run(body.read())))


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main(sys.argv[1:])
