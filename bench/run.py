"""The benchmark of issue 6: the whole batch against merely reading the inputs.

For each N it measures, each in its own child process of this one run:
  (a) floor: python-calamine reading every sheet of every inbox workbook;
  (b) naive: pandas.read_excel(..., sheet_name=None, engine="openpyxl") over every workbook;
  (c) ours:  `thidua-batch run` end to end (every output written), with --timings;
and prints a table (wall time, ratios, peak memory) that it also writes to bench/RESULTS.md.

    python bench/run.py                 # N = 100, 1000, 3000
    python bench/run.py --sizes 100     # quicker
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

TARGET_NAIVE = 1.0      # ours < naive
TARGET_FLOOR = 25.0     # ours <= 25 x floor
TARGET_MEMORY_MB = 1024
TARGET_LINEAR = 3.3     # t(3000) <= 3.3 t(1000)


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
    lines = ["| N | files | (a) calamine floor | (b) pandas+openpyxl | (c) thidua-batch run | (c)/(a) | (c)/(b) "
             "| peak MB (a / b / c) |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        a, b, c = r["floor"], r["naive"], r["ours"]
        lines.append(f"| {r['n']} | {r['files']} | {a['wall']:.2f} s | {b['wall']:.2f} s | {c['wall']:.2f} s | "
                     f"{c['wall'] / a['wall']:.1f}× | {c['wall'] / b['wall']:.2f}× | "
                     f"{a['peak_mb']:.0f} / {b['peak_mb']:.0f} / {c['peak_mb']:.0f} |")
    return "\n".join(lines)


def verdicts(rows: list[dict]) -> list[str]:
    by_n = {r["n"]: r for r in rows}
    out = []
    if 1000 in by_n:
        r = by_n[1000]
        a, b, c = r["floor"]["wall"], r["naive"]["wall"], r["ours"]["wall"]
        out.append(f"- N=1000, whole run faster than (b) alone: {c:.2f} s vs {b:.2f} s: "
                   f"{'met' if c < b * TARGET_NAIVE else 'NOT met'}")
        out.append(f"- N=1000, at most 25× (a): {c / a:.1f}×: {'met' if c <= TARGET_FLOOR * a else 'NOT met'}")
        out.append(f"- N=1000, peak memory under 1 GB: {r['ours']['peak_mb']:.0f} MB: "
                   f"{'met' if r['ours']['peak_mb'] < TARGET_MEMORY_MB else 'NOT met'}")
    if 1000 in by_n and 3000 in by_n:
        ratio = by_n[3000]["ours"]["wall"] / by_n[1000]["ours"]["wall"]
        out.append(f"- linear: t(3000)/t(1000) = {ratio:.2f} (target ≤ {TARGET_LINEAR}): "
                   f"{'met' if ratio <= TARGET_LINEAR else 'NOT met'}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 3000])
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        work = make(n, args.work / f"n{n}")
        shutil.rmtree(work / "out", ignore_errors=True)
        row = {"n": n, "files": len(list((work / "inbox").iterdir()))}
        for mode in ("floor", "naive", "ours"):
            row[mode] = measure(mode, work)
            print(f"N={n} {mode}: {row[mode]['wall']:.2f} s, {row[mode]['peak_mb']:.0f} MB", flush=True)
        rows.append(row)
    report = [
        "# Benchmark results", "",
        f"Run on {dt.date.today():%Y-%m-%d} with `python bench/run.py {' '.join(map(str, args.sizes))}`"
        if args.sizes != [100, 1000, 3000] else f"Run on {dt.date.today():%Y-%m-%d} with `python bench/run.py`.",
        "", f"Machine: {machine()}.", "",
        "Each column is one child process of the same run; wall time includes interpreter start and imports. "
        "(c) writes every output: report.json, the consolidated workbook, the decision with its annex, the "
        "submission and one feedback letter per unit.", "",
        table(rows), "", "Targets (issue 6):", *verdicts(rows), "",
        "Phases of (c), from `run --timings`:", "",
        *[f"- N={r['n']}: {r['ours'].get('timings', '')}" for r in rows], "",
    ]
    args.results.write_text("\n".join(report), "utf-8")
    print("\n".join(report))


if __name__ == "__main__":
    main()
