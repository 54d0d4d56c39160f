"""The Python MLflow peer of OpsBench.java: the same operations through the pinned MLflow's public
client (MlflowClient) on its own SQLite store (sqlite:/// tracking URI, SqlAlchemyStore).
Prints the same JSON lines as OpsBench.java, with "system": "mlflow".

  ops_peer.py init      DB EXPERIMENT
  ops_peer.py latency   WORKDIR REPEATS
  ops_peer.py search    DB REPEATS MAX_RESULTS
  ops_peer.py ingest    WORKDIR ROWS ROUNDS
  ops_peer.py writer    DB GO INDEX BATCHES PER_BATCH
  ops_peer.py footprint DB FIXTURES
"""
import json
import os
import shutil
import sys
import time

T0 = 1_700_000_000_000
WARMUP = 3


def client_for(db):
    from mlflow.tracking import MlflowClient
    return MlflowClient(tracking_uri="sqlite:///" + os.path.abspath(db))


def emit(op, samples, size=None, unit="ms"):
    line = {"system": "mlflow", "op": op, "unit": unit, "samples": [round(s, 4) for s in samples]}
    if size is not None:
        line["size"] = size
    print(json.dumps(line), flush=True)


def timed(repeats, fn):
    samples = []
    for i in range(WARMUP + repeats):
        t = time.perf_counter()
        fn(i)
        if i >= WARMUP:
            samples.append((time.perf_counter() - t) * 1000)
    return samples


def metrics(n, step):
    from mlflow.entities import Metric
    return [Metric("metric_%d" % i, i * 0.5 + step, T0 + step, step) for i in range(n)]


def tags(n):
    from mlflow.entities import RunTag
    return [RunTag("tag_%d" % i, "value %d" % i) for i in range(n)]


def params(n):
    from mlflow.entities import Param
    return [Param("param_%d" % i, str(i * 7)) for i in range(n)]


def experiment(client, name):
    found = client.get_experiment_by_name(name)
    return found.experiment_id if found else client.create_experiment(name)


def latency(work, repeats):
    db = os.path.join(work, "latency-mlflow", "mlruns.db")
    os.makedirs(os.path.dirname(db), exist_ok=True)
    client = client_for(db)
    exp = experiment(client, "latency")
    emit("create_run", timed(repeats, lambda i: client.create_run(exp, start_time=int(time.time() * 1000), run_name="r%d" % i)))
    for size in (10, 500, 1000):
        run = client.create_run(exp, run_name="batch%d" % size).info.run_id
        emit("log_batch_%d" % size, timed(repeats, lambda i: client.log_batch(run, metrics=metrics(size, i))))
    rich = client.create_run(exp, run_name="rich", tags={t.key: t.value for t in tags(20)}).info.run_id
    client.log_batch(rich, metrics=metrics(100, 0), params=params(9))
    emit("get_run", timed(repeats, lambda i: client.get_run(rich)))


def search(db, repeats, max_results):
    client = client_for(db)
    exp = client.get_experiment_by_name("search").experiment_id

    def one(_):
        found = client.search_runs([exp], max_results=max_results)
        if len(found) != max_results:
            raise SystemExit("found %d runs, expected %d" % (len(found), max_results))

    emit("search_%d" % max_results, timed(repeats, one))


def ingest(work, rows, rounds):
    from mlflow.entities import Metric
    batches = []
    for start in range(0, rows, 1000):
        batches.append([Metric("metric_%d" % (i % 100), i * 0.001, T0 + i, i // 100) for i in range(start, min(rows, start + 1000))])
    samples = []
    for r in range(rounds):
        directory = os.path.join(work, "ingest-mlflow-%d-%d" % (rows, r))
        os.makedirs(directory, exist_ok=True)
        client = client_for(os.path.join(directory, "mlruns.db"))
        run = client.create_run(experiment(client, "ingest"), run_name="ingest").info.run_id
        t = time.perf_counter()
        for batch in batches:
            client.log_batch(run, metrics=batch)
        samples.append(time.perf_counter() - t)
        shutil.rmtree(directory, ignore_errors=True)
    emit("ingest", samples, size=rows, unit="s")


def writer(db, go, index, batches, per_batch):
    ok, failed, kinds = 0, 0, []

    def attempt(fn):
        nonlocal ok, failed
        try:
            result = fn()
            ok += 1
            return result
        except Exception as e:  # the peer's failures are what this benchmark counts
            failed += 1
            kind = "%s: %s" % (type(e).__name__, str(e).split("\n")[0][:120])
            if kind not in kinds:
                kinds.append(kind)
            return None

    client = client_for(db)  # opened before "ready": start-up is not part of the measurement
    exp = attempt(lambda: experiment(client, "concurrency"))
    ok = 0
    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.001)
    run = None
    if exp is not None:
        run = attempt(lambda: client.create_run(exp, run_name="writer-%d" % index, tags={t.key: t.value for t in tags(20)}))
    if run is not None:
        run_id = run.info.run_id
        attempt(lambda: client.log_batch(run_id, params=params(9)))
        for b in range(batches):
            attempt(lambda: client.log_batch(run_id, metrics=metrics(per_batch, b)))
        attempt(lambda: client.set_terminated(run_id, "FINISHED"))
    else:
        failed += batches + 2  # the operations that could not even be attempted
    print("result %d %d %s" % (ok, failed, json.dumps(kinds)), flush=True)


def footprint(db, fixtures):
    """The same tracking as OpsBench footprint, including `import mlflow`, as one process."""
    from mlflow.entities import Metric
    client = client_for(db)
    exp = experiment(client, "footprint")
    now = int(time.time() * 1000)
    run_id = client.create_run(exp, start_time=now, run_name="hindcast", tags={t.key: t.value for t in tags(20)}).info.run_id
    client.log_batch(run_id, params=params(9))
    for b in range(4):
        client.log_batch(run_id, metrics=[Metric("fold%d.metric%d" % (b, m % 10), m * 0.01, now + m, m // 10) for m in range(50)])
    for name in sorted(os.listdir(fixtures)):
        directory = "reports/folds" if name.endswith(".png") else "datasets" if name.endswith(".parquet") else None
        client.log_artifact(run_id, os.path.join(fixtures, name), directory)
    client.set_terminated(run_id, "FINISHED")


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "init":
        os.makedirs(os.path.dirname(os.path.abspath(args[0])), exist_ok=True)
        experiment(client_for(args[0]), args[1])
    elif mode == "latency":
        latency(args[0], int(args[1]))
    elif mode == "search":
        search(args[0], int(args[1]), int(args[2]))
    elif mode == "ingest":
        ingest(args[0], int(args[1]), int(args[2]))
    elif mode == "writer":
        writer(args[0], args[1], int(args[2]), int(args[3]), int(args[4]))
    elif mode == "footprint":
        footprint(args[0], args[1])
    else:
        raise SystemExit("unknown mode " + mode)
