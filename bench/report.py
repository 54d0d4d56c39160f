"""Writes docs/BENCHMARKS.md and docs/img/*.png from bench/results (called by bench/run.sh).

Inputs in the results directory: machine.txt (key=value), started/finished, loadavg.start/end,
commands (each invocation of bench/run.sh), <part>.jsonl (bench/ops measurements),
<part>.status ("ok SECONDS MODE LOAD", "failed SECONDS MODE exit RC", "timeout SECONDS MODE ...",
"missing PATH", "not-run"), <part>.out (a sub-benchmark's Markdown on stdout),
<part>.log, and <part>.doc-before/.doc-after when a sub-benchmark wrote BENCHMARKS.md itself.
"""
import argparse
import json
import os
import re
import statistics
import subprocess

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SUB_BENCHES = [
    ("sqlite", "Embedded SQLite store (bench/sqlite)", "bench/sqlite/run.sh --print",
     "Bulk ingest against raw SQLite, log_batch and run lifecycle against Python MLflow's store, 16 writers on a new database."),
    ("rest", "Tracking server (bench/rest)", "bench/rest/run.sh",
     "A pipeline invocation's tracking footprint and a 1 GiB artifact upload through the server's proxy (to a local"
     " destination, where MLflow has no multipart, and to S3 with proxy multipart on both sides), cropcast against the"
     " Python client on the same `mlflow server`. The goal `upload_proxy_1gib_vs_python` is the S3 variant (the issue's"
     " parallel parts); `upload_proxy_local_1gib_vs_python` is the local one."),
    ("s3", "S3-to-S3 artifact logging (bench/s3)", "bench/s3/run.sh",
     "Logging a dataset on S3 into an S3 artifact root: server-side copy against download-then-upload."),
    ("pipeline", "Pipeline stages (bench/pipeline)", "bench/pipeline/run.sh",
     "`run hindcast` on US corn, and a synthetic panel of 5,000 regions x 40 years x 24 features with -Xmx1g; tracking overhead."),
    ("embed", "Embedded entry point (bench/embed)", "bench/embed/run.sh",
     "The per-call cost of core's `Tracking`/`EmbeddedRun` against calling `SqliteRunStore` directly, in one JVM (docs/EMBEDDING.md)."),
    ("sync", "runs sync against mlflow-export-import (bench/sync)", "bench/sync/run.sh",
     "The same experiment from an embedded database to one `mlflow server`, copied twice by each (docs/SYNC.md)."),
    ("sync-scale", "runs sync at scale (bench/sync, PEER=0)", "PEER=0 bench/sync/run.sh",
     "cropcast alone: 2,000 runs x 10,000 metric points in full mode (fewer runs in quick mode), copied then synced again."),
    ("sweep", "Sweeps (bench/sweep)", "bench/sweep/run.sh",
     "A sweep of 16 hindcast children (4 in quick mode) on a new embedded database with `--parallel 8` (4) against `--parallel 1`,"
     " and the same children's tracking calls replayed by Python MLflow's own SQLite store as nested runs in 8 (4) processes:"
     " wall time, throughput and failures (docs/SWEEPS.md)."),
]

OPS = [
    ("create_run", "create run"),
    ("log_batch_10", "log_batch, 10 metrics"),
    ("log_batch_500", "log_batch, 500 metrics"),
    ("log_batch_1000", "log_batch, 1,000 metrics"),
    ("get_run", "get run (20 tags, 9 params, 100 metrics)"),
    ("search_100", "search runs, newest 100"),
    ("search_1000", "search runs, newest 1,000"),
]


