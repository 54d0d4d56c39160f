"""Turns bench/rest/run.sh's timings into the markdown of docs/BENCHMARKS.md's "MLflow tracking server" section."""
import os
import platform
import statistics
import subprocess
import sys


def main():
    path, uri, reps, proc_reps, upload_mb, upload_reps = sys.argv[1:7]
    rows = {}
    for line in open(path):
        parts = line.split()
        if parts[1] == "footprint":
            rows.setdefault((parts[0], "footprint"), []).append(float(parts[2]))
        elif parts[1] == "process":
            rows.setdefault((parts[0], "process"), []).append(float(parts[2]))
        elif parts[1] in ("upload", "upload-s3"):
            size, millis = int(parts[2]), float(parts[3])
            rows.setdefault((parts[0], parts[1]), []).append(size / (1024 * 1024) / (millis / 1000))

    def stats(values):
        q = statistics.quantiles(values, n=10) if len(values) >= 2 else [values[0]] * 9
        return statistics.median(values), min(values), max(values), q[0], q[-1]

    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    cpus = os.cpu_count()
    out = []
    out.append("## MLflow tracking server")
    out.append("")
    out.append("cropcast's REST adapter (`MlflowRestRunStore` + `MlflowArtifactsArtifactStore`) against the pinned "
               "Python MLflow 3.17.2 client (`MlflowClient`), both talking to one `mlflow server` 3.17.2 "
               "(SQLite backend, `--serve-artifacts`, 2 workers) on 127.0.0.1, in the same run; the S3 upload to a second "
               "such server whose `--artifacts-destination` is a bucket on the S3 adapter's test server (S3Mock 5.2.0, "
               "in its own JVM on loopback).")
    out.append("")
    import datetime
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ")
    out.append(f"Measured {when} on {cpus} cores ({model}), shared with other jobs; {java}. "
               "Command: `bench/rest/run.sh` "
               f"(REPS={reps} PROC_REPS={proc_reps} UPLOAD_MB={upload_mb} UPLOAD_REPS={upload_reps}).")
    out.append("")
    out.append("Footprint of one pipeline invocation: experiment lookup, run create with 20 tags, 9 params, "
               "200 metrics in 4 batches, 2 YAML (2 KB) + 10 PNG (40 KB) + 2 Parquet-sized (1 MiB) artifacts "
               "through the proxy, end run. cropcast uploads the artifacts of each kind in one `logFiles` batch (up to 4 PUTs "
               "at once on its shared HTTP client); the Python client's `log_artifact` (and `log_artifacts`) sends them one "
               "after the other. Both processes keep one client (and its kept-alive connections) for all repetitions.")
    out.append("")
    out.append("| measurement | cropcast median (p10-p90) | Python client median (p10-p90) | cropcast / Python |")
    out.append("|---|---|---|---|")
    labels = {"footprint": "footprint, in-process (ms, lower is better)",
              "process": "footprint, whole process incl. start-up (ms)",
              "upload": f"{upload_mb} MiB artifact upload through the proxy to a local destination, one PUT (MiB/s, higher is better)",
              "upload-s3": f"{upload_mb} MiB artifact upload through the proxy to S3, multipart (MiB/s, higher is better)"}
    for kind in ("footprint", "process", "upload", "upload-s3"):
        c, p = rows.get(("cropcast", kind)), rows.get(("python", kind))
        if not c or not p:
            continue
        cm, _, _, c10, c90 = stats(c)
        pm, _, _, p10, p90 = stats(p)
        out.append(f"| {labels[kind]}, n={len(c)} each | {cm:.0f} ({c10:.0f}-{c90:.0f}) | {pm:.0f} ({p10:.0f}-{p90:.0f}) | "
                   f"**{cm / pm:.2f}** |")
    out.append("")
    out.append("cropcast's uploads ran in a JVM limited to `-Xmx256m` (a single PUT and each multipart part stream from "
               "disk, at most 4 parts at once). With a local destination MLflow has no "
               "multipart, so both clients send one streamed PUT that the server writes to disk. With the S3 destination "
               "both clients run with `MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD=true` and "
               "`MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE` = 64 MiB and `MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE` not set, so "
               "each client uses its own default chunk size: Python 10 MiB, cropcast 64 MiB (docs/TRACKING-SERVER.md, "
               "\"Multipart uploads: speed\", says why and what it buys on S3Mock): `mpu/create` on "
               "the server, the parts PUT straight to S3 through the presigned URLs it hands out (Python: a pool of "
               "min(2 x cores, 20) threads, 4 here; cropcast: up to 4), `mpu/complete`. "
               "The machine is shared, so absolute numbers are noisy; the ratio is measured side by side.")
    print("\n".join(out))
    # the same samples for bench/report.py (docs/benchmarks.json), beside the other parts' *.jsonl
    import json
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "results", "rest.jsonl"), "w") as f:
        for (system, kind), values in sorted(rows.items()):
            unit = "MiB/s" if kind.startswith("upload") else "ms"
            f.write(json.dumps({"system": "rest-" + system, "op": kind, "unit": unit, "samples": values}) + "\n")


if __name__ == "__main__":
    main()
