"""The page keeps what it read (issue 20): readings kept by (path, size, modification time), so a
new or changed file costs only that file, and the merge of kept readings gives exactly what a
fresh run gives (the merge marks what it is given; the kept readings must not carry its marks)."""
from __future__ import annotations

import datetime as dt
import gc
import os
import pickle
import shutil
from email.message import EmailMessage

import pytest
from click.testing import CliRunner
from filler import filled, sample_individual
from helpers import set_received
from openpyxl import load_workbook

import thidua_batch.batch as batch
import thidua_batch.intake.inbox as inbox_module
from thidua_batch.intake import disk
from thidua_batch.batch import run_batch
from thidua_batch.cli import main
from thidua_batch.config import schema
from thidua_batch.config.campaign import default_campaign_text
from thidua_batch.documents.outputs import REPORT
from thidua_batch.documents.report import write_report
from thidua_batch.web.app import Settings, create_app
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



# --- The page after each change is the page a fresh app draws over the same inbox -----------------

UNITS = ("tam-duong", "sin-ho", "phong-tho")
PAGES = ("/", *(f"/don-vi/{u}" for u in UNITS))


def _pages(settings):
    """The pages as drawn by an app that has never seen the inbox."""
    return _draw(create_app(settings))


def _draw(app):
    client = app.test_client()
    answers = [client.get(p) for p in PAGES]
    assert all(a.status_code == 200 for a in answers)
    return [a.get_data(as_text=True) for a in answers]


def _register_with(folder, person: dict):
    """An award register holding an earlier decision (of another campaign) for PERSON."""
    def invoke(*args):
        result = CliRunner().invoke(main, [str(a) for a in args])
        assert result.exit_code == 0, result.output
    folder.mkdir()
    invoke("register", "template", "--out", folder)
    wb = load_workbook(folder / "mau_nhap_quyet_dinh.xlsx")
    wb["Cá nhân"].append([1, person["Họ và tên"], person["Giới tính"], person["Năm sinh"], person["Chức vụ"],
                         person["Đơn vị công tác"], "LĐLĐ huyện Tam Đường", None])
    wb.save(folder / "qd-2018.xlsx")
    earlier = folder / "2018.toml"           # the decision of an earlier campaign: "before" this one
    earlier.write_text(default_campaign_text().replace('id = "vhcs-2020"', 'id = "vhcs-2018"'), "utf-8")
    register = folder / "so.sqlite"
    invoke("register", "import", folder / "qd-2018.xlsx", "--number", "7/QĐ-LĐLĐ", "--date", "15/01/2019",
           "--award", "Giấy khen của LĐLĐ tỉnh", "--year", "2018", "--register", register, "--campaign", earlier)
    return register


