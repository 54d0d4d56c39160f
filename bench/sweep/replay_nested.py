"""Replays the tracking calls of a cropcast sweep with Python MLflow's own store, as nested runs.

Reads the child runs of a finished cropcast sweep (its mlruns.db), then makes the same calls into
a fresh SQLite database with the pinned Python MLflow: one parent run, and for each child
`mlflow.start_run(nested=True)` with its params, tags and metric history (one log_metrics call per
step, as cropcast logs a fold per batch), spread over N processes. Only the tracking calls: no
hindcast is computed, so this is what Python MLflow's store costs for the same grid, not a whole
Python pipeline. Prints one TSV line: processes, runs, failures, wall seconds.

    python replay_nested.py SOURCE_DB TARGET_DB PROCESSES
"""
import multiprocessing as mp
import sqlite3
import sys
import time
import traceback


def children(source):
    con = sqlite3.connect(source)
    parent = con.execute("SELECT r.run_uuid FROM runs r JOIN tags t ON t.run_uuid = r.run_uuid"
                         " WHERE t.key = 'stage' AND t.value = 'sweep'").fetchone()[0]
    ids = [r[0] for r in con.execute("SELECT run_uuid FROM tags WHERE key = 'mlflow.parentRunId' AND value = ?",
                                      (parent,))]
    out = []
    for run_id in ids:
        params = dict(con.execute("SELECT key, value FROM params WHERE run_uuid = ?", (run_id,)))
        tags = {k: v for k, v in con.execute("SELECT key, value FROM tags WHERE run_uuid = ?", (run_id,))
                if not k.startswith("mlflow.")}
        steps = {}
        for key, value, step in con.execute("SELECT key, value, step FROM metrics WHERE run_uuid = ?", (run_id,)):
            steps.setdefault(step, {})[key] = value
        out.append((params, tags, sorted(steps.items())))
    return out


def worker(args):
    target, experiment_id, parent_id, batch = args
    import mlflow
    mlflow.set_tracking_uri("sqlite:///" + target)
    failures = 0
    for params, tags, steps in batch:
        try:
            # a child of the sweep's parent run, as start_run(nested=True) under it makes one
            with mlflow.start_run(experiment_id=experiment_id, parent_run_id=parent_id, nested=True):
                mlflow.log_params(params)
                mlflow.set_tags(tags)
                for step, metrics in steps:
                    mlflow.log_metrics(metrics, step=int(step))
        except Exception:
            traceback.print_exc()
            failures += 1
    return failures


def main():
    source, target, processes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    runs = children(source)
    import mlflow
    mlflow.set_tracking_uri("sqlite:///" + target)
    mlflow.set_experiment("sweep-replay")
    with mlflow.start_run(run_name="sweep") as parent:
        parent_id = parent.info.run_id
        experiment_id = parent.info.experiment_id
    batches = [runs[i::processes] for i in range(processes)]
    start = time.perf_counter()
    with mp.get_context("spawn").Pool(processes) as pool:
        failures = sum(pool.map(worker, [(target, experiment_id, parent_id, b) for b in batches]))
    wall = time.perf_counter() - start
    print(f"{processes}\t{len(runs)}\t{failures}\t{wall:.1f}")


if __name__ == "__main__":
    main()
