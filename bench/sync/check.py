"""What a copy preserved, read with the pinned Python client: one JSON line.

Usage: check.py SOURCE_URI SOURCE_EXPERIMENT DEST_URI DEST_EXPERIMENT [HISTORY_EVERY]
Runs are matched by run name. HISTORY_EVERY (default 1): the full metric history is read back for every
Nth source run (by name order) only, so the scale case (20 million points) is read back in minutes;
"metric_history" then counts those runs, "history_checked" says how many. Counts runs at the destination (duplicates show as more runs than
the source), and per run whether start and end times, status, params, the full metric history
(steps, timestamps, values) and the artifact files (path, size) equal the source's.
"""
import json, sys
from mlflow import MlflowClient


def runs(client, name):
    exp = client.get_experiment_by_name(name)
    return [] if exp is None else client.search_runs([exp.experiment_id], max_results=50000)


def files(client, run_id, path=None):
    out = {}
    for f in client.list_artifacts(run_id, path):
        if f.is_dir:
            out.update(files(client, run_id, f.path))
        else:
            out[f.path] = f.file_size
    return out


def history(client, run):
    return {k: sorted((m.step, m.timestamp, m.value) for m in client.get_metric_history(run.info.run_id, k))
            for k in run.data.metrics}


src_uri, src_exp, dst_uri, dst_exp = sys.argv[1:5]
every = int(sys.argv[5]) if len(sys.argv) > 5 else 1
src, dst = MlflowClient(src_uri), MlflowClient(dst_uri)
source = {r.info.run_name: r for r in runs(src, src_exp)}
copies = runs(dst, dst_exp)
by_name = {}
for r in copies:
    by_name.setdefault(r.info.run_name, []).append(r)
ok = {"start_time": 0, "end_time": 0, "status": 0, "params": 0, "metric_history": 0, "artifacts": 0}
checked = 0
for i, (name, original) in enumerate(sorted(source.items())):
    copy = by_name.get(name, [None])[0]
    if copy is None:
        continue
    ok["start_time"] += copy.info.start_time == original.info.start_time
    ok["end_time"] += copy.info.end_time == original.info.end_time
    ok["status"] += copy.info.status == original.info.status
    ok["params"] += copy.data.params == original.data.params
    if i % every == 0:
        checked += 1
        ok["metric_history"] += history(dst, copy) == history(src, original)
    ok["artifacts"] += files(dst, copy.info.run_id) == files(src, original.info.run_id)
print(json.dumps({"source_runs": len(source), "destination_runs": len(copies),
                  "runs_preserving": ok, "history_checked": checked}))
