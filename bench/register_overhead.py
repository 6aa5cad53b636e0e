"""The history look-up's cost (issue 11): `run` at N=1000 units with a register of 50,000 past
awardees against the same run with no register; target: no more than 10% slower.

    python bench/register_overhead.py            # N=1000, 50,000 awardees
    python bench/register_overhead.py --units 100 --awardees 5000

The register holds 50 decisions of 1,000 awardees; one in ten of this year's nominees is in it
(same name and year), so the run also writes that many awarded-before findings. Each run is a
child process (`thidua-batch run` end to end, every output written), best of 3.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))


def build_register(path: Path, inbox_report: dict, awardees: int) -> int:
    """A register of `awardees` past awardees; every tenth nominee of this run is among them."""
    from thidua_batch.register.model import Awardee, Decision
    from thidua_batch.register.store import open_register

    nominees = [e for e in inbox_report["decision"] if e["kind"] == "individual"][::10]
    path.unlink(missing_ok=True)
    per_decision = 1000
    with open_register(path) as book:
        made = 0
        for d in range(awardees // per_decision):
            people = []
            for i in range(per_decision):
                made += 1
                if nominees and i < len(nominees) and d == 0:
                    e = nominees[i]
                    people.append(Awardee("individual", e["name"], i + 1, e["gender"], e["birth_year"]))
                else:
                    people.append(Awardee("individual", f"Người đã khen {made}", i + 1, "Nam", 1950 + made % 50))
            book.record(Decision(f"{d + 1}/QĐ-LĐLĐ", dt.date(2015 + d % 5, 12, 28), "Bằng khen", 2015 + d % 5,
                                 awardees=tuple(people)))
    return made


def timed_run(work: Path, out: Path, register: Path) -> float:
    best = None
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "thidua_batch.cli", "run", str(work / "inbox"), "--out", str(out),
                        "--campaign", str(work / "campaign.toml"), "--register", str(register)],
                       capture_output=True, check=False)
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best


def main() -> int:
    from make_inbox import make

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--awardees", type=int, default=50_000)
    args = parser.parse_args()
    work = make(args.units, HERE / "work" / f"units-{args.units}")
    plain_out, reg_out = HERE / "work" / "out-plain", HERE / "work" / "out-register"
    register = HERE / "work" / "so_khen_thuong.sqlite"
    absent = HERE / "work" / "khong-co.sqlite"
    without = timed_run(work, plain_out, absent)
    made = build_register(register, json.loads((plain_out / "report.json").read_text("utf-8")), args.awardees)
    with_register = timed_run(work, reg_out, register)
    found = sum(f["code"] == "awarded-before" for f in json.loads((reg_out / "report.json").read_text("utf-8"))["findings"])
    ratio = with_register / without
    print(f"N={args.units}: no register {without:.2f} s; register of {made} awardees {with_register:.2f} s "
          f"({found} awarded-before); ratio {ratio:.3f} (target ≤ 1.10: {'met' if ratio <= 1.10 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
