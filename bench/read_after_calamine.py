"""What reading a template workbook costs after calamine has handed back its sheets (issue 20): the
table reader, the per-cell work and the per-file rules, without the safety pass or calamine itself.

    python bench/read_after_calamine.py                     # this tree
    python bench/read_after_calamine.py --against 67d417c   # and that commit, alternating

Each measurement is a child process: it opens every workbook of the inbox and has calamine read its
sheets first (kept), then times `_WorkbookReader(...).read()` and `check_file` over all of them:
once "cold" (each workbook read once, as a run does: names and places not seen before) and then
"warm" (best of 7 passes over the same workbooks, as bench/read_template.py measures). Trees
alternate round by round; the best of each is kept. Milliseconds per workbook.
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
from thidua_batch.checks.rules import check_file
from thidua_batch.config.campaign import load_campaign
from thidua_batch.intake import reader
from thidua_batch.model.results import FileResult
work = Path(sys.argv[2])
campaign = load_campaign(work / "campaign.toml")

class Sheets:
    # The book with calamine's part done: each sheet read once, before the clock starts.
    def __init__(self, book):
        self.book, self.sheet_names, self.path, self.grids = book, book.sheet_names, book.path, {}
    def sheet(self, name, nrows=None, *, details=True):
        key = (name, nrows, details)
        if key not in self.grids:
            self.grids[key] = self.book.sheet(name, nrows, details=details)
        return self.grids[key]

books = []
for path in sorted((work / "inbox").glob("*.xlsx")):
    book = Sheets(reader._Book.open(path.read_bytes(), path.name, campaign.limits))
    for name in book.sheet_names:
        for nrows, details in ((None, True), (len(reader.schema.IDENTITY_KEYS) + 5, False)):
            book.sheet(name, nrows, details=details)
    books.append((path.name, book))

def one_pass():
    start = time.perf_counter()
    results = []
    for name, book in books:
        result = FileResult(path=name, sha256="-")
        reader._WorkbookReader(book, result, campaign).read()
        results.append(result)
    read = time.perf_counter() - start
    start = time.perf_counter()
    for result in results:
        check_file(result, campaign)
    return read, time.perf_counter() - start

cold = one_pass()
warm = min((one_pass() for _ in range(7)), key=sum)
n = len(books)
print(json.dumps({"files": n, "cold": [1000 * t / n for t in cold], "warm": [1000 * t / n for t in warm]}))
"""


def measure(tree: Path, work: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(tree), str(work)], check=True, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(tree)})
    return json.loads(done.stdout.strip().splitlines()[-1])


def best(runs: list[dict]) -> dict:
    return {"files": runs[0]["files"], "cold": min((r["cold"] for r in runs), key=sum),
            "warm": min((r["warm"] for r in runs), key=sum)}


def line(name: str, m: dict) -> str:
    (cr, cc), (wr, wc) = m["cold"], m["warm"]
    return (f"{name}: cold {cr + cc:.3f} ms per workbook (reading {cr:.3f} + rules {cc:.3f}); "
            f"warm {wr + wc:.3f} ms (reading {wr:.3f} + rules {wc:.3f}); {m['files']} workbooks")


def main() -> int:
    from make_inbox import make

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", help="a commit to compare with")
    parser.add_argument("--units", type=int, default=1000, help="inbox size (default 1000: names do not repeat)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = make(args.units, HERE / "work" / f"n{args.units}")
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"this tree": ROOT}
        if args.against:
            other = Path(tmp) / "tree"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(other), args.against],
                           check=True, capture_output=True)
            trees[args.against] = other
        try:
            runs: dict[str, list[dict]] = {name: [] for name in trees}
            for _ in range(args.rounds):
                for name, tree in trees.items():
                    runs[name].append(measure(tree, work))
        finally:
            if args.against:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(trees[args.against])],
                               check=True, capture_output=True)
    results = {name: best(r) for name, r in runs.items()}
    for name, m in results.items():
        print(line(name, m))
    if args.against:
        ours, theirs = results["this tree"], results[args.against]
        print(f"{args.against} / this tree: cold {sum(theirs['cold']) / sum(ours['cold']):.2f}x, "
              f"warm {sum(theirs['warm']) / sum(ours['warm']):.2f}x ({os.cpu_count()} cores on the machine)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