def q(samples, p):
    s = sorted(samples)
    if len(s) == 1:
        return s[0]
    k = (len(s) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def med(samples):
    return statistics.median(samples)


def fmt(v, digits=None):
    if v is None:
        return "–"
    if digits is None:
        digits = 2 if v < 10 else 1 if v < 100 else 0
    return ("{:,.%df}" % digits).format(v)


def spread(samples):
    """median (p25–p75) for many samples, median (min–max) for few."""
    if len(samples) >= 10:
        return "%s (%s–%s)" % (fmt(med(samples)), fmt(q(samples, 0.25)), fmt(q(samples, 0.75)))
    if len(samples) == 1:
        return fmt(samples[0])
    return "%s (%s–%s)" % (fmt(med(samples)), fmt(min(samples)), fmt(max(samples)))


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    r = a / b
    return ("%.0fx" if r >= 10 else "%.1fx" if r >= 1 else "%.2fx") % r


class Report:
    def __init__(self, args):
        self.args = args
        self.r = args.results
        self.lines = []
        self.ops = []
        for name in sorted(os.listdir(self.r)):
            if name.endswith(".jsonl"):
                with open(os.path.join(self.r, name)) as f:
                    self.ops += [json.loads(line) for line in f if line.strip()]
        self.machine = {}
        if os.path.exists(self.file("machine.txt")):
            for line in open(self.file("machine.txt")):
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    self.machine[k] = re.sub(r"\x1b\[[0-9;]*m", "", v)
        self.headline = []  # (what, cropcast, peer, ratio text, target)
        os.makedirs(args.img, exist_ok=True)
        self.img_rel = os.path.relpath(args.img, os.path.dirname(os.path.abspath(args.doc)))

    def file(self, name):
        return os.path.join(self.r, name)

    def read(self, name, default=""):
        try:
            with open(self.file(name)) as f:
                return f.read().strip()
        except FileNotFoundError:
            return default

    def modes(self):
        return {self.status(p).split()[2] for p in self.args.all_parts if len(self.status(p).split()) > 2 and
                self.status(p).split()[0] in ("ok", "failed", "timeout")}

    def status(self, part):
        return self.read(part + ".status", "not-run")

    def find(self, system, op, **extra):
        return [o for o in self.ops if o["system"] == system and o["op"] == op and all(o.get(k) == v for k, v in extra.items())]

    def samples(self, system, op, **extra):
        found = self.find(system, op, **extra)
        return found[0]["samples"] if found else None

    def out(self, text=""):
        self.lines.append(text)

    # ------------------------------------------------------------------ sections

    def header(self):
        m = self.machine
        self.out("# Benchmarks")
        self.out()
        commands = self.read("commands").splitlines()
        self.out("Written by %s from %s to %s, commit %s (**%s mode**%s). Do not edit by hand: run the command again."
                 % (" then ".join("`%s`" % c for c in commands), self.read("started"), self.read("finished"), m.get("commit", "?"),
                    "/".join(sorted(self.modes())) or "?", "; see \"What ran\" for each part's mode" if len(commands) > 1 else ""))
        self.out("`bench/run.sh --quick` runs the same comparisons with fewer repetitions and smaller sizes (10-20 minutes here, most of it the sub-benchmarks);"
                 " `bench/run.sh` is the full mode. Benchmarks are never part of `mvn test` or CI.")
        self.out()
        self.out("Every figure is compared with a peer **measured in the same run on the same machine**, alternating between the"
                 " systems where the work is repeated: the pinned Python MLflow with its own SQLite store (`sqlite:///` through"
                 " `MlflowClient`, i.e. SQLAlchemy), raw SQLite (plain JDBC statements on the same MLflow schema: the physical"
                 " limit), and, for the tracking server, the Python client against the same `mlflow server`. Spreads are"
                 " p25–p75 where there are at least 10 samples, min–max otherwise.")
        self.out()
        self.out("## Machine")
        self.out()
        self.out("| | |")
        self.out("|---|---|")
        for key, label in [("cpu", "CPU"), ("cores", "cores"), ("memory", "memory"), ("os", "OS"), ("disk", "disk (results)"),
                           ("jdk", "JDK"), ("maven", "Maven"), ("sqlite_jdbc", "sqlite-jdbc (cropcast)"),
                           ("jdbc_sqlite", "SQLite in sqlite-jdbc"), ("python", "Python"), ("mlflow", "MLflow (Python, pinned)"),
                           ("sqlalchemy", "SQLAlchemy"), ("python_sqlite", "SQLite in Python")]:
            self.out("| %s | %s |" % (label, m.get(key, "?")))
        self.out("| load average at start / end | %s / %s |" % (" ".join(self.read("loadavg.start").split()[:3]),
                                                            " ".join(self.read("loadavg.end").split()[:3])))
        self.out()
        start = [float(x) for x in self.read("loadavg.start").split()[:1] if x.replace(".", "", 1).isdigit()]
        busy = bool(start) and start[0] > 1.0
        self.out("**Noise.** This machine is small (%s cores) and %s (the load average at the end includes the benchmarks'"
                 " own processes). It is a virtual machine whose speed varies from hour to hour, so absolute times are noisy;"
                 " the ratios are more trustworthy because each pair ran interleaved under the same conditions, but even they"
                 " move by tens of percent between runs."
                 % (m.get("cores", "?"), "was busy with other jobs when this run started" if busy
                    else "ran no other jobs when this run started, as far as the load average tells"))
        self.out()

    def parts_table(self):
        self.out("## What ran")
        self.out()
        self.out("| part | status | mode | time | load average (1 min) at its end |")
        self.out("|---|---|---|---|---|")
        for part in self.args.all_parts:
            st = self.status(part).split()
            kind = st[0] if st else "not-run"
            ran = kind in ("ok", "failed", "timeout")
            label = {"ok": "ok", "failed": "**FAILED** (%s)" % " ".join(st[3:]), "timeout": "**TIMED OUT** (%s)" % " ".join(st[3:]),
                     "missing": "**MISSING**: `%s` does not exist" % " ".join(st[1:]), "not-run": "not run (`--only`)"}.get(kind, kind)
            self.out("| %s | %s | %s | %s | %s |" % (part, label, st[2] if ran else "", "%s s" % st[1] if ran else "",
                                                     st[3] if kind == "ok" and len(st) > 3 else ""))
        self.out()

    def summary(self):
        self.out("## Headline ratios")
        self.out()
        self.out("Medians from the sections below; \"x\" is how many times faster cropcast is than the peer (for the"
                 " ingest row, cropcast's rate as a share of raw SQLite's); the pipeline rows compare with the issue's targets."
                 " How busy the machine was: see Noise.")
        self.out()
        self.out("| comparison | cropcast | peer | ratio |")
        self.out("|---|---|---|---|")
        for row in self.headline:
            self.out("| %s |" % " | ".join(row))
        if not self.headline:
            self.out("| (no bench/ops results) | | | |")
        self.out()

    def latency(self):
        self.out("## Per-operation latency (embedded store)")
        self.out()
        if self.status("ops-latency").split()[0] != "ok" and self.status("ops-search").split()[0] != "ok":
            self.out(self.problem("ops-latency"))
            return
        search_runs = next((o.get("runs") for o in self.ops if o["op"].startswith("search_")), None)
        self.out("Milliseconds per call, cropcast and raw SQLite in one process, Python MLflow in another (create run and get run:"
                 " cropcast and raw SQLite %s calls after 30 warm-up calls, Python MLflow %s calls after 3). cropcast and raw"
                 " SQLite each write their own new database, their calls **alternating** (one cropcast call, one raw call), both"
                 " paths first warmed up alike on throwaway databases (30 rounds of every operation), so neither is measured while"
                 " the JIT still compiles driver code the other warmed. cropcast goes through its `RunStore` port (`SqliteRunStore`:"
                 " validation, `BEGIN IMMEDIATE`, busy retry, `latest_metrics` upkeep); raw SQLite is the least SQL that writes and"
                 " reads the same rows with the best plan SQLite allows on MLflow's schema (no index added): every statement"
                 " prepared once, one `BEGIN IMMEDIATE` per write, log_batch writing `metrics` and `latest_metrics`, get run as one"
                 " statement (runs row, tags, params, latest metrics in one `UNION ALL`), search as the page query then one"
                 " statement for the tags, params and latest metrics of all its runs (`json_each` over the ids), every column"
                 " read: the physical limit. Python MLflow goes through `MlflowClient` on `sqlite:///`. log_batch: every system"
                 " makes the same calls into its measured run (3 unreported, then %s measured), because each call grows the"
                 " `metrics` primary-key index and later calls cost more. Search runs over an experiment of **%s finished"
                 " runs** (5 tags, 3 params, 3 metrics each) written by cropcast and copied for MLflow, so all read the same"
                 " rows; cropcast and raw SQLite alternate on the same file."
                 % (self.count("cropcast", "create_run"), self.count("mlflow", "create_run"),
                    self.count("cropcast", "log_batch_1000"), fmt(search_runs, 0) if search_runs else "?"))
        self.out()
        self.out("| operation | cropcast | raw SQLite | Python MLflow | cropcast / raw SQLite time | Python MLflow / cropcast time"
                 " | Python MLflow / raw SQLite time (the best ratio any store on this schema could show) |")
        self.out("|---|---|---|---|---|---|---|")
        for op, label in OPS:
            c, r, p = self.samples("cropcast", op), self.samples("raw", op), self.samples("mlflow", op)
            if not (c or r or p):
                continue
            self.out("| %s | %s | %s | %s | %s | **%s** | %s |" % (label, spread(c) if c else "–", spread(r) if r else "–",
                                                               spread(p) if p else "–", ratio(med(c), med(r)) if c and r else "–",
                                                               ratio(med(p), med(c)) if c and p else "–",
                                                               ratio(med(p), med(r)) if r and p else "–"))
            if c and p:
                self.headline.append(["%s: Python MLflow store / cropcast time" % label, "%s ms" % fmt(med(c)),
                                      "%s ms" % fmt(med(p)), "**%s**" % ratio(med(p), med(c))])
        self.out()
        self.latency_plot()

    def count(self, system, op):
        s = self.samples(system, op)
        return len(s) if s else "?"

    def latency_plot(self):
        labels, series = [], {"cropcast": [], "raw": [], "mlflow": []}
        for op, label in OPS:
            if self.samples("cropcast", op) and self.samples("mlflow", op):
                labels.append(label.replace(", ", "\n").replace(" (", "\n("))
                for system in series:
                    s = self.samples(system, op)
                    series[system].append(med(s) if s else float("nan"))
        if not labels:
            return
        fig, ax = plt.subplots(figsize=(10, 4.8))
        width = 0.27
        names = {"cropcast": "cropcast (SqliteRunStore)", "raw": "raw SQLite (JDBC)", "mlflow": "Python MLflow (sqlite:///)"}
        for i, (system, values) in enumerate(series.items()):
            ax.bar([x + (i - 1) * width for x in range(len(labels))], values, width, label=names[system])
        ax.set_yscale("log")
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels(labels, fontsize=8)
        ax.set_ylabel("median latency per call (ms, log scale)")
        ax.set_title("Per-operation latency, embedded SQLite stores (same run, same machine)")
        ax.legend(fontsize=8)
        ax.grid(axis="y", which="both", alpha=0.3)
        fig.tight_layout()
        self.save(fig, "latency.png", "Per-operation latency")

    def ingest(self):
        self.out("## Bulk metric ingest: cost against data size")
        self.out()
        if self.status("ops-ingest").split()[0] != "ok":
            self.out(self.problem("ops-ingest"))
            return
        sizes = sorted({o["size"] for o in self.ops if o["op"] == "ingest"})
        self.out("Metric rows logged into one run in batches of 1,000 (100 keys, steps growing), each size on a new database,"
                 " seconds per whole ingest (median and min–max of the rounds; Python MLflow only up to the sizes it finishes"
                 " in reasonable time).")
        self.out()
        self.out("| rows | cropcast s | rows/s | raw SQLite s | rows/s | cropcast / raw rate | Python MLflow s | rows/s | cropcast / MLflow rate |")
        self.out("|---|---|---|---|---|---|---|---|---|")
        for size in sizes:
            c, r, p = (self.samples(s, "ingest", size=size) for s in ("cropcast", "raw", "mlflow"))
            rate = lambda s: size / med(s) if s else None  # noqa: E731
            self.out("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                fmt(size, 0), spread(c) if c else "–", fmt(rate(c), 0), spread(r) if r else "–", fmt(rate(r), 0),
                "%.0f%%" % (100 * rate(c) / rate(r)) if c and r else "–", spread(p) if p else "–", fmt(rate(p), 0),
                ratio(rate(c), rate(p)) if c and p else "–"))
        big = max((s for s in sizes if self.samples("cropcast", "ingest", size=s) and self.samples("raw", "ingest", size=s)), default=None)
        if big:
            c, r = self.samples("cropcast", "ingest", size=big), self.samples("raw", "ingest", size=big)
            self.headline.append(["bulk ingest of %s rows: cropcast rate / raw SQLite rate (target ≥ 75%%)" % fmt(big, 0),
                                  "%s rows/s" % fmt(big / med(c), 0), "%s rows/s" % fmt(big / med(r), 0),
                                  "**%.0f%%**" % (100 * med(r) / med(c))])
        pbig = max((s for s in sizes if self.samples("mlflow", "ingest", size=s) and self.samples("cropcast", "ingest", size=s)), default=None)
        if pbig:
            c, p = self.samples("cropcast", "ingest", size=pbig), self.samples("mlflow", "ingest", size=pbig)
            self.headline.append(["bulk ingest of %s rows: Python MLflow time / cropcast time" % fmt(pbig, 0),
                                  "%s s" % fmt(med(c)), "%s s" % fmt(med(p)), "**%s**" % ratio(med(p), med(c))])
        self.out()
        series = {system: {s: self.samples(system, "ingest", size=s) for s in sizes if self.samples(system, "ingest", size=s)}
                  for system in ("cropcast", "raw", "mlflow")}
        fig, ax = line_plot(series, "metric rows ingested (log scale)", "seconds (median, min–max bars; log scale)",
                            "Bulk metric ingest: cost against data size")
        self.save(fig, "ingest-cost.png", "Bulk ingest cost against data size")

    def concurrency(self):
        self.out("## Concurrency: N processes writing one database")
        self.out()
        if not self.find("cropcast", "concurrency"):
            self.out(self.problem("concurrency"))
            return
        any_row = next((o for o in self.ops if o["op"] == "concurrency"), None)
        levels = sorted({o["processes"] for o in self.ops if o["op"] == "concurrency"})
        reps = max((o["repetition"] for o in self.ops if o["op"] == "concurrency"), default=0) + 1
        self.out("N writer processes start at the same moment on one existing database (created beforehand with its"
                 " experiment, so this measures concurrent writing; the race on a *new* database is in bench/sqlite's"
                 " section). Each process creates a run with 20 tags, logs 9 params and %d batches of %d metrics, and ends"
                 " the run. Time runs from the common start signal (after JVM start-up / `import mlflow`) to the last exit."
                 " Throughput = metric rows found in the database afterwards / that time. %d repetition(s) per level,"
                 " alternating which system goes first. Every failed operation is counted (an exception in Python, a"
                 " failed call or a non-zero exit in Java); cropcast's store takes its write lock with `BEGIN IMMEDIATE`"
                 " and retries `SQLITE_BUSY` itself (bounded, with jitter). The per-writer work is small (sized so"
                 " that 32 Python processes finish on 2 shared cores), so cropcast's wall times, a second or two, are dominated"
                 " by fixed costs such as JVM exit: its rows/s here understate its sustained rate (bench/sqlite's writers log 200"
                 " batches each). Python MLflow had no failures here because the database and experiment existed beforehand;"
                 " its failures on a new database and on a racing experiment creation are in bench/sqlite's section." % (any_row["batches"], any_row["per_batch"], reps))
        self.out()
        self.out("| processes | system | throughput, metric rows/s | wall s | failed operations | rows stored / expected | runs finished | integrity_check |")
        self.out("|---|---|---|---|---|---|---|---|")
        through = {}
        for n in levels:
            for system, label in (("cropcast", "cropcast"), ("mlflow", "Python MLflow")):
                rows = self.find(system, "concurrency", processes=n)
                if not rows:
                    continue
                tp = [o["rows"] / o["samples"][0] for o in rows]
                through[(system, n)] = tp
                walls = [o["samples"][0] for o in rows]
                failed = sum(o["failed_ops"] for o in rows)
                stored = sum(o["rows"] for o in rows)
                expected = sum(o["expected_rows"] for o in rows)
                finished = sum(o["finished_runs"] for o in rows)
                integrity = ", ".join(sorted({o["integrity"] for o in rows}))
                self.out("| %d | %s | %s | %s | %s | %s / %s | %d / %d | %s |" % (
                    n, label, spread(tp), spread(walls), "**%d**" % failed if failed else "0", fmt(stored, 0), fmt(expected, 0),
                    finished, n * len(rows), integrity))
        self.out()
        kinds = {}
        for o in self.ops:
            if o["op"] == "concurrency":
                for k in o.get("failure_kinds", []):
                    kinds.setdefault((o["system"], k), set()).add(o["processes"])
        if kinds:
            self.out("Failure kinds seen (first line of each error, processes where it occurred):")
            self.out()
            for (system, k), ns in sorted(kinds.items()):
                self.out("- %s at %s: `%s`" % ("cropcast" if system == "cropcast" else "Python MLflow",
                                               ", ".join(str(n) for n in sorted(ns)), k.replace("`", "'")))
            self.out()
        else:
            self.out("No failures on either side.")
            self.out()
        top = max(levels) if levels else None
        if top and ("cropcast", top) in through and ("mlflow", top) in through:
            c, p = med(through[("cropcast", top)]), med(through[("mlflow", top)])
            fc = sum(o["failed_ops"] for o in self.find("cropcast", "concurrency", processes=top))
            fp = sum(o["failed_ops"] for o in self.find("mlflow", "concurrency", processes=top))
            self.headline.append(["%d concurrent writer processes: throughput (failed operations)" % top,
                                  "%s rows/s (%d failed)" % (fmt(c, 0), fc), "%s rows/s (%d failed)" % (fmt(p, 0), fp),
                                  "**%s**" % ratio(c, p)])
        series = {system: {n: through[(system, n)] for n in levels if (system, n) in through} for system in ("cropcast", "mlflow")}
        fig, ax = line_plot(series, "concurrent writer processes on one database",
                            "metric rows/s stored (median, min–max bars; log scale)", "Throughput against concurrency (2 cores)")
        ax.set_xscale("log", base=2)
        ax.set_xticks(levels)
        ax.set_xticklabels([str(n) for n in levels])
        for system, points in series.items():
            for n, samples in points.items():
                failed = sum(o["failed_ops"] for o in self.find(system, "concurrency", processes=n))
                if failed:
                    ax.annotate("%d failed" % failed, (n, med(samples)), textcoords="offset points", xytext=(4, -12), fontsize=8, color="C3")
        self.save(fig, "concurrency.png", "Throughput against concurrency")

    def footprint(self):
        self.out("## Tracking footprint of one pipeline invocation, as a process (embedded store)")
        self.out()
        if not self.find("cropcast", "footprint"):
            self.out(self.problem("footprint"))
            return
        self.out("A whole process doing what one pipeline invocation tracks: experiment lookup, a run with 20 tags, 9 params,"
                 " 200 metrics in 4 batches, 14 artifact files (2 YAML, 10 PNG of 60 kB, 2 Parquet of 1.5 MB and 0.4 MB),"
                 " end of run; into an existing `mlruns.db` with artifacts beside it. Java process (JVM start included) against"
                 " a Python process (`import mlflow` included), alternating. CPU = user + system time of the process.")
        self.out()
        self.out("| process | wall s | CPU s | peak RSS MiB |")
        self.out("|---|---|---|---|")
        rows = {}
        for system, label in (("cropcast", "cropcast (java, SqliteRunStore + file artifacts)"),
                              ("cropcast-launcher", "cropcast with the launcher's JVM options (class-data-sharing archive, C1, serial GC, no hsperfdata)"),
                              ("mlflow", "Python MLflow (`MlflowClient`, sqlite:///)")):
            found = self.find(system, "footprint")
            if found:
                o = found[0]
                rows[system] = o
                self.out("| %s | %s | %s | %s |" % (label, spread(o["samples"]), spread(o["cpu"]), spread(o["rss_mib"])))
        if "cropcast" in rows and "mlflow" in rows:
            c, p = rows["cropcast"], rows["mlflow"]
            self.out("| ratio Python / cropcast | **%s** | **%s** | **%s** |" % (ratio(med(p["samples"]), med(c["samples"])),
                                                                       ratio(med(p["cpu"]), med(c["cpu"])),
                                                                       ratio(med(p["rss_mib"]), med(c["rss_mib"]))))
            self.headline.append(["tracking footprint of one invocation as a process (wall time)", "%s s" % fmt(med(c["samples"])),
                                  "%s s" % fmt(med(p["samples"])), "**%s**" % ratio(med(p["samples"]), med(c["samples"]))])
            if "cropcast-launcher" in rows:
                c = rows["cropcast-launcher"]
                self.out("| ratio Python / cropcast with the launcher's options | **%s** | **%s** | **%s** |" % (
                    ratio(med(p["samples"]), med(c["samples"])), ratio(med(p["cpu"]), med(c["cpu"])),
                    ratio(med(p["rss_mib"]), med(c["rss_mib"]))))
        self.out()
        sq, mem = self.find("cropcast-cli-sqlite", "cli_hindcast"), self.find("cropcast-cli-memory", "cli_hindcast")
        for error in self.find("cropcast-cli", "cli_hindcast_error"):
            self.out("**The `cropcast run hindcast` comparison FAILED**, not measured:\n\n```\n%s\n```\n" % error["error"].strip())
        if sq and mem:
            sq, mem = sq[0], mem[0]
            self.out("The real command line on the demo data root (`cropcast demo demo`, then `cropcast run hindcast` with its configuration:"
                     " 16 regions, 32 leave-one-year-out folds, fold plots and Parquet datasets), whole process, tracking into"
                     " the embedded `mlruns.db` against tracking into memory (`--set mlflow_tracking_uri=memory:bench`; the run"
                     " directory and its files are written either way):")
            self.out()
            self.out("| `run hindcast` tracking into | wall s | CPU s | peak RSS MiB |")
            self.out("|---|---|---|---|")
            self.out("| embedded SQLite (`mlruns.db` + `mlartifacts/`) | %s | %s | %s |" % (spread(sq["samples"]), spread(sq["cpu"]), spread(sq["rss_mib"])))
            self.out("| memory | %s | %s | %s |" % (spread(mem["samples"]), spread(mem["cpu"]), spread(mem["rss_mib"])))
            dw = med(sq["samples"]) - med(mem["samples"])
            dc = med(sq["cpu"]) - med(mem["cpu"])
            self.out("| difference (the embedded store's cost) | %+.2f (%+.0f%%) | %+.2f (%+.0f%%) | %+.0f |" % (
                dw, 100 * dw / med(mem["samples"]), dc, 100 * dc / med(mem["cpu"]), med(sq["rss_mib"]) - med(mem["rss_mib"])))
            self.out()

    def sub_benches(self):
        for part, title, command, what in SUB_BENCHES:
            self.out("## %s" % title)
            self.out()
            st = self.status(part).split()
            mode = st[2] if len(st) > 2 and st[0] in ("ok", "failed", "timeout") else "?"
            self.out("%s Called as `%s` (with `CROPCAST_BENCH_MODE=%s`); its own text follows." % (what, command, mode))
            self.out()
            st = self.status(part).split()
            kind = st[0] if st else "not-run"
            if kind != "ok":
                self.out(self.problem(part))
                continue
            text = clean(self.read(part + ".out"))
            if "|" not in text and os.path.exists(self.file(part + ".doc-after")):
                text = changed_sections(self.read(part + ".doc-before"), self.read(part + ".doc-after"))
            if part == "pipeline" and "\t" in text:
                self.pipeline(text)
            if "|" not in text and "\t" in text:  # tab-separated rows: shown as printed
                text = "Printed rows (tab-separated, as the script wrote them):\n\n```\n%s\n```" % text
            if not text.strip():
                self.out("**No results**: `%s` exited 0 but printed no Markdown. Log: `bench/results/%s.log`." % (command, part))
                self.out()
                continue
            self.out(demote(text))
            self.out()

    def pipeline(self, text):
        """bench/pipeline prints one tab-separated row per process (case, JVM flags, wall, user, sys, max RSS KB,
        load before) and, after each "-direct" case, the stage and tracking times StageBench measured."""
        rows, last = [], None
        for line in text.splitlines():
            f = line.split("\t")
            if len(f) >= 7 and re.match(r"^[0-9.]+$", f[2]):
                last = {"case": f[0], "flags": f[1], "wall": float(f[2]), "cpu": float(f[3]) + float(f[4]),
                        "rss": float(f[5]) / 1024, "load": float(f[6])}
                rows.append(last)
                continue
            m = re.search(r"stage_s=([0-9.]+) tracking_s=([0-9.]+) tracking_share=([0-9.]+)%", line)
            if m and last is not None:
                last.update(stage=float(m.group(1)), tracking=float(m.group(2)), share=float(m.group(3)))
        if not rows:
            return
        groups = {}
        for r in rows:
            groups.setdefault((r["case"], r["flags"]), []).append(r)
        self.out("Summary of the rows below (whole processes; `-direct` runs the stage through `StageBench` with the tracking"
                 " calls timed, memory run store):")
        self.out()
        self.out("| case | JVM flags | n | wall s | CPU s | peak RSS MiB | stage s | tracking s | tracking share | load before |")
        self.out("|---|---|---|---|---|---|---|---|---|---|")
        for (case, flags), rs in groups.items():
            get = lambda k: [r[k] for r in rs if k in r]  # noqa: E731
            self.out("| %s | `%s` | %d | %s | %s | %s | %s | %s | %s | %s |" % (
                case, flags, len(rs), spread(get("wall")), spread(get("cpu")), spread(get("rss")),
                spread(get("stage")) if get("stage") else "", spread(get("tracking")) if get("tracking") else "",
                "%.1f%%" % med(get("share")) if get("share") else "", fmt(med(get("load")))))
        self.out()
        us = {flags: [r["wall"] for r in rs] for (case, flags), rs in groups.items() if case == "us-corn-hindcast"}
        if "launcher" in us:  # the README's command (docs/benchmarks.json: hindcast_us_corn_readme)
            self.ops.append({"system": "pipeline-launcher", "op": "us_corn_hindcast", "unit": "s", "samples": us["launcher"]})
        if us:
            best = min(us, key=lambda k: med(us[k]))
            m = med(us[best])
            self.headline.append(["`run hindcast` on US corn, whole process, best JVM flags", "%s s (`%s`)" % (fmt(m), best),
                                  "target 5 s", "within target" if m <= 5 else "**over target**"])
        big = [(case, rs) for (case, flags), rs in groups.items() if re.match(r"^synthetic-5000x40x24$", case)]
        if big:
            m = med([r["wall"] for r in big[0][1]])
            self.headline.append(["`run hindcast`, 5,000 regions x 40 years x 24 features, -Xmx1g", "%s s" % fmt(m),
                                  "target 30 s", "within target" if m <= 30 else "**over target**"])
        synthetic = {}
        for (case, flags), rs in groups.items():
            m = re.match(r"^synthetic-(\d+)x(\d+)x(\d+)$", case)
            if m:
                synthetic[tuple(int(x) for x in m.groups())] = [r["wall"] for r in rs]
        if len(synthetic) >= 3:
            fig, axes = plt.subplots(1, 3, figsize=(11, 3.8), sharey=True)
            base = (1000, 40, 24)
            for i, (ax, name) in enumerate(zip(axes, ("regions", "years", "features"))):
                points = {k[i]: v for k, v in synthetic.items() if all(k[j] == base[j] for j in range(3) if j != i)}
                xs = sorted(points)
                ys = [med(points[x]) for x in xs]
                ax.errorbar(xs, ys, yerr=[[y - min(points[x]) for x, y in zip(xs, ys)], [max(points[x]) - y for x, y in zip(xs, ys)]],
                            marker="o", capsize=3)
                others = ", ".join("%d %s" % (base[j], n) for j, n in enumerate(("regions", "years", "features")) if j != i)
                ax.set_xlabel("%s (%s)" % (name, others), fontsize=9)
                ax.grid(alpha=0.3)
                ax.set_ylim(bottom=0)
            axes[0].set_ylabel("run hindcast, wall s (-Xmx1g)")
            fig.suptitle("Pipeline cost against data size (whole process, embedded tracking)")
            fig.tight_layout()
            self.save(fig, "pipeline-scaling.png", "Pipeline cost against regions, years and features")

    def problem(self, part):
        st = self.status(part).split()
        kind = st[0] if st else "not-run"
        if kind == "missing":
            return "**MISSING**: `%s` does not exist in this tree, so this comparison was not measured.\n" % " ".join(st[1:])
        if kind == "not-run":
            return "Not run (`--only` excluded it).\n"
        tail = [line for line in self.read(part + ".log").splitlines() if line.strip()][-8:]
        return "**%s** (after %s s); not measured. Last lines of `bench/results/%s.log`:\n\n```\n%s\n```\n" % (
            "FAILED" if kind == "failed" else "TIMED OUT", st[1] if len(st) > 1 else "?", part, "\n".join(tail))

    def save(self, fig, name, alt):
        fig.savefig(os.path.join(self.args.img, name), dpi=110)
        plt.close(fig)
        self.out("![%s](%s/%s)" % (alt, self.img_rel, name))
        self.out()

    # ------------------------------------------------------------------ docs/benchmarks.json

    GOALS = [  # id, what, unit, peer, goal on the ratio (peer time / cropcast time, or cropcast rate / peer rate)
        ("create_run_vs_raw", "create run", "ms", "raw SQLite, same schema", 0.5),
        ("get_run_vs_raw", "get run (20 tags, 9 params, 100 metrics)", "ms", "raw SQLite, same schema", 1 / 1.2),
        ("log_batch_1000_vs_raw", "log_batch, 1,000 metrics", "ms", "raw SQLite, same schema", 1 / 1.2),
        ("search_newest_100_vs_raw", "search runs, newest 100", "ms", "raw SQLite, same schema", 1 / 1.2),
        ("search_newest_1000_vs_raw", "search runs, newest 1,000", "ms", "raw SQLite, same schema", 1 / 1.2),
        ("upload_proxy_1gib_vs_python", "artifact upload through the server's proxy to S3 (multipart, the issue's goal)", "MiB/s",
         "Python MLflow client", 1.5),
        ("upload_proxy_local_1gib_vs_python", "artifact upload through the server's proxy to a local destination (no multipart;"
         " not slower than Python)", "MiB/s", "Python MLflow client", 1.0),
        ("rest_footprint_inprocess_vs_python", "one invocation's tracking over REST, in-process", "ms", "Python MLflow client", 2.0),
        ("start_to_first_write_vs_python", "whole process: one invocation's tracking, start to exit (launcher options)", "s",
         "Python MLflow (sqlite:///)", 8.0),
        ("hindcast_us_corn_readme", "`run hindcast` on US corn through the README's launcher", "s", "goal 2.0 s", None),
        ("sync_vs_export_import", "runs sync against mlflow-export-import", "s", "mlflow-export-import", 5.0),
    ]

    def measured(self):
        """Each goal's figure, peer figure and ratio from this run's raw results (None where not measured)."""
        out = {}
        for op, key in (("create_run", "create_run_vs_raw"), ("get_run", "get_run_vs_raw"),
                        ("log_batch_1000", "log_batch_1000_vs_raw"), ("search_100", "search_newest_100_vs_raw"),
                        ("search_1000", "search_newest_1000_vs_raw")):
            c, r = self.samples("cropcast", op), self.samples("raw", op)
            if c and r:
                out[key] = (med(c), med(r), med(r) / med(c))
        for op, key in (("upload-s3", "upload_proxy_1gib_vs_python"), ("upload", "upload_proxy_local_1gib_vs_python")):
            up_c, up_p = self.samples("rest-cropcast", op), self.samples("rest-python", op)
            if up_c and up_p:
                out[key] = (med(up_c), med(up_p), med(up_c) / med(up_p))
        fp_c, fp_p = self.samples("rest-cropcast", "footprint"), self.samples("rest-python", "footprint")
        if fp_c and fp_p:
            out["rest_footprint_inprocess_vs_python"] = (med(fp_c), med(fp_p), med(fp_p) / med(fp_c))
        st_c, st_p = self.samples("cropcast-launcher", "footprint"), self.samples("mlflow", "footprint")
        if st_c and st_p:
            out["start_to_first_write_vs_python"] = (med(st_c), med(st_p), med(st_p) / med(st_c))
        us = self.samples("pipeline-launcher", "us_corn_hindcast")
        if us:
            out["hindcast_us_corn_readme"] = (med(us), 2.0, 2.0 / med(us))
        sync_c, sync_p = self.samples("sync-cropcast", "sync"), self.samples("sync-export-import", "sync")
        if sync_c and sync_p:
            out["sync_vs_export_import"] = (med(sync_c), med(sync_p), med(sync_p) / med(sync_c))
        return out

    def goals(self):
        measured = self.measured()
        self.out("## Goals (performance, round two)")
        self.out()
        self.out("Each goal as a ratio measured in this run (peer time / cropcast time, or cropcast rate / peer rate; above 1"
                 " means cropcast is faster). `docs/benchmarks.json` holds the same figures. A goal whose part did not run"
                 " says so.")
        self.out()
        self.out("| id | what | cropcast | peer | ratio | goal | met |")
        self.out("|---|---|---|---|---|---|---|")
        results = []
        for key, what, unit, peer, goal in self.GOALS:
            m = measured.get(key)
            if key == "hindcast_us_corn_readme":
                goal_text = "at most 2.0 s"
            else:
                goal_text = "ratio ≥ %s" % fmt(goal)
            if m is None:
                self.out("| `%s` | %s | not measured | %s | – | %s | – |" % (key, what, peer, goal_text))
                results.append({"id": key, "figure": None, "unit": unit, "peer": peer, "peer_figure": None, "ratio": None})
                continue
            figure, peer_figure, r = m
            met = (figure <= 2.0) if key == "hindcast_us_corn_readme" else (r >= goal)
            self.out("| `%s` | %s | %s %s | %s %s | %s | %s | %s |" % (key, what, fmt(figure), unit, fmt(peer_figure),
                                                                  "s" if key == "hindcast_us_corn_readme" else unit,
                                                                  "%.2f" % r, goal_text, "yes" if met else "**no**"))
            results.append({"id": key, "figure": round(figure, 4), "unit": unit, "peer": peer,
                            "peer_figure": round(peer_figure, 4), "ratio": round(r, 3)})
        self.out()
        if self.args.json:
            commit = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                                    cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip()
            with open(self.args.json, "w") as f:
                json.dump({"commit": commit, "results": results}, f, indent=2)
                f.write("\n")

    def write(self):
        body_start = len(self.lines)
        self.latency()
        self.ingest()
        self.concurrency()
        self.footprint()
        self.sub_benches()
        body = self.lines[body_start:]
        self.lines = self.lines[:body_start]
        self.header()
        self.goals()
        self.summary()
        self.parts_table()
        self.lines += body
        self.out("## Reproducing")
        self.out()
        self.out("From the repository root, on a machine with JDK 17, Maven and Python 3 (the script installs the pinned MLflow"
                 " into `~/.cache/cropcast/` with the build's own `ensure-venv.sh` if it is missing):")
        self.out()
        self.out("```sh")
        self.out("bench/run.sh           # full mode, every part (about 40 minutes on 2 cores)")
        self.out("bench/run.sh --quick   # 10-20 minutes on a shared 2-core machine")
        self.out("bench/run.sh --only rest,pipeline   # re-run some parts, keeping the others' last results")
        self.out("```")
        self.out()
        self.out("Raw measurements: `bench/results/*.jsonl`, sub-benchmark output and logs in `bench/results/` (not committed)."
                 " Sources: `bench/run.sh` (orchestration), `bench/ops/` (latency, search, ingest, concurrency, footprint:"
                 " `OpsBench.java` for cropcast and raw SQLite, `ops_peer.py` for Python MLflow, `drive.py`), `bench/report.py`"
                 " (this file and the plots), and each sub-benchmark's own directory.")
        text = "\n".join(self.lines).rstrip() + "\n"
        text = re.sub(r"\n{3,}", "\n\n", text)
        with open(self.args.doc, "w") as f:
            f.write(text)


