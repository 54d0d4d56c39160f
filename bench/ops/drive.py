"""Drives bench/ops (see bench/run.sh): cropcast's embedded store (OpsBench.java), raw SQLite
(OpsBench.java, plain JDBC) and the pinned Python MLflow on its own SQLite store (ops_peer.py),
each comparison measured in the same invocation, alternating between the systems.

  drive.py PART --mode quick|full --out RESULTS.jsonl --work DIR --classpath CP --jar CROPCAST_JAR

PART is one of: latency, search, ingest, concurrency, footprint. Every measurement is appended to
RESULTS.jsonl as one JSON object (system, op, unit, samples, and for sized or concurrent
measurements size / processes and failure counts).
"""
import argparse
import json
import os
import random
import zipfile
import shutil
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEER = os.path.join(HERE, "ops_peer.py")

SIZES = {
    # part: {quick: ..., full: ...}
    "latency_repeats": {"quick": (40, 5), "full": (200, 20)},  # (cropcast and raw, Python)
    "search_runs": {"quick": 2000, "full": 10000},
    "search_repeats": {"quick": (10, 3), "full": (30, 7)},
    "ingest_sizes": {"quick": [1000, 10000, 100000], "full": [1000, 10000, 100000, 1000000]},
    "ingest_python_max": {"quick": 10000, "full": 50000},
    "ingest_rounds": {"quick": (2, 1), "full": (2, 2)},
    "concurrency": {"quick": [1, 4, 16, 32], "full": [1, 4, 16, 32]},
    "concurrency_batches": {"quick": 10, "full": 25},
    "concurrency_repeats": {"quick": 1, "full": 2},
    "footprint_repeats": {"quick": 3, "full": 5},
    "cli_repeats": {"quick": 1, "full": 3},
}


