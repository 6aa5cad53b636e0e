"""The board's real inbox, all at once: mails, an mbox, .xls and .ods saved by LibreOffice, a
TCVN3 workbook, and every hostile file of tests/hostile.py. The batch must account for each
file, refuse each hostile one with a clear reason, and go on with the rest, within bounded
time and memory."""
from __future__ import annotations

import datetime as dt
import email.policy
import json
import mailbox
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filler import filled, sample_individual
from helpers import set_received, soffice_convert
from hostile import HOSTILE_KINDS, make_hostile
from test_mail import message

from thidua_batch.config import schema
from thidua_batch.batch import run_batch
from thidua_batch.config.campaign import default_campaign_text, load_campaign, parse_campaign
from thidua_batch.intake.legacy import unicode_to_tcvn3

CAMPAIGN = load_campaign()
VN = dt.timezone(dt.timedelta(hours=7))
ON_TIME = dt.datetime(2020, 12, 15, 9, 0, tzinfo=VN)


def _workbook(work: Path, unit_id: str, name: str) -> Path:
    return filled(work, CAMPAIGN, unit_id).save(work / name)


@pytest.fixture(scope="module")
def messy_inbox(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("messy")
    work, inbox = root / "work", root / "inbox"
    work.mkdir()
    expect: dict[str, tuple[str, str | None]] = {}   # path -> (status, unit)
    # mails: an .eml with one workbook, an mbox with two units on different dates
    eml = message("LĐLĐ Tam Đường <tamduong@gmail.com>", "Hồ sơ khen thưởng", dt.datetime(2020, 12, 18, 10, 0, tzinfo=VN),
                  [("Tam Đường đề nghị.xlsx", _workbook(work, "tam-duong", "a.xlsx").read_bytes())])
    (inbox / "thu").mkdir(parents=True)
    (inbox / "thu" / "tam duong.eml").write_bytes(eml.as_bytes(policy=email.policy.SMTP))
    expect["thu/tam duong.eml/Tam Đường đề nghị.xlsx"] = ("accepted", "tam-duong")
    box = mailbox.mbox(inbox / "thu" / "Hop thu den.mbox")
    box.add(message("sinho@gmail.com", "Sìn Hồ", dt.datetime(2020, 12, 16, 8, 0, tzinfo=VN),
                    [("sin ho.xlsx", _workbook(work, "sin-ho", "b.xlsx").read_bytes())]))
    box.add(message("tpl@gmail.com", "TP", dt.datetime(2020, 12, 22, 8, 0, tzinfo=VN),
                    [("tp.xlsx", _workbook(work, "tp-lai-chau", "c.xlsx").read_bytes())]))
    box.flush()
    box.close()
    expect["thu/Hop thu den.mbox#1/sin ho.xlsx"] = ("accepted", "sin-ho")
    expect["thu/Hop thu den.mbox#2/tp.xlsx"] = ("accepted", "tp-lai-chau")
    # old formats, saved by LibreOffice
    for unit_id, fmt in (("phong-tho", "xls"), ("muong-te", "ods")):
        saved = soffice_convert(_workbook(work, unit_id, f"{unit_id}.xlsx"), fmt, work / "lo")
        saved = saved.rename(inbox / saved.name)
        set_received(saved, ON_TIME)
        expect[saved.name] = ("accepted", unit_id)
    # a workbook typed in TCVN3
    tcvn = filled(work, CAMPAIGN, "than-uyen", individuals=3)
    tcvn.set_field("Đơn vị đề nghị", unicode_to_tcvn3("Liên đoàn Lao động huyện Than Uyên"))
    tcvn.add_row(schema.SHEET_INDIVIDUALS, {**sample_individual(40), "Họ và tên": unicode_to_tcvn3("Nguyễn Văn An")})
    set_received(tcvn.save(inbox / "than uyen (ABC).xlsx"), ON_TIME)
    expect["than uyen (ABC).xlsx"] = ("accepted", "than-uyen")
    # every hostile kind
    for kind in HOSTILE_KINDS:
        path = make_hostile(kind, inbox / "hong")
        expect[path.relative_to(inbox).as_posix()] = ("rejected", None)
    return inbox, expect


def test_every_hostile_file_is_refused_and_the_rest_is_read(messy_inbox):
    inbox, expect = messy_inbox
    result = run_batch(inbox, CAMPAIGN)
    got = {f.path: (f.status, f.unit) for f in result.files}
    assert got == expect
    for f in result.files:
        if f.status == "rejected":
            finding = next(x for x in result.findings if x.file == f.path)
            assert (finding.code, finding.severity.value) == ("file-unreadable", "error")
            assert "đơn vị" in finding.message or "Đề nghị" in finding.message, finding.message
    kinds = {f.path.split("/", 1)[1].rsplit(".", 1)[0]: f for f in result.files if f.path.startswith("hong/")}
    assert set(kinds) == set(HOSTILE_KINDS) and len(HOSTILE_KINDS) >= 25
    assert "mật khẩu" in next(x.message for x in result.findings if x.file == kinds["encrypted-xlsx"].path)
    received = {f.path: f.received_at for f in result.files}
    assert received["thu/Hop thu den.mbox#2/tp.xlsx"] == dt.datetime(2020, 12, 22, 8, 0, tzinfo=VN)
    late = {f.unit for f in result.findings if f.code == "submitted-late"}
    assert late == {"tp-lai-chau"}
    legacy = [f for f in result.findings if f.code == "legacy-encoding"]
    assert {f.unit for f in legacy} == {"than-uyen"} and len(legacy) == 2
    assert any(n.name == "Nguyễn Văn An" for n in result.in_decision("individual"))   # converted, then decided


def _limit_memory() -> None:
    four_gb = 4 * 1024 ** 3
    resource.setrlimit(resource.RLIMIT_AS, (four_gb, four_gb))


def test_cli_on_the_messy_inbox_under_4_gb_and_a_minute(messy_inbox, tmp_path):
    inbox, expect = messy_inbox
    out = tmp_path / "out"
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "thidua_batch.cli", "run", str(inbox), "--out", str(out)],
                          capture_output=True, text=True, timeout=120, preexec_fn=_limit_memory)
    seconds = time.monotonic() - started
    assert done.returncode == 1, done.stderr
    assert seconds < 60, f"took {seconds:.1f} s"
    report = json.loads((out / "report.json").read_text("utf-8"))
    stats = report["stats"]
    assert stats["files"] == len(expect)
    assert stats["files"] == stats["files_accepted"] + stats["files_rejected"] + stats["files_ignored"] + \
        stats["files_superseded"]
    assert (stats["files_accepted"], stats["files_rejected"]) == (6, len(HOSTILE_KINDS))
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert all(not p.startswith("..") for p in written)
    assert "tong_hop_khen_thuong.xlsx" in written and "du_thao_quyet_dinh_khen_thuong.docx" in written


def test_limits_come_from_the_campaign(tmp_path):
    text = default_campaign_text() + "\n[limits]\nmax_file_mb = 0.001\n"
    strict = parse_campaign(text, "strict.toml")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    set_received(_workbook(tmp_path, "tam-duong", "x.xlsx").rename(inbox / "x.xlsx"), ON_TIME)
    result = run_batch(inbox, strict)
    assert [(f.status, f.reason) for f in result.files] == [("rejected", "file-unreadable")]
    assert "MB" in next(f.message for f in result.findings if f.file == "x.xlsx")
    assert run_batch(inbox, CAMPAIGN).files[0].status == "accepted"
