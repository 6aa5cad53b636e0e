"""Reading one template workbook on one core: against calamine's own read of the same files
(issue 20: at most 1.5×), and optionally against another commit (issue 10: no more than 10% slower).

    python bench/read_template.py                     # this tree, and calamine side by side
    python bench/read_template.py --against 93eb920   # and the same files read by that commit

Builds a 200-unit inbox (bench/work/read-200), reads every workbook with the library's
`read_workbook` + `check_file` and, alternating round by round in the same process, with
python-calamine alone (open the bytes, every sheet to Python lists); best of 7 rounds each.
Prints milliseconds per workbook and the ratios.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

CHILD = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from thidua_batch.batch import check_source
try:
    from thidua_batch.config.campaign import load_campaign
    from thidua_batch.intake.inbox import Source
except ImportError:   # the tree before the layout move
    from thidua_batch.campaign import load_campaign
    from thidua_batch.inbox import Source
work = Path(sys.argv[2])
campaign = load_campaign(work / "campaign.toml")
files = sorted((work / "inbox").glob("*.xlsx"))
sources = [Source(p.name, p.read_bytes(), None) for p in files]
import io
import python_calamine
def calamine():
    for s in sources:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(s.data))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python(skip_empty_area=False)
def ours():
    for s in sources:
        check_source(s, campaign)
for s in sources[:20]:
    check_source(s, campaign)
best = {"ours": None, "calamine": None}
for _ in range(7):
    for name, job in (("ours", ours), ("calamine", calamine)):
        start = time.perf_counter()
        job()
        took = time.perf_counter() - start
        best[name] = took if best[name] is None else min(best[name], took)
print(json.dumps({"files": len(sources), "ms_per_workbook": 1000 * best["ours"] / len(sources),
                  "calamine_ms": 1000 * best["calamine"] / len(sources)}))
"""


def measure(tree: Path, work: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(tree), str(work)], check=True, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(tree)})
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    from make_inbox import make

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", help="a commit to compare with")
    args = parser.parse_args()
    work = make(200, HERE / "work" / "read-200")
    ours = measure(ROOT, work)
    print(f"this tree: {ours['ms_per_workbook']:.2f} ms per workbook ({ours['files']} workbooks, best of 7, one core); "
          f"calamine alone: {ours['calamine_ms']:.2f} ms; ratio {ours['ms_per_workbook'] / ours['calamine_ms']:.2f} "
          f"({os.cpu_count()} cores on the machine)")
    if args.against:
        with tempfile.TemporaryDirectory() as tmp:
            other = Path(tmp) / "tree"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(other), args.against],
                           check=True, capture_output=True)
            try:
                theirs = measure(other, work)
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)],
                               check=True, capture_output=True)
        ratio = ours["ms_per_workbook"] / theirs["ms_per_workbook"]
        print(f"{args.against}: {theirs['ms_per_workbook']:.2f} ms per workbook; ratio {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