def log(msg):
    print("[bench/ops %s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr, flush=True)


class Bench:
    def __init__(self, args):
        self.mode = args.mode
        self.work = os.path.abspath(args.work)
        self.out = args.out
        self.java = [os.path.join(os.environ.get("JAVA_HOME", ""), "bin", "java") if os.environ.get("JAVA_HOME") else "java"]
        self.cp = args.classpath
        self.jar = args.jar
        self.python = sys.executable
        os.makedirs(self.work, exist_ok=True)

    def size(self, key):
        return SIZES[key][self.mode]

    def record(self, obj):
        with open(self.out, "a") as f:
            f.write(json.dumps(obj) + "\n")

    def run_lines(self, command, cwd=None):
        """Runs a command, returns the JSON lines it printed; fails loudly with its output."""
        p = subprocess.run(command, cwd=cwd or self.work, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            raise RuntimeError("%s exited %d:\n%s\n%s" % (" ".join(command[:4]), p.returncode, p.stdout[-2000:], p.stderr[-4000:]))
        return [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]

    def java_ops(self, *args, heap="-Xmx512m"):
        return self.java + [heap, "-cp", self.cp, "OpsBench"] + [str(a) for a in args]

    def py_ops(self, *args):
        return [self.python, PEER] + [str(a) for a in args]

    # ------------------------------------------------------------------ parts

    def latency(self):
        repeats, py_repeats = self.size("latency_repeats")
        work = os.path.join(self.work, "latency")
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        log("per-operation latency: cropcast and raw SQLite, %d repeats (log_batch: %d calls, as Python)" % (repeats, py_repeats))
        for line in self.run_lines(self.java_ops("latency", work, repeats, py_repeats)):
            self.record(line)
        log("per-operation latency: Python MLflow, %d repeats" % py_repeats)
        for line in self.run_lines(self.py_ops("latency", work, py_repeats)):
            self.record(line)

    def search(self):
        runs = self.size("search_runs")
        repeats, py_repeats = self.size("search_repeats")
        work = os.path.join(self.work, "search")
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        db = os.path.join(work, "cropcast.db")
        log("search: populating %d runs (through cropcast's store)" % runs)
        self.run_lines(self.java_ops("populate", db, runs))
        with sqlite3.connect(db) as c:
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        py_db = os.path.join(work, "mlflow.db")
        shutil.copyfile(db, py_db)  # the same rows for both: MLflow reads cropcast's database as its own
        for max_results in (100, 1000):
            log("search over %d runs, %d results" % (runs, max_results))
            for line in self.run_lines(self.java_ops("search", db, repeats, max_results)):
                line["runs"] = runs
                self.record(line)
            for line in self.run_lines(self.py_ops("search", py_db, py_repeats, max_results)):
                line["runs"] = runs
                self.record(line)

    def ingest(self):
        rounds, py_rounds = self.size("ingest_rounds")
        work = os.path.join(self.work, "ingest")
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
        for rows in self.size("ingest_sizes"):
            log("bulk ingest of %d metric rows: cropcast and raw SQLite, %d rounds" % (rows, rounds))
            for line in self.run_lines(self.java_ops("ingest", work, rows, rounds, heap="-Xmx2g")):
                self.record(line)
            if rows <= self.size("ingest_python_max"):
                log("bulk ingest of %d metric rows: Python MLflow, %d rounds" % (rows, py_rounds))
                for line in self.run_lines(self.py_ops("ingest", work, rows, py_rounds)):
                    self.record(line)

    def concurrency(self):
        batches, per_batch = self.size("concurrency_batches"), 10
        for n in self.size("concurrency"):
            for rep in range(self.size("concurrency_repeats")):
                for system in (("cropcast", "mlflow") if rep % 2 == 0 else ("mlflow", "cropcast")):
                    self.record(self.writers(system, n, rep, batches, per_batch))

    def writers(self, system, n, rep, batches, per_batch):
        directory = os.path.join(self.work, "concurrency", "%s-%d-%d" % (system, n, rep))
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
        db = os.path.join(directory, "mlruns.db")
        go = os.path.join(directory, "go")
        init = self.java_ops("init", db, "concurrency") if system == "cropcast" else self.py_ops("init", db, "concurrency")
        subprocess.run(init, cwd=directory, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        log("concurrency: %d %s writer processes, %d batches of %d metrics each (repetition %d)" % (n, system, batches, per_batch, rep + 1))
        procs = []
        for i in range(n):
            if system == "cropcast":
                cmd = self.java + ["-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", self.cp, "OpsBench", "writer"]
            else:
                cmd = [self.python, PEER, "writer"]
            cmd += [db, go, str(i), str(batches), str(per_batch)]
            err = open(os.path.join(directory, "writer-%d.err" % i), "w")
            procs.append(subprocess.Popen(cmd, cwd=directory, stdout=subprocess.PIPE, stderr=err, text=True))
        for p in procs:
            line = p.stdout.readline()
            if not line.startswith("ready"):
                log("a writer did not get ready: %r" % line)
        start = time.perf_counter()
        open(go, "w").close()
        deadline = start + 900
        ok = failed = 0
        kinds = []
        for i, p in enumerate(procs):
            try:
                out, _ = p.communicate(timeout=max(1, deadline - time.perf_counter()))
            except subprocess.TimeoutExpired:
                p.kill()
                out, _ = p.communicate()
                kinds.append("writer killed after 900 s")
            result = [line for line in out.splitlines() if line.startswith("result ")]
            if result:
                _, o, f, k = result[-1].split(" ", 3)
                ok += int(o)
                failed += int(f)
                kinds.extend(x for x in json.loads(k) if x not in kinds)
            if p.returncode != 0 or not result:
                failed += 1
                with open(os.path.join(directory, "writer-%d.err" % i)) as e:
                    tail = [line for line in e.read().splitlines() if line.strip()][-1:] or [""]
                kind = "process exited %d: %s" % (p.returncode, tail[0][:160])
                if kind not in kinds:
                    kinds.append(kind)
        wall = time.perf_counter() - start
        rows, finished, integrity = 0, 0, "missing"
        if os.path.exists(db):
            with sqlite3.connect(db, timeout=60) as c:
                exp = c.execute("SELECT experiment_id FROM experiments WHERE name = 'concurrency'").fetchone()
                rows = c.execute("SELECT count(*) FROM metrics m JOIN runs r ON r.run_uuid = m.run_uuid WHERE r.experiment_id = ?", exp).fetchone()[0]
                finished = c.execute("SELECT count(*) FROM runs WHERE status = 'FINISHED' AND experiment_id = ?", exp).fetchone()[0]
                integrity = c.execute("PRAGMA integrity_check").fetchone()[0]
        expected = n * batches * per_batch
        log("  %s x%d: %.1f s, %d/%d rows, %d failed operations, %d/%d runs finished, integrity %s"
            % (system, n, wall, rows, expected, failed, finished, n, integrity))
        shutil.rmtree(directory, ignore_errors=True)
        return {"system": system, "op": "concurrency", "processes": n, "repetition": rep, "unit": "s", "samples": [round(wall, 3)],
                "rows": rows, "expected_rows": expected, "ok_ops": ok, "failed_ops": failed, "finished_runs": finished,
                "integrity": integrity, "failure_kinds": kinds[:12], "batches": batches, "per_batch": per_batch}

    def jarred_classpath(self, directory):
        """The class path with each directory entry packed into a jar (zipfile) under directory."""
        os.makedirs(directory, exist_ok=True)
        entries = []
        for i, entry in enumerate(self.cp.split(os.pathsep)):
            if os.path.isdir(entry):
                jar = os.path.join(directory, "entry-%02d.jar" % i)
                with zipfile.ZipFile(jar, "w", zipfile.ZIP_STORED) as z:
                    for root, _, files in os.walk(entry):
                        for name in files:
                            path = os.path.join(root, name)
                            z.write(path, os.path.relpath(path, entry))
                entries.append(jar)
            else:
                entries.append(entry)
        return os.pathsep.join(entries)

    def footprint(self):
        repeats = self.size("footprint_repeats")
        work = os.path.join(self.work, "footprint")
        shutil.rmtree(work, ignore_errors=True)
        fixtures = os.path.join(work, "fixtures")
        os.makedirs(fixtures)
        rnd = random.Random(7)
        for name, size in [("config_resolved.yaml", 3000), ("run_summary.yaml", 2000)] + \
                [("fold_%02d.png" % i, 60_000) for i in range(10)] + [("fit.parquet", 1_500_000), ("pred.parquet", 400_000)]:
            with open(os.path.join(fixtures, name), "wb") as f:
                f.write(rnd.randbytes(size))
        # cropcast-launcher: the same process with the JVM options of pipeline-app's launcher (a class-data-sharing
        # archive, recorded here by the first, unmeasured invocation; C1 only; serial GC; no hsperfdata file)
        archive = os.path.join(work, "opsbench.jsa")
        # class-data sharing archives classes from jars only (a non-empty directory on the class path is an error), so
        # the footprint runs of both cropcast variants use the class directories packed as jars, as the launcher does
        saved_cp = self.cp
        self.cp = self.jarred_classpath(os.path.join(work, "classpath"))
        launcher = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xlog:disable", "-Xlog:all=warning:stderr"]
        commands = {
            "cropcast": lambda db: self.java_ops("footprint", db, fixtures, heap="-Xmx256m"),
            "cropcast-launcher": lambda db: self.java + ["-XX:SharedArchiveFile=" + archive] + launcher +
            self.java_ops("footprint", db, fixtures, heap="-Xmx256m")[1:],
            "mlflow": lambda db: self.py_ops("footprint", db, fixtures),
        }
        samples = {k: {"wall": [], "cpu": [], "rss": []} for k in commands}
        for system, command in commands.items():  # a first invocation creates each database, not measured
            os.makedirs(os.path.join(work, system))
            db = os.path.join(work, system, "mlruns.db")
            if system == "cropcast-launcher":
                measure(self.java + ["-XX:ArchiveClassesAtExit=" + archive] + launcher +
                        self.java_ops("footprint", db, fixtures, heap="-Xmx256m")[1:], os.path.join(work, system))
            else:
                measure(command(db), os.path.join(work, system))
        order = ("cropcast", "cropcast-launcher", "mlflow")
        for rep in range(repeats):
            for system in (order if rep % 2 == 0 else tuple(reversed(order))):
                wall, cpu, rss = measure(commands[system](os.path.join(work, system, "mlruns.db")), os.path.join(work, system))
                samples[system]["wall"].append(wall)
                samples[system]["cpu"].append(cpu)
                samples[system]["rss"].append(rss)
                log("footprint %s: %.2f s wall, %.2f s CPU, %.0f MiB peak RSS" % (system, wall, cpu, rss))
        self.cp = saved_cp
        for system, s in samples.items():
            self.record({"system": system, "op": "footprint", "unit": "s", "samples": s["wall"], "cpu": s["cpu"], "rss_mib": s["rss"]})
        try:
            self.cli_footprint(work, self.size("cli_repeats"))
        except Exception as e:  # the Java/Python comparison above stands; the report says what failed here
            log("CLI footprint failed: %s" % e)
            self.record({"system": "cropcast-cli", "op": "cli_hindcast_error", "unit": "", "samples": [], "error": str(e)[-1500:]})
            raise

    def cli_footprint(self, work, repeats):
        """The real CLI: `cropcast run hindcast` on the demo data root, embedded SQLite vs memory: tracking."""
        if not os.path.exists(self.jar):
            log("no %s: skipping the CLI footprint" % self.jar)
            return
        demo = os.path.join(work, "demo")
        subprocess.run(["java", "-jar", self.jar, "-q", "demo", demo], cwd=work, check=True, stdout=subprocess.DEVNULL)
        configs = sorted(f for f in os.listdir(demo) if f.endswith(".yaml"))
        if len(configs) != 1:
            raise RuntimeError("expected one YAML configuration in the demo root %s, found %s" % (demo, configs))
        config = os.path.join(demo, configs[0])
        variants = {
            "cropcast-cli-sqlite": ["java", "-jar", self.jar, "-q", "run", "hindcast", "--no-progress", "--config", config],
            "cropcast-cli-memory": ["java", "-jar", self.jar, "-q", "run", "hindcast", "--no-progress", "--config", config,
                                    "--set", "mlflow_tracking_uri=memory:bench"],
        }
        samples = {k: {"wall": [], "cpu": [], "rss": []} for k in variants}
        measure(variants["cropcast-cli-sqlite"], work)  # creates mlruns.db, not measured
        for rep in range(repeats):
            for name in (list(variants) if rep % 2 == 0 else list(reversed(variants))):
                wall, cpu, rss = measure(variants[name], work)
                for key, value in (("wall", wall), ("cpu", cpu), ("rss", rss)):
                    samples[name][key].append(value)
                log("%s: %.2f s wall, %.2f s CPU, %.0f MiB peak RSS" % (name, wall, cpu, rss))
        for name, s in samples.items():
            self.record({"system": name, "op": "cli_hindcast", "unit": "s", "samples": s["wall"], "cpu": s["cpu"], "rss_mib": s["rss"]})


def measure(command, cwd):
    """Wall time, CPU time (user + system) and peak RSS (MiB) of one whole process."""
    start = time.perf_counter()
    p = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(command[:6]), p.returncode, err[-3000:]))
    return round(wall, 3), round(usage.ru_utime + usage.ru_stime, 3), round(usage.ru_maxrss / 1024, 1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("part", choices=["latency", "search", "ingest", "concurrency", "footprint"])
    parser.add_argument("--mode", choices=["quick", "full"], required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--classpath", required=True)
    parser.add_argument("--jar", default="")
    parser.add_argument("--levels", help="comma-separated process counts, overriding the mode's (concurrency only)")
    args = parser.parse_args()
    if args.levels:
        SIZES["concurrency"][args.mode] = [int(x) for x in args.levels.split(",")]
    bench = Bench(args)
    getattr(bench, args.part)()


if __name__ == "__main__":
    main()
