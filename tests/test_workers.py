"""Reading in worker processes (style.md; reliability.md, "No file can stop the batch"): a worker
lost to a native crash, the memory cap or the time limit costs its own file only, which is
rejected (file-unreadable, "tệp làm chương trình đọc bảng tính dừng đột ngột"); the batch goes
on with a rebuilt pool. The crashes here are real: calamine aborting on a grid of 549 GB (once
the campaign's max_cells lets the file through), os.abort in a real worker."""
from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from filler import filled
from test_limits import CORNERS, far_cell_xlsx

from thidua_batch.batch import LOST_WORDS, check_paths, reading_pool, run_batch
from thidua_batch.cli import main
from thidua_batch.intake.workers import Lost, Readers, platform_caps_memory


def _campaign_letting_through(campaign, **limits):
    """The campaign with its limits loosened: the far-cell workbook reaches calamine, which aborts."""
    return dataclasses.replace(campaign, limits=dataclasses.replace(campaign.limits, **limits))


@pytest.fixture()
def inbox_with_a_crasher(tmp_path, campaign) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for unit_id in ("tam-duong", "sin-ho", "phong-tho"):
        filled(tmp_path / "work" / unit_id, campaign, unit_id).save(inbox / f"{unit_id}.xlsx")
    (inbox / "than-uyen.xlsx").write_bytes(far_cell_xlsx(CORNERS))
    return inbox


def test_a_native_crash_in_calamine_costs_only_its_file(inbox_with_a_crasher, campaign):
    loose = _campaign_letting_through(campaign, max_cells=10**12)
    result = run_batch(inbox_with_a_crasher, loose, jobs=2)
    by_path = {f.path: f for f in result.files}
    crashed = by_path["than-uyen.xlsx"]
    assert (crashed.status, crashed.reason) == ("rejected", "file-unreadable")
    assert LOST_WORDS in crashed.findings[0].message.lower()
    assert crashed.unit == "than-uyen" and crashed.sha256   # still the unit's, still identified
    assert [by_path[f"{u}.xlsx"].status for u in ("tam-duong", "sin-ho", "phong-tho")] == ["accepted"] * 3
    # the same file under the default limits never reaches calamine
    refused = {f.path: f for f in run_batch(inbox_with_a_crasher, campaign, jobs=2).files}["than-uyen.xlsx"]
    assert "XFD1048576" in refused.findings[0].message


def test_run_and_check_write_their_results_when_a_worker_crashes(inbox_with_a_crasher, campaign, tmp_path):
    toml = tmp_path / "loose.toml"
    from thidua_batch.config.campaign import default_campaign_text
    toml.write_text(default_campaign_text().replace("[[units]]", "[limits]\nmax_cells = 1000000000000\n\n[[units]]", 1),
                    "utf-8")
    out = tmp_path / "out"
    done = CliRunner().invoke(main, ["run", str(inbox_with_a_crasher), "--out", str(out), "--campaign", str(toml),
                                     "--jobs", "2"])
    assert done.exit_code == 1, done.output
    report = json.loads((out / "report.json").read_text("utf-8"))
    statuses = {f["path"]: f["status"] for f in report["files"]}
    assert statuses == {"phong-tho.xlsx": "accepted", "sin-ho.xlsx": "accepted", "tam-duong.xlsx": "accepted",
                        "than-uyen.xlsx": "rejected"}
    checked = CliRunner().invoke(main, ["check", "--json", "--campaign", str(toml),
                                        str(inbox_with_a_crasher / "than-uyen.xlsx"),
                                        str(inbox_with_a_crasher / "sin-ho.xlsx")])
    assert checked.exit_code == 1, checked.output
    files = json.loads(checked.stdout)["files"]
    assert [(f["path"].rsplit("/", 1)[-1], f["status"]) for f in files] == [("than-uyen.xlsx", "rejected"),
                                                                            ("sin-ho.xlsx", "accepted")]


# Tasks run inside real workers (spawned: they are imported there by name).

def abort_on_three(item, _context):
    if item == 3:
        os.abort()
    return item * 10


def sleep_on_two(item, _context):
    if item == 2:
        time.sleep(60)
    return item


def address_space_limit(_item, _context):
    import resource

    return resource.getrlimit(resource.RLIMIT_AS)[0]