def test_the_page_after_an_add_a_change_and_a_delete_is_a_fresh_apps_page(tmp_path, campaign):
    """Tổng quan and the units' pages, drawn from kept readings and kept rows after each change, are
    the pages of an app that reads the inbox for the first time: a file that makes a cross-unit
    duplicate is added, then the earlier file changes (so the duplicate turns round), a lock file
    comes and goes, report.json is written and rewritten, then the newer file goes. A register gives
    past awards (not on these pages: see the next test); a unit under its quota gets the dated sentence."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    out.mkdir()
    tam_duong = filled(tmp_path / "a", campaign, "tam-duong").save(inbox / "tam-duong.xlsx")
    shared = sample_individual(campaign.roster.order("tam-duong") * 12 + 1)   # tam-duong's first person
    phong_tho = filled(tmp_path / "c", campaign, "phong-tho", individuals=1).save(inbox / "phong-tho.xlsx")
    set_received(tam_duong, dt.datetime(2020, 12, 10, 8, 0, tzinfo=VN))
    set_received(phong_tho, dt.datetime(2020, 12, 11, 8, 0, tzinfo=VN))
    settings = Settings(inbox, out, campaign, register=_register_with(tmp_path / "so", shared))
    app = create_app(settings)
    steps = []

    def same(step: str):
        kept, fresh = _draw(app), _pages(settings)
        assert kept == fresh, step
        steps.append((step, kept[0]))

    same("first")
    assert "chưa đủ" in _draw(app)[0]

    sin_ho = filled(tmp_path / "b", campaign, "sin-ho", individuals=3)
    sin_ho.add_row(schema.SHEET_INDIVIDUALS, sample_individual(campaign.roster.order("tam-duong") * 12 + 1))
    sin_ho = sin_ho.save(inbox / "sin-ho.xlsx")
    set_received(sin_ho, dt.datetime(2020, 12, 12, 8, 0, tzinfo=VN))
    same("added: sin-ho proposes tam-duong's first person, later")
    assert "đơn vị đó gửi trước" in _draw(app)[2]            # sin-ho's row is the duplicate

    tam_duong.write_bytes(tam_duong.read_bytes())
    set_received(tam_duong, dt.datetime(2020, 12, 14, 8, 0, tzinfo=VN))
    same("changed: tam-duong's file now came after sin-ho's")
    pages = _draw(app)
    assert "đơn vị đó gửi trước" in pages[1] and "đơn vị đó gửi trước" not in pages[2]

    lock = inbox / "~$sin-ho.xlsx"
    lock.write_bytes(b"\x00" * 165)
    same("a lock file of Excel came")
    write_report(run_batch(inbox, campaign, jobs=1), out / REPORT)
    same("report.json written")
    assert "khớp với hộp hồ sơ" in _draw(app)[0]
    lock.unlink()
    same("the lock file went")
    assert "đã cũ" in _draw(app)[0]
    write_report(run_batch(inbox, campaign, jobs=1), out / REPORT)
    same("report.json written again")
    assert "khớp với hộp hồ sơ" in _draw(app)[0]

    sin_ho.unlink()
    same("deleted: sin-ho's file")
    assert "đơn vị đó gửi trước" not in _draw(app)[1]
    assert len({page for _step, page in steps}) >= 4     # the steps did change the page
    app.extensions["thidua"][1].close()


def test_kept_readings_stay_as_read_after_merges(tmp_path, campaign):
    """The copies the merge marks share with the kept readings what the merge never changes in place:
    after merges with a cross-unit duplicate, a superseded file and past awards, every kept reading
    is still exactly what it was when read."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    tam_duong = filled(tmp_path / "a", campaign, "tam-duong").save(inbox / "tam-duong.xlsx")
    older = filled(tmp_path / "c", campaign, "phong-tho", individuals=1).save(inbox / "phong-tho cu.xlsx")
    sin_ho = filled(tmp_path / "b", campaign, "sin-ho", individuals=3)
    first = sample_individual(campaign.roster.order("tam-duong") * 12 + 1)
    sin_ho.add_row(schema.SHEET_INDIVIDUALS, first)
    sin_ho = sin_ho.save(inbox / "sin-ho.xlsx")
    set_received(tam_duong, dt.datetime(2020, 12, 10, 8, 0, tzinfo=VN))
    set_received(older, dt.datetime(2020, 12, 11, 8, 0, tzinfo=VN))
    set_received(sin_ho, dt.datetime(2020, 12, 12, 8, 0, tzinfo=VN))
    register = _register_with(tmp_path / "so", first)
    live = Live(jobs=1)
    live.result(inbox, campaign, register)
    as_read = {key: pickle.dumps(reading) for key, reading in live._read.items()}
    newer = filled(tmp_path / "d", campaign, "phong-tho", individuals=2).save(inbox / "phong-tho moi.xlsx")
    set_received(newer, dt.datetime(2020, 12, 13, 8, 0, tzinfo=VN))
    merged = live.result(inbox, campaign, register)
    assert {f.path: f.status for f in merged.files}["phong-tho cu.xlsx"] == "superseded"
    assert any(n.duplicate_of for n in merged.all_nominations("individual"))
    assert any(n.past_awards for n in merged.all_nominations("individual"))
    assert any(f.code == "quota-under" for f in merged.findings)
    newer.unlink()
    live.result(inbox, campaign, register)
    assert {key: pickle.dumps(reading) for key, reading in live._read.items() if key in as_read} == as_read
    live.close()