LINE_STYLES = {"cropcast": ("cropcast (SqliteRunStore)", "o"), "raw": ("raw SQLite (JDBC)", "s"),
               "mlflow": ("Python MLflow (sqlite:///)", "^")}


def line_plot(series, xlabel, ylabel, title):
    """One line per system: {system: {x: samples}}, median with min–max bars, log-log."""
    fig, ax = plt.subplots(figsize=(7, 4.8))
    for system, points in series.items():
        if not points:
            continue
        xs = sorted(points)
        ys = [med(points[x]) for x in xs]
        lo = [y - min(points[x]) for x, y in zip(xs, ys)]
        hi = [max(points[x]) - y for x, y in zip(xs, ys)]
        label, marker = LINE_STYLES[system]
        ax.errorbar(xs, ys, yerr=[lo, hi], marker=marker, label=label, capsize=3)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig, ax


def clean(text):
    """A sub-benchmark's stdout without progress lines ("[bench/...] ...") and terminal colour codes."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return "\n".join(line for line in text.splitlines() if not re.match(r"^\[(bench|INFO|WARN)", line)).strip()


def demote(markdown):
    """A sub-benchmark's headings one level down (its '## X' becomes '### X'), dropping a leading '# Benchmarks'."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"^# Benchmarks\s*$", line):
            continue
        elif not fenced and line.startswith("#"):
            line = "#" + line
        out.append(line)
    return "\n".join(out).strip()


def changed_sections(before, after):
    """The '## ' sections of AFTER that are new or different from BEFORE."""
    def sections(text):
        parts = re.split(r"(?m)^(?=## )", text)
        return {p.splitlines()[0]: p for p in parts if p.startswith("## ")}
    b, a = sections(before), sections(after)
    return "\n".join(text for head, text in a.items() if b.get(head) != text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", required=True)
    parser.add_argument("--doc", required=True)
    parser.add_argument("--img", required=True)
    parser.add_argument("--json", help="also write the goals' figures here (docs/benchmarks.json)")
    args = parser.parse_args()
    args.all_parts = ["ops-latency", "ops-search", "ops-ingest", "concurrency", "footprint", "sqlite", "rest", "s3", "pipeline", "embed", "sync", "sync-scale", "sweep"]
    Report(args).write()


if __name__ == "__main__":
    main()