def allocate(megabytes, _context):
    return len(bytearray(megabytes * 1024 * 1024))


def test_a_worker_killed_by_abort_loses_its_item_and_the_pool_is_rebuilt():
    with Readers(abort_on_three, None, jobs=2, time_limit=60) as readers:
        results = dict(readers.map(list(range(8))))
        assert results.pop(3) == Lost("crash")
        assert results == {i: i * 10 for i in range(8) if i != 3}
        # the same Readers goes on working after the crash
        assert dict(readers.map([5, 6])) == {0: 50, 1: 60}


def test_a_file_past_the_time_limit_is_stopped_and_the_rest_goes_on():
    with Readers(sleep_on_two, None, jobs=2, time_limit=4) as readers:
        list(readers.map([0, 1]))   # the workers are up: their start does not count
        started = time.perf_counter()
        results = dict(readers.map([0, 1, 2, 3, 4]))
    assert results == {0: 0, 1: 1, 2: Lost("time"), 3: 3, 4: 4}
    assert time.perf_counter() - started < 30


@pytest.mark.skipif(not platform_caps_memory(), reason="no RLIMIT_AS on this system")
def test_each_worker_has_a_memory_cap_and_going_past_it_loses_only_that_item():
    cap = 1536 * 1024 * 1024
    with Readers(address_space_limit, None, jobs=2, memory_cap=cap) as readers:
        assert dict(readers.map([0])) == {0: cap}
    with Readers(allocate, None, jobs=2, memory_cap=cap) as readers:
        results = dict(readers.map([10, 4000, 20]))
    assert results[0] == 10 * 1024 * 1024 and results[2] == 20 * 1024 * 1024
    assert isinstance(results[1], Lost)


def test_jobs_1_reads_in_process(campaign, tmp_path):
    path = filled(tmp_path, campaign).save(tmp_path / "tam duong.xlsx")
    [result] = check_paths([path], campaign, jobs=1)
    assert result.status == "accepted"
    pool = reading_pool(campaign, jobs=1)
    assert pool.jobs == 1 and pool._pool is None


# -- the same workers write the Word papers while the main process writes the workbook

def worker_pid(_item, _context):
    return os.getpid()


def abort_unless_in(pid):
    if os.getpid() != pid:
        os.abort()
    return "made here"


def test_later_runs_in_a_reading_worker_and_falls_back_here_when_that_worker_is_lost():
    with Readers(worker_pid, None, jobs=2) as readers:
        list(readers.map([0, 1, 2, 3]))
        workers = {p.pid for p in multiprocessing.active_children()}
        call = readers.later(os.getpid)
        assert call.value() in workers and call.value() != os.getpid()
        assert readers.later(abort_unless_in, os.getpid()).value() == "made here"   # its worker died
    with Readers(worker_pid, None, jobs=2) as readers:
        assert readers.later(os.getpid).value() == os.getpid()   # no worker running: made in this process
    with Readers(worker_pid, None, jobs=1) as readers:
        list(readers.map([0]))
        assert readers.later(os.getpid).value() == os.getpid()


def test_run_writes_the_same_papers_whether_workers_write_them_or_not(tmp_path, campaign):
    """`run` hands the Word papers to its reading workers in groups; every paper, letters included,
    is the one the main process alone writes (their text compared), and none is missing."""
    import zipfile

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for unit_id in ("tam-duong", "sin-ho", "phong-tho", "than-uyen", "muong-te"):
        filled(tmp_path / "work" / unit_id, campaign, unit_id).save(inbox / f"{unit_id}.xlsx")
    outs = {}
    for jobs in ("1", "2"):
        outs[jobs] = tmp_path / f"out{jobs}"
        done = CliRunner().invoke(main, ["run", str(inbox), "--out", str(outs[jobs]), "--jobs", jobs])
        assert done.exit_code in (0, 1), done.output

    def papers(out: Path) -> dict[str, bytes]:
        return {p.relative_to(out).as_posix(): zipfile.ZipFile(p).read("word/document.xml")
                for p in sorted(out.rglob("*.docx"))}
    one, two = papers(outs["1"]), papers(outs["2"])
    assert len(one) == 2 + 5 and sorted(one) == sorted(two)
    assert one == two
    assert not [p for p in outs["2"].iterdir() if p.name.startswith(".")]   # nothing staged is left behind
