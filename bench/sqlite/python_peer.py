"""The Python MLflow peer of bench/sqlite: the same operations on MLflow's own SQLite store.

  python_peer.py latency DB REPEATS      -> prints "<operation> <median ms> <p10> <p90> <median CPU ms>" for
                                            log_batch_1000_keys (1,000 metrics, 1,000 keys),
                                            log_batch_10_keys (1,000 metrics: 10 keys x 100 steps)
                                            and run_lifecycle
  python_peer.py writer DB GO INDEX BATCHES PER_BATCH
                                         -> one of 16 concurrent writers: prints "ready", waits for
                                            the GO file, then "result <ok ops> <failed ops> <error kinds>"
"""
import os
import statistics
import sys
import time

from mlflow.entities import Metric, Param, RunStatus, RunTag
from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore


def store_for(db):
    return SqlAlchemyStore("sqlite:///" + db, os.path.join(os.path.dirname(db), "mlartifacts"))


def quantiles(samples):
    s = sorted(samples)
    pick = lambda q: s[min(len(s) - 1, int(q * len(s)))]
    return statistics.median(s), pick(0.1), pick(0.9)


def latency(db, repeats):
    store = store_for(db)
    exp = store.create_experiment("bench-python")
    for name, keys in (("log_batch_1000_keys", 1000), ("log_batch_10_keys", 10)):
        run = store.create_run(exp, "bench", int(time.time() * 1000), [], name).info.run_id
        samples, cpu = [], []
        steps = 1000 // keys
        for r in range(repeats + 3):
            metrics = [Metric("m%d" % (i % keys), i * 0.5, 1700000000000 + r, r * steps + i // keys) for i in range(1000)]
            t, c = time.perf_counter(), time.thread_time()
            store.log_batch(run, metrics, [], [])
            if r >= 3:
                samples.append((time.perf_counter() - t) * 1000)
                cpu.append((time.thread_time() - c) * 1000)
        print("%s %.3f %.3f %.3f %.3f" % ((name,) + quantiles(samples) + (statistics.median(cpu),)))
    samples, cpu = [], []
    for r in range(repeats + 3):
        t, c = time.perf_counter(), time.thread_time()
        tags = [RunTag("tag%d" % i, "value %d" % i) for i in range(20)]
        run_id = store.create_run(exp, "bench", int(time.time() * 1000), tags, "r%d" % r).info.run_id
        store.log_batch(run_id, [], [Param("param%d" % i, str(i)) for i in range(9)], [])
        store.update_run_info(run_id, RunStatus.FINISHED, int(time.time() * 1000), None)
        if r >= 3:
            samples.append((time.perf_counter() - t) * 1000)
            cpu.append((time.thread_time() - c) * 1000)
    print("run_lifecycle %.3f %.3f %.3f %.3f" % (quantiles(samples) + (statistics.median(cpu),)))


def get_or_create_experiment(store, name):
    """As mlflow.set_experiment does: create, and on RESOURCE_ALREADY_EXISTS (a racing process) read it."""
    from mlflow.exceptions import MlflowException

    experiment = store.get_experiment_by_name(name)
    if experiment is not None:
        return experiment
    try:
        return store.create_experiment(name)
    except MlflowException as e:
        if e.error_code == "RESOURCE_ALREADY_EXISTS":
            return store.get_experiment_by_name(name)
        raise


def writer(db, go, index, batches, per_batch):
    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.001)
    ok, failed, kinds = 0, 0, set()

    def attempt(fn):
        nonlocal ok, failed
        try:
            result = fn()
            ok += 1
            return result
        except Exception as e:  # the peer's failures are what we count
            failed += 1
            kinds.add(type(e).__name__ + ":" + str(e).split("\n")[0][:60].replace(" ", "_"))
            return None

    store = attempt(lambda: store_for(db))
    if store is not None:
        exp = attempt(lambda: get_or_create_experiment(store, "concurrency"))
        if exp is not None:
            exp_id = exp if isinstance(exp, str) else exp.experiment_id
            tags = [RunTag("tag%d" % t, "value %d of writer %d" % (t, index)) for t in range(20)]
            run = attempt(lambda: store.create_run(exp_id, "writer", int(time.time() * 1000), tags, "writer-%d" % index))
            if run is not None:
                run_id = run.info.run_id
                attempt(lambda: store.log_batch(run_id, [], [Param("param%d" % p, str(p * index)) for p in range(9)], []))
                for b in range(batches):
                    metrics = [Metric("metric%d" % m, b * 0.5 + m, 1700000000000 + b, b) for m in range(per_batch)]
                    attempt(lambda: store.log_batch(run_id, metrics, [], [RunTag("progress", str(b))]))
                attempt(lambda: store.update_run_info(run_id, RunStatus.FINISHED, int(time.time() * 1000), None))
    print("result %d %d %s" % (ok, failed, ",".join(sorted(kinds)) or "-"), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "latency":
        latency(sys.argv[2], int(sys.argv[3]))
    else:
        writer(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
