"""Trains a Ridge regression on scikit-learn's bundled diabetes data (no download needed).

A core script: plain ML code, every value an argument with a default, so it runs as
`python src/train.py` on a laptop and as an Azure ML command job whose arguments come from
configuration/configuration-<env>.yml through the AzureMLTrain task.
"""

import argparse
import json
import os
import sys


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Train a Ridge regression on the diabetes data.")
    parser.add_argument("--alpha", type=float, default=1.0, help="regularisation strength (> 0)")
    parser.add_argument("--test_size", type=float, default=0.2, help="share of rows held out (0..1)")
    parser.add_argument("--random_state", type=int, default=42, help="seed of the train/test split")
    parser.add_argument("--data_path", default="", help="optional CSV (or folder of CSVs) with feature columns and a 'target' column")
    parser.add_argument("--model_dir", default="outputs/model", help="folder that receives model.pkl")
    parser.add_argument("--model_file_name", default="model.pkl", help="file name of the pickled model")
    parser.add_argument("--metrics_file", default="outputs/metrics.json", help="where the evaluation metrics go (JSON)")
    args = parser.parse_args(argv)
    if args.alpha <= 0:
        parser.error("--alpha must be greater than 0")
    if not 0 < args.test_size < 1:
        parser.error("--test_size must be between 0 and 1")
    return args


def load_data(data_path):
    if not data_path:
        from sklearn.datasets import load_diabetes

        return load_diabetes(return_X_y=True)
    import pandas as pd

    path = data_path
    if os.path.isdir(path):
        csvs = sorted(name for name in os.listdir(path) if name.endswith(".csv"))
        if not csvs:
            sys.exit(f"No CSV file in {path}")
        path = os.path.join(path, csvs[0])
    frame = pd.read_csv(path)
    if "target" not in frame.columns:
        sys.exit(f"{path} has no 'target' column")
    return frame.drop(columns=["target"]).values, frame["target"].values


def main(argv):
    args = parse_args(argv)
    import joblib
    from sklearn.linear_model import Ridge
    from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
    from sklearn.model_selection import train_test_split

    features, target = load_data(args.data_path)
    print(f"Training Ridge(alpha={args.alpha}) on {len(target)} rows with {features.shape[1]} features", flush=True)
    x_train, x_test, y_train, y_test = train_test_split(features, target, test_size=args.test_size, random_state=args.random_state)
    model = Ridge(alpha=args.alpha).fit(x_train, y_train)
    predictions = model.predict(x_test)
    metrics = {
        "rmse": float(mean_squared_error(y_test, predictions) ** 0.5),
        "mae": float(mean_absolute_error(y_test, predictions)),
        "r2": float(r2_score(y_test, predictions)),
        "alpha": args.alpha,
        "rows": int(len(target)),
    }
    print(f"rmse={metrics['rmse']:.3f} mae={metrics['mae']:.3f} r2={metrics['r2']:.3f}", flush=True)

    os.makedirs(args.model_dir, exist_ok=True)
    model_path = os.path.join(args.model_dir, args.model_file_name)
    joblib.dump(model, model_path)
    os.makedirs(os.path.dirname(os.path.abspath(args.metrics_file)), exist_ok=True)
    with open(args.metrics_file, "w", encoding="utf-8") as out:
        json.dump(metrics, out, indent=2)
    print(f"Wrote {model_path} and {args.metrics_file}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
