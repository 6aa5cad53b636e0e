"""One measurement of bench/run.py, in its own process: prints {"peak_mb": …, …} as the last line."""
from __future__ import annotations

import contextlib
import io
import json
import resource
import sys
from pathlib import Path


def workbooks(inbox: Path) -> list[Path]:
    return sorted(p for p in inbox.iterdir() if p.suffix == ".xlsx")


def floor(work: Path) -> dict:
    from python_calamine import CalamineWorkbook
    cells = 0
    for path in workbooks(work / "inbox"):
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            cells += sum(len(r) for r in book.get_sheet_by_name(name).to_python())
    return {"cells": cells}


def naive(work: Path) -> dict:
    import pandas as pd
    rows = 0
    for path in workbooks(work / "inbox"):
        frames = pd.read_excel(path, sheet_name=None, engine="openpyxl")
        rows += sum(len(f) for f in frames.values())
    return {"rows": rows}


def ours(work: Path) -> dict:
    from thidua_batch.cli import main
    out = io.StringIO()
    code = None
    with contextlib.redirect_stdout(out):
        try:
            main(["run", str(work / "inbox"), "--out", str(work / "out"), "--campaign", str(work / "campaign.toml"),
                  "--timings"])
        except SystemExit as exc:
            code = exc.code
    lines = out.getvalue().splitlines()
    return {"exit": code, "timings": next((line for line in lines if line.startswith("Thời gian")), "")}


if __name__ == "__main__":
    mode, work = sys.argv[1], Path(sys.argv[2])
    result = {"floor": floor, "naive": naive, "ours": ours}[mode](work)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["worker_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(result, ensure_ascii=False))
