"""The Python MLflow client's side of bench/rest (see run.sh), the same work as RestFootprintBench.java.

Usage: footprint.py footprint TRACKING_URI FIXTURES_DIR REPS
       footprint.py upload TRACKING_URI FILE
       footprint.py fixtures DIR          (writes the footprint's artifact files)
"""
import os
import sys
import time


def footprint(client, fixtures, rep):
    from mlflow.entities import Metric, Param
    name = "bench-footprint-python"
    experiment = client.get_experiment_by_name(name)
    experiment_id = experiment.experiment_id if experiment else client.create_experiment(name)
    tags = {f"cropcast.tag{t}": f"value-{t}-{rep}" for t in range(20)}
    now = int(time.time() * 1000)
    run = client.create_run(experiment_id, run_name=f"hindcast-{rep}", tags=tags, start_time=now)
    run_id = run.info.run_id
    client.log_batch(run_id, params=[Param(f"param{p}", f"value-{p}") for p in range(9)])
    for batch in range(4):
        metrics = [Metric(f"fold{batch}.metric{m % 10}", m * 0.01, now + m, m // 10) for m in range(50)]
        client.log_batch(run_id, metrics=metrics)
    for yaml in ("config_resolved.yaml", "run_summary.yaml"):
        client.log_artifact(run_id, os.path.join(fixtures, yaml))
    folds = os.path.join(fixtures, "folds")
    for png in sorted(os.listdir(folds)):
        client.log_artifact(run_id, os.path.join(folds, png), "reports/folds")
    for parquet in ("features.parquet", "predictions.parquet"):
        client.log_artifact(run_id, os.path.join(fixtures, parquet), "datasets")
    client.set_terminated(run_id, "FINISHED")


def fixtures(directory):
    import random
    rnd = random.Random(1)
    os.makedirs(os.path.join(directory, "folds"), exist_ok=True)
    for name in ("config_resolved.yaml", "run_summary.yaml"):
        with open(os.path.join(directory, name), "w") as f:
            for i in range(80):
                f.write(f"key_{i}: value {i} {'x' * 12}\n")
    for i in range(10):
        with open(os.path.join(directory, "folds", f"fold_{2010 + i}.png"), "wb") as f:
            f.write(rnd.randbytes(40 * 1024))
    for name in ("features.parquet", "predictions.parquet"):
        with open(os.path.join(directory, name), "wb") as f:
            f.write(rnd.randbytes(1024 * 1024))


def main():
    mode = sys.argv[1]
    if mode == "fixtures":
        fixtures(sys.argv[2])
        return
    from mlflow import MlflowClient
    client = MlflowClient(tracking_uri=sys.argv[2])
    if mode == "footprint":
        for rep in range(int(sys.argv[4])):
            start = time.perf_counter()
            footprint(client, sys.argv[3], rep)
            print(f"footprint {(time.perf_counter() - start) * 1000:.1f}", flush=True)
    else:
        path = sys.argv[3]
        experiment = client.get_experiment_by_name("bench-upload")
        experiment_id = experiment.experiment_id if experiment else client.create_experiment("bench-upload")
        run = client.create_run(experiment_id, run_name="python-upload")
        start = time.perf_counter()
        client.log_artifact(run.info.run_id, path, "data")
        millis = (time.perf_counter() - start) * 1000
        client.set_terminated(run.info.run_id)
        print(f"upload {os.path.getsize(path)} {millis:.0f}", flush=True)


if __name__ == "__main__":
    main()
