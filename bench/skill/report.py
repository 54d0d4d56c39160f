#!/usr/bin/env python3
"""Reads the hindcast run directories listed in variants.tsv (name, overrides, run dir) and prints
the skill report as Markdown: per init date, state and national RMSE of each variant against the
trend, and on NASS's state-years the same-month NASS forecast against the model as of its day."""
import csv
import sys
from pathlib import Path

ISSUE_OF = {"08-12": "fcst_aug", "09-12": "fcst_sep", "10-12": "fcst_oct", "11-09": "fcst_nov"}


def table(path):
    rows = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            rows[(row["source"], row["scope"])] = row
    return rows


def num(row, key="rmse", digits=2):
    value = row.get(key, "") if row else ""
    return "-" if value == "" else f"{float(value):.{digits}f}"


def main(listing):
    variants = [line.rstrip("\n").split("\t") for line in open(listing) if line.strip()]
    dates = sorted(p.name for p in (Path(variants[0][2]) / "reports" / "init").iterdir())
    print("## US corn for grain, 41 states, 2000-2024: skill at each init date\n")
    print("Leave-one-year-out hindcasts (`bench/skill/run.sh`); at each init date, each fold's model is fitted on")
    print("only the features observable that day (training years cut off at the same month-day as the test")
    print("year), the model `run forecast` uses that day. RMSE in bu/acre; state = pooled over")
    print("state-years (1,025), national = unweighted state mean over the 25 years. nRMSE is CY-Bench's")
    print("(per year over the states, median over the years, %).\n")
    print("| variant | overrides | " + " | ".join(f"{d} state / national / nRMSE" for d in dates) + " |")
    print("|---|---|" + "---|" * len(dates))
    best = {}
    for name, sets, run in variants:
        cells = []
        for d in dates:
            t = table(Path(run) / "reports" / "init" / d / "skill_table.csv")
            cells.append(f"{num(t.get(('model', 'regions')))} / {num(t.get(('model', 'national')))} / "
                         f"{num(t.get(('model', 'regions')), 'nrmse_pct', 1)}")
            score = float(t[("model", "regions")]["rmse"])
            if d not in best or score < best[d][1]:
                best[d] = (name, score)
        print(f"| {name} | `{sets or '-'}` | " + " | ".join(cells) + " |")
    print("\nBest state RMSE per init date (the choice by hindcast skill): "
          + "; ".join(f"{d}: {best[d][0]} ({best[d][1]:.2f})" for d in dates) + ".\n")
    print("### Against NASS's forecast of the same month, on NASS's state-years\n")
    print("NASS publishes about 32 states' forecasts; the rows below use exactly the state-years (and, nationally,")
    print("the years) where the issue exists, with the model as of the issue's publication day.\n")
    print("| variant | issue (day) | state: NASS / model / trend | national: NASS / model / trend |")
    print("|---|---|---|---|")
    for name, sets, run in variants:
        t = table(Path(run) / "reports" / "skill_table.csv")
        for day, issue in ISSUE_OF.items():
            label = f"NASS {issue}"
            state = [t.get((p + label, "regions")) for p in ("", "model on ", "trend on ")]
            national = [t.get((p + label, "national")) for p in ("", "model on ", "trend on ")]
            print(f"| {name} | {issue} ({day}) | " + " / ".join(num(r) for r in state) + " | "
                  + " / ".join(num(r) for r in national) + " |")
    chosen = [(name, [line.strip() for line in open(run + ".out") if line.startswith("regression auto")])
              for name, sets, run in variants if "regression=auto" in sets]
    if chosen:
        print("\n### What `regression: auto` chose\n")
        for name, lines in chosen:
            print(f"{name}:\n")
            for line in lines:
                print(f"- {line}")
            print()


if __name__ == "__main__":
    main(sys.argv[1])
