"""The page's Tổng quan after one file changes (issue 20: at 1,000 units, at most 0.3 s).

    python bench/page.py                # 1,000 units (bench/work/n1000, made if missing)
    python bench/page.py --units 100

A copy of the generated inbox is served by the real Flask app (test client, no network): the
first request reads every file; then one file is changed (rewritten with a new time) and one is
added, and the next request is timed, best of 5. This twice: with OUT empty (nothing run yet), then
with the report.json of a run in OUT (the officer ran the batch once; the page compares the inbox
with it on every request). Prints the times; the machine's cores with them.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_inbox import make  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1000)
    args = parser.parse_args()
    from thidua_batch.config.campaign import load_campaign
    from thidua_batch.documents.report import write_report
    from thidua_batch.web.app import Settings, create_app

    work = make(args.units, HERE / "work" / f"n{args.units}")
    campaign = load_campaign(work / "campaign.toml")
    with tempfile.TemporaryDirectory() as tmp:
        inbox, out = Path(tmp) / "inbox", Path(tmp) / "out"
        shutil.copytree(work / "inbox", inbox)
        out.mkdir()
        app = create_app(Settings(inbox, out, campaign))
        client = app.test_client()
        started = time.perf_counter()
        assert client.get("/").status_code == 200
        first = time.perf_counter() - started
        files = sorted(inbox.glob("*.xlsx"))
        print(f"N={args.units}, {os.cpu_count()} cores: first request {first:.2f} s")
        for phase, rounds in (("OUT empty", range(5)), ("report.json in OUT", range(5, 10))):
            if rounds.start:
                _settings, live, _runner = app.extensions["thidua"]
                write_report(live.result(inbox, campaign, None), out / "report.json")
            changed, added = [], []
            for round_ in rounds:
                victim = files[round_ * 7]
                data = victim.read_bytes()
                victim.write_bytes(data)
                stamp = time.time() - 3600 * (round_ + 1)
                os.utime(victim, (stamp, stamp))
                started = time.perf_counter()
                assert client.get("/").status_code == 200
                changed.append(time.perf_counter() - started)
                copy = inbox / f"them-{round_}.xlsx"
                shutil.copy(files[round_ * 11], copy)
                started = time.perf_counter()
                assert client.get("/").status_code == 200
                added.append(time.perf_counter() - started)
            started = time.perf_counter()
            assert client.get("/").status_code == 200
            same = time.perf_counter() - started
            print(f"  {phase}: after one file changed {min(changed):.3f} s (best of 5, worst {max(changed):.3f} s); "
                  f"after one file added {min(added):.3f} s (worst {max(added):.3f} s); nothing changed {same:.3f} s")


if __name__ == "__main__":
    main()