def test_a_mail_is_opened_again_only_when_it_changes(tmp_path, campaign, monkeypatch):
    """What a file on disk gave (here a mail's attachments) is kept by the file's stamp: another
    file changing does not open the mail again; the mail changing does."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    attachment = filled(tmp_path / "a", campaign, "tam-duong").save(tmp_path / "tam-duong.xlsx")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "ldld.tamduong@gmail.com", "ban@example.vn", "Hồ sơ"
    message["Date"] = "Tue, 15 Dec 2020 09:00:00 +0700"
    message.set_content("Gửi Ban danh sách.")
    message.add_attachment(attachment.read_bytes(), maintype="application", subtype="octet-stream",
                           filename="tam-duong.xlsx")
    mail = inbox / "thu.eml"
    mail.write_bytes(message.as_bytes())
    other = filled(tmp_path / "b", campaign, "sin-ho").save(inbox / "sin-ho.xlsx")
    opened = []
    original = inbox_module.read_container
    monkeypatch.setattr(inbox_module, "read_container", lambda path, *a: opened.append(path.name) or original(path, *a))
    live = Live(jobs=1)
    first = live.result(inbox, campaign, None)
    assert opened == ["thu.eml"] and "thu.eml/tam-duong.xlsx" in {f.path for f in first.files}
    other.write_bytes(other.read_bytes())
    os.utime(other, (1_600_000_000, 1_600_000_000))
    again = live.result(inbox, campaign, None)
    assert again is not first and opened == ["thu.eml"]
    mail.write_bytes(message.as_bytes().replace(b"Subject: ", b"Subject: Re: "))
    changed = live.result(inbox, campaign, None)
    assert opened == ["thu.eml", "thu.eml"]
    assert _summary(changed) == _summary(run_batch(inbox, campaign, jobs=1, now=changed.generated_at))
    live.close()


@pytest.mark.parametrize("settle_after, settled", [(2, True), (1000, False)])
def test_kept_readings_are_set_aside_from_the_collector_after_many_readings(tmp_path, campaign, monkeypatch,
                                                                            settle_after, settled):
    """After SETTLE_AFTER readings the kept readings are set aside from the cyclic garbage collector
    (gc.freeze): then its full collections no longer walk them; the results are the same either way."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for unit_id in UNITS:
        filled(tmp_path / unit_id, campaign, unit_id).save(inbox / f"{unit_id}.xlsx")
    monkeypatch.setattr(Live, "SETTLE_AFTER", settle_after)
    gc.unfreeze()
    live = Live(jobs=1)
    try:
        result = live.result(inbox, campaign, None)
        assert (gc.get_freeze_count() > 0) is settled
        assert _summary(result) == _summary(run_batch(inbox, campaign, jobs=1, now=result.generated_at))
    finally:
        gc.unfreeze()
        live.close()


def test_a_file_held_open_elsewhere_is_read_again_once_it_is_free(tmp_path, campaign, monkeypatch):
    """On Windows a file that Excel or OneDrive holds open cannot be read (disk.LOCKED) and keeps
    its size and times: such a reading is not kept, so the page reads the file again on the next
    request and shows it as a fresh app does once it is free; a reading kept is not redone."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for unit_id in ("tam-duong", "sin-ho"):
        filled(tmp_path / unit_id, campaign, unit_id).save(inbox / f"{unit_id}.xlsx")
    held, loads = {"sin-ho.xlsx"}, []
    original = inbox_module.read_file

    def read_file(path, max_bytes):       # Windows' sharing violation, as disk.from_os_error words it
        loads.append(path.name)
        if path.name in held:
            raise disk.problem(disk.LOCKED)
        return original(path, max_bytes)
    monkeypatch.setattr(inbox_module, "read_file", read_file)
    live = Live(jobs=1)
    first = live.result(inbox, campaign, None)
    status = {f.path: f.status for f in first.files}
    assert status == {"sin-ho.xlsx": "rejected", "tam-duong.xlsx": "accepted"}
    assert any(disk.problem(disk.LOCKED).reason in f.message for f in first.findings)
    held.clear()
    loads.clear()
    freed = live.result(inbox, campaign, None)
    assert loads == ["sin-ho.xlsx"]                  # only the file held open before is read again
    assert {f.path: f.status for f in freed.files} == {"sin-ho.xlsx": "accepted", "tam-duong.xlsx": "accepted"}
    assert _summary(freed) == _summary(run_batch(inbox, campaign, jobs=1, now=freed.generated_at))
    loads.clear()
    assert live.result(inbox, campaign, None) is freed and loads == []
    live.close()
