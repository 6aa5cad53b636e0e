"""The page keeps what it read (issue 20): readings kept by (path, size, modification time), so a
new or changed file costs only that file, and the merge of kept readings gives exactly what a
fresh run gives (the merge marks what it is given; the kept readings must not carry its marks)."""
from __future__ import annotations

import datetime as dt
import os
import shutil

import thidua_batch.batch as batch
from filler import filled
from helpers import set_received

from thidua_batch.batch import run_batch
from thidua_batch.web.board import Live

VN = dt.timezone(dt.timedelta(hours=7))


def _summary(result):
    return ([(f.path, f.status, f.reason, f.unit, len(f.findings)) for f in result.files],
            [(u.unit.id, u.status) for u in result.units],
            sorted((f.code, f.file or "", f.cell or "") for f in result.findings),
            [(n.file, n.row, n.in_decision, n.held_out) for n in result.all_nominations("individual")])


def test_a_changed_file_is_the_only_one_read_again(tmp_path, campaign, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for unit_id in ("tam-duong", "sin-ho", "phong-tho"):
        filled(tmp_path / "w" / unit_id, campaign, unit_id).save(inbox / f"{unit_id}.xlsx")
    read = []
    original = batch.check_source
    monkeypatch.setattr(batch, "check_source", lambda source, *a, **k: read.append(source.path) or original(source, *a, **k))
    live = Live(jobs=1)
    first = live.result(inbox, campaign, None)
    assert sorted(read) == ["phong-tho.xlsx", "sin-ho.xlsx", "tam-duong.xlsx"]
    read.clear()
    assert live.result(inbox, campaign, None) is first and read == []
    changed = inbox / "sin-ho.xlsx"
    changed.write_bytes(changed.read_bytes())
    os.utime(changed, (1_600_000_000, 1_600_000_000))
    shutil.copy(inbox / "tam-duong.xlsx", inbox / "muong-te.xlsx")
    again = live.result(inbox, campaign, None)
    assert sorted(read) == ["muong-te.xlsx", "sin-ho.xlsx"]
    assert _summary(again) == _summary(run_batch(inbox, campaign, jobs=1, now=again.generated_at))


def test_kept_readings_do_not_carry_the_last_merge(tmp_path, campaign):
    """A unit's older file is superseded while a newer one is there, and used again once the newer is gone."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    older = filled(tmp_path / "a", campaign, "tam-duong").save(inbox / "tam-duong cu.xlsx")
    newer = filled(tmp_path / "b", campaign, "tam-duong", individuals=3).save(inbox / "tam-duong moi.xlsx")
    set_received(older, dt.datetime(2020, 12, 10, 8, 0, tzinfo=VN))
    set_received(newer, dt.datetime(2020, 12, 12, 8, 0, tzinfo=VN))
    live = Live(jobs=1)
    both = live.result(inbox, campaign, None)
    assert {f.path: f.status for f in both.files} == {"tam-duong cu.xlsx": "superseded", "tam-duong moi.xlsx": "accepted"}
    newer.unlink()
    alone = live.result(inbox, campaign, None)
    assert [(f.path, f.status) for f in alone.files] == [("tam-duong cu.xlsx", "accepted")]
    assert all(n.in_decision for n in alone.all_nominations("individual"))
    assert _summary(alone) == _summary(run_batch(inbox, campaign, jobs=1, now=alone.generated_at))
