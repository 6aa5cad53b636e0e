"""The benchmark of issues 6 and 20: the whole batch against merely reading the inputs.

For each N it measures, each in its own child process of this one run:
  (a) floor: python-calamine reading every sheet of every inbox workbook, on one core;
  (b) naive: pandas.read_excel(..., sheet_name=None, engine="openpyxl") over every workbook (--naive);
  (c) ours:  `thidua-batch run` end to end (every output written, reading on every core), with --timings;
(a) and (c) alternate, `--rounds` times each, and the best of each is kept: on a machine shared
with other work the two are measured side by side, so their ratio holds. It prints a table (wall
time, ratios, peak memory of the main process and of the largest worker) and writes it to
bench/RESULTS.md (or --results).

    python bench/run.py                 # N = 100, 1000, 3000
    python bench/run.py --sizes 1000 3000 --rounds 2
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_inbox import make  # noqa: E402

TARGET_FLOOR = 2.0      # issue 20: ours <= 2 x the single-core floor
TARGET_MEMORY_MB = 200  # issue 20: the run's own memory
TARGET_LINEAR = 3.1     # issue 20: t(3000) <= 3.1 t(1000)


def measure(mode: str, work: Path) -> dict:
    """Run one measurement in a child process; wall time as seen from here."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(HERE / "_measure.py"), mode, str(work)], check=True,
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    data = json.loads(done.stdout.strip().splitlines()[-1])
    data["wall"] = wall
    return data


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                          if line.startswith("MemTotal")))
        memory = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        memory = "?"
    return (f"{cpu}; {os.cpu_count()} cores; {memory} RAM; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}")


def table(rows: list[dict]) -> str:
    lines = ["| N | files | (a) calamine floor, 1 core | (c) thidua-batch run | (c)/(a) | peak MB (a / c main / c worker) |",
             "| ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        a, c = r["floor"], r["ours"]
        lines.append(f"| {r['n']} | {r['files']} | {a['wall']:.2f} s | {c['wall']:.2f} s | {c['wall'] / a['wall']:.2f}× | "
                     f"{a['peak_mb']:.0f} / {c['peak_mb']:.0f} / {c.get('worker_mb', 0):.0f} |")
    return "\n".join(lines)


def verdicts(rows: list[dict]) -> list[str]:
    by_n = {r["n"]: r for r in rows}
    out = []
    if 1000 in by_n:
        r = by_n[1000]
        a, c = r["floor"]["wall"], r["ours"]["wall"]
        out.append(f"- N=1000, at most {TARGET_FLOOR:g}× (a): {c / a:.2f}×: {'met' if c <= TARGET_FLOOR * a else 'NOT met'}")
        out.append(f"- N=1000, peak memory of the run under {TARGET_MEMORY_MB} MB: {r['ours']['peak_mb']:.0f} MB: "
                   f"{'met' if r['ours']['peak_mb'] < TARGET_MEMORY_MB else 'NOT met'}")
    if 1000 in by_n and 3000 in by_n:
        ratio = by_n[3000]["ours"]["wall"] / by_n[1000]["ours"]["wall"]
        out.append(f"- linear: t(3000)/t(1000) = {ratio:.2f} (target ≤ {TARGET_LINEAR}): "
                   f"{'met' if ratio <= TARGET_LINEAR else 'NOT met'}")
    return out


def best(runs: list[dict]) -> dict:
    return min(runs, key=lambda r: r["wall"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 3000])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--naive", action="store_true", help="also time pandas+openpyxl (slow)")
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--results", type=Path, default=None, help="also write the section to this file")
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        work = make(n, args.work / f"n{n}")
        row = {"n": n, "files": len(list((work / "inbox").iterdir()))}
        runs: dict[str, list[dict]] = {"floor": [], "ours": []}
        for _ in range(args.rounds):
            for mode in ("floor", "ours"):
                shutil.rmtree(work / "out", ignore_errors=True)
                runs[mode].append(measure(mode, work))
                print(f"N={n} {mode}: {runs[mode][-1]['wall']:.2f} s, {runs[mode][-1]['peak_mb']:.0f} MB", flush=True)
        row.update({mode: best(found) for mode, found in runs.items()})
        if args.naive:
            row["naive"] = measure("naive", work)
        rows.append(row)
    report = [
        "## Whole run against the calamine floor (issue 20)", "",
        f"Run on {dt.date.today():%Y-%m-%d} with `python bench/run.py --sizes {' '.join(map(str, args.sizes))} "
        f"--rounds {args.rounds}`.", "",
        f"Machine: {machine()}. The machine was shared with other work while measuring: (a) and (c) alternate and "
        "the best of each is kept, so that their ratio holds.", "",
        "Each column is one child process; wall time includes interpreter start and imports. (a) reads every sheet "
        "of every workbook with python-calamine on one core. (c) is `thidua-batch run` with its default `--jobs` "
        "(every core) and writes every output: report.json, the consolidated workbook, the decision with its "
        "annex, the submission and one feedback letter per unit.", "",
        table(rows), "", "Targets (issue 20):", *verdicts(rows), "",
        "Phases of (c), from `run --timings`:", "",
        *[f"- N={r['n']}: {r['ours'].get('timings', '')}" for r in rows], "",
    ]
    if args.naive:
        report += [f"- (b) pandas+openpyxl at N={r['n']}: {r['naive']['wall']:.2f} s" for r in rows] + [""]
    text = "\n".join(report)
    print(text)
    if args.results:
        args.results.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
