"""The batch run: cross-file rules, report.json, the consolidated workbook, safe outputs."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from filler import filled, sample_individual
from helpers import set_received

from thidua_batch.config import schema
from thidua_batch.batch import run_batch
from thidua_batch.config.campaign import load_campaign
from thidua_batch.cli import main
from thidua_batch.model.findings import flatten
from thidua_batch.model.results import COLLECTIVE, INDIVIDUAL

CAMPAIGN = load_campaign()
VN = dt.timezone(dt.timedelta(hours=7))
CN, TT = schema.SHEET_INDIVIDUALS, schema.SHEET_COLLECTIVES


def put(filler, inbox: Path, name: str, when=dt.datetime(2020, 12, 15, 9, 0, tzinfo=VN)) -> Path:
    path = filler.save(inbox / name)
    set_received(path, when)
    return path


@pytest.fixture()
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def codes(result, code):
    return [(f.unit, f.file, f.sheet, f.cell) for f in result.findings if f.code == code]


def unit(result, unit_id):
    return next(u for u in result.units if u.unit.id == unit_id)


def test_newest_workbook_of_a_unit_wins(tmp_path, inbox):
    put(filled(tmp_path, CAMPAIGN, "cdn-giao-duc", individuals=3), inbox, "giao duc (ban cu).xlsx",
        dt.datetime(2020, 12, 12, 8, 0, tzinfo=VN))
    put(filled(tmp_path, CAMPAIGN, "cdn-giao-duc"), inbox, "sub/giao duc.xlsx", dt.datetime(2020, 12, 16, 8, 0, tzinfo=VN))
    result = run_batch(inbox, CAMPAIGN)
    statuses = {f.path: f.status for f in result.files}
    assert statuses == {"giao duc (ban cu).xlsx": "superseded", "sub/giao duc.xlsx": "accepted"}
    assert codes(result, "unit-superseded") == [("cdn-giao-duc", "giao duc (ban cu).xlsx", None, None)]
    message = next(f.message for f in result.findings if f.code == "unit-superseded")
    assert "giao duc (ban cu).xlsx" in message and "sub/giao duc.xlsx" in message
    u = unit(result, "cdn-giao-duc")
    assert (u.status, u.file.path, u.submitted.individuals) == ("ok", "sub/giao duc.xlsx", 4)
    # the rows of the older file are listed, never used
    assert all(not n.in_decision for n in result.all_nominations(INDIVIDUAL) if n.file.startswith("giao duc (ban"))


@pytest.mark.parametrize("when,late", [(dt.datetime(2020, 12, 20, 23, 59, tzinfo=VN), False),
                                       (dt.datetime(2020, 12, 20, 17, 30, tzinfo=dt.timezone.utc), True),
                                       (dt.datetime(2020, 12, 23, 8, 0, tzinfo=VN), True)])
def test_submitted_late_by_received_time(tmp_path, inbox, when, late):
    put(filled(tmp_path, CAMPAIGN, "tan-uyen"), inbox, "tan uyen.xlsx", when)
    result = run_batch(inbox, CAMPAIGN)
    assert codes(result, "submitted-late") == ([("tan-uyen", "tan uyen.xlsx", None, None)] if late else [])
    assert unit(result, "tan-uyen").status == "ok"   # a warning does not change the status


def test_units_that_sent_nothing_are_missing(tmp_path, inbox):
    put(filled(tmp_path, CAMPAIGN, "tam-duong"), inbox, "a.xlsx")
    result = run_batch(inbox, CAMPAIGN)
    missing = [u for u, *_ in codes(result, "unit-missing")]
    assert missing == [u.id for u in CAMPAIGN.roster if u.id != "tam-duong"]
    assert unit(result, "muong-te").status == "missing" and unit(result, "tam-duong").status == "ok"


@pytest.mark.parametrize("a_first", [True, False])
def test_person_duplicate_across_units_the_later_is_held_out(tmp_path, inbox, a_first):
    a = filled(tmp_path, CAMPAIGN, "tam-duong", individuals=3)
    b = filled(tmp_path, CAMPAIGN, "sin-ho", individuals=3)
    shared = sample_individual(150)
    row_a = a.add_row(CN, shared)
    row_b = b.add_row(CN, {**shared, "Họ và tên": shared["Họ và tên"].upper(), "Chức vụ": "Chuyên viên"})
    early, late = dt.datetime(2020, 12, 14, 9, 0, tzinfo=VN), dt.datetime(2020, 12, 16, 9, 0, tzinfo=VN)
    put(a, inbox, "a.xlsx", early if a_first else late)
    put(b, inbox, "b.xlsx", late if a_first else early)
    result = run_batch(inbox, CAMPAIGN)
    first, later = (("tam-duong", "a.xlsx", row_a), ("sin-ho", "b.xlsx", row_b))[::1 if a_first else -1]
    assert codes(result, "person-duplicate") == [(later[0], later[1], CN, f"B{later[2]}")]
    finding = next(f for f in result.findings if f.code == "person-duplicate")
    assert finding.is_error
    first_name = CAMPAIGN.roster.get(first[0]).name
    assert f"đã được {first_name} đề nghị trước (tệp “{first[1]}”, trang “Cá nhân”, dòng {first[2]}" in finding.message
    # one award: the person is in the decision once, from the unit that sent first
    chosen = [n for n in result.in_decision(INDIVIDUAL) if n.birth_year == shared["Năm sinh"]
              and n.display_name == shared["Họ và tên"]]
    assert [(n.unit, n.row) for n in chosen] == [(first[0], first[2])]
    assert (unit(result, later[0]).status, unit(result, first[0]).status) == ("has-errors", "ok")
    assert (unit(result, later[0]).in_decision.individuals, unit(result, first[0]).in_decision.individuals) == (3, 4)


def test_collective_duplicate_across_units(tmp_path, inbox):
    a = filled(tmp_path, CAMPAIGN, "tam-duong", collectives=0)
    b = filled(tmp_path, CAMPAIGN, "phong-tho", collectives=0)
    a.add_row(TT, {"Tên tập thể": "Công đoàn Bệnh viện Đa khoa tỉnh", "Tóm tắt thành tích": "Tốt"})
    b.add_row(TT, {"Tên tập thể": "CÔNG ĐOÀN BỆNH VIỆN ĐA KHOA TỈNH", "Tóm tắt thành tích": "Tốt"})
    put(a, inbox, "a.xlsx")
    put(b, inbox, "b.xlsx")   # the same received time: roster order decides
    result = run_batch(inbox, CAMPAIGN)
    assert [u for u, *_ in codes(result, "collective-duplicate")] == ["phong-tho"]
    assert [n.unit for n in result.in_decision(COLLECTIVE)] == ["tam-duong"]


def test_who_goes_into_the_decision(tmp_path, inbox):
    over = filled(tmp_path, CAMPAIGN, "tp-lai-chau", individuals=6)        # over quota: all 6 held out
    bad = filled(tmp_path, CAMPAIGN, "tam-duong", individuals=3)           # one row with an error
    bad_row = bad.add_row(CN, {**sample_individual(140), "Giới tính": "X"})
    both = filled(tmp_path, CAMPAIGN, "sin-ho", individuals=5)             # over quota and an error elsewhere
    both.set_field("Ngày họp xét", "31/02/2020")
    put(over, inbox, "over.xlsx")
    put(bad, inbox, "bad.xlsx")
    put(both, inbox, "both.xlsx")
    result = run_batch(inbox, CAMPAIGN)
    assert [(u.status, u.in_decision.collectives, u.in_decision.individuals)
            for u in (unit(result, "tp-lai-chau"), unit(result, "tam-duong"), unit(result, "sin-ho"))] == [
        ("over-quota", 1, 0), ("has-errors", 1, 3), ("has-errors", 1, 0)]
    held = [n for n in result.all_nominations(INDIVIDUAL) if n.file == "over.xlsx"]
    assert len(held) == 6 and all("chỉ tiêu 04 cá nhân, đề nghị 06: vượt 02" in n.held_out for n in held)
    wrong = next(n for n in result.all_nominations(INDIVIDUAL) if n.file == "bad.xlsx" and n.row == bad_row)
    assert not wrong.in_decision and wrong.has_error
    # decision lists are in roster order: tp-lai-chau (none), tam-duong, sin-ho (none)
    assert {n.unit for n in result.in_decision(INDIVIDUAL)} == {"tam-duong"}
    assert [n.unit for n in result.in_decision(COLLECTIVE)] == ["tp-lai-chau", "tam-duong", "sin-ho"]


def _run_cli(inbox: Path, out: Path, *args: str):
    return CliRunner().invoke(main, ["run", str(inbox), "--out", str(out), *args])


def _mixed_inbox(tmp_path, inbox) -> None:
    for unit_id in ("tam-duong", "cdn-y-te"):
        put(filled(tmp_path, CAMPAIGN, unit_id), inbox, f"{unit_id}.xlsx")
    odd = filled(tmp_path, CAMPAIGN, "phong-tho", individuals=3)
    odd.add_row(CN, {**sample_individual(120), "Tóm tắt thành tích": "- Hoàn thành xuất sắc; =SUM(A1) & <b>"})
    odd.add_row(CN, {**sample_individual(121), "Năm sinh": "198"})
    put(odd, inbox, "phong tho.xlsx")
    (inbox / "Huong dan.docx").write_bytes(b"PK\x03\x04 not really")
    (inbox / "~$phong tho.xlsx").write_bytes(b"lock")
    (inbox / "hong.xlsx").write_bytes(b"not a workbook")


def test_report_json_follows_the_contract(tmp_path, inbox):
    _mixed_inbox(tmp_path, inbox)
    out = tmp_path / "out"
    run = _run_cli(inbox, out)
    assert run.exit_code == 1, run.output
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert set(report) == {"campaign", "generated_at", "valid", "stats", "files", "units", "findings", "decision"}
    assert report["campaign"] == {"id": "vhcs-2020", "name": CAMPAIGN.name, "deadline": "2020-12-20"}
    assert report["valid"] is False
    s = report["stats"]
    assert s["files"] == s["files_accepted"] + s["files_rejected"] + s["files_ignored"] + s["files_superseded"] == 6
    # "Huong dan.docx" is a Word file now read for a list: its broken bytes make it rejected
    assert (s["files_accepted"], s["files_rejected"], s["files_ignored"]) == (3, 2, 1)
    assert (s["units_expected"], s["units_submitted"], s["units_missing"]) == (11, 3, 8)
    assert (s["collectives"], s["individuals"]) == (3, 4 + 4 + 5)
    assert (s["collectives_in_decision"], s["individuals_in_decision"]) == (3, 8)
    assert s["errors"] == sum(f["severity"] == "error" for f in report["findings"])
    assert s["warnings"] == sum(f["severity"] == "warning" for f in report["findings"])
    by_path = {f["path"]: f for f in report["files"]}
    assert by_path["hong.xlsx"]["status"] == "rejected" and by_path["hong.xlsx"]["reason"] == "file-unreadable"
    assert by_path["~$phong tho.xlsx"]["status"] == "ignored"
    assert by_path["tam-duong.xlsx"]["sha256"] == hashlib.sha256((inbox / "tam-duong.xlsx").read_bytes()).hexdigest()
    assert by_path["tam-duong.xlsx"]["received_at"] == "2020-12-15T09:00:00+07:00"
    units = {u["id"]: u for u in report["units"]}
    assert list(units) == [u.id for u in CAMPAIGN.roster]
    assert units["phong-tho"] == {
        "id": "phong-tho", "name": "Liên đoàn Lao động huyện Phong Thổ", "type": "LĐLĐ huyện, thành phố",
        "quota": {"collectives": 1, "individuals": 4}, "submitted": {"collectives": 1, "individuals": 5},
        "in_decision": {"collectives": 1, "individuals": 0}, "status": "has-errors", "file": "phong tho.xlsx",
        # what the conference needs (papers.md, "Conference input"): the unit's topic and contacts
        "topic": "Nâng cao chất lượng thực hiện văn hóa công sở trong cán bộ, công chức, viên chức",
        "contact": {"preparer": "Lò Văn Hướng", "phone": "02133876174", "email": "phongtho.congdoan@gmail.com"}}
    assert units["cdn-y-te"]["status"] == "under-quota"
    for finding in report["findings"]:
        assert set(finding) == {"code", "severity", "file", "unit", "sheet", "cell", "value", "message"}
    assert ("invalid-value", "phong-tho", "Cá nhân", "D8", "198") in {
        (f["code"], f["unit"], f["sheet"], f["cell"], f["value"]) for f in report["findings"]}


def test_consolidated_workbook_is_text_not_formulas(tmp_path, inbox):
    _mixed_inbox(tmp_path, inbox)
    out = tmp_path / "out"
    _run_cli(inbox, out)
    wb = openpyxl.load_workbook(out / "tong_hop_khen_thuong.xlsx")
    assert wb.sheetnames == ["Tổng hợp đơn vị", "Tập thể", "Cá nhân", "Lỗi - cảnh báo", "Tệp đã nhận", "Dòng không tính"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    assert unicodedata.is_normalized("NFC", cell.value), f"{ws.title}!{cell.coordinate}"
    people = wb["Cá nhân"]
    header = [c.value for c in people[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in people.iter_rows(min_row=2)]
    assert len(rows) == 13
    odd = next(r for r in rows if r["Tóm tắt thành tích"].startswith("- Hoàn thành"))
    assert odd["Tóm tắt thành tích"] == "- Hoàn thành xuất sắc; =SUM(A1) & <b>"
    assert odd["Đưa vào quyết định"] == "Không" and "chỉ tiêu 04 cá nhân, đề nghị 05: vượt 01" in odd["Lý do chưa đưa vào"]
    assert odd["Ô nguồn"] == "Cá nhân!B7" and odd["Tệp nguồn"] == "phong tho.xlsx"
    bad_year = next(r for r in rows if r["Năm sinh"] == "198")   # shown as found, never lost
    assert bad_year["Đưa vào quyết định"] == "Không"
    units = {r[2].value: r for r in wb["Tổng hợp đơn vị"].iter_rows(min_row=2)}
    assert units["Liên đoàn Lao động huyện Mường Tè"][10].value == "Chưa gửi hồ sơ"
    files = {r[1].value: r[2].value for r in wb["Tệp đã nhận"].iter_rows(min_row=2)}
    assert files["hong.xlsx"] == "Bị từ chối" and files["~$phong tho.xlsx"] == "Bỏ qua"
    findings = list(wb["Lỗi - cảnh báo"].iter_rows(min_row=2, values_only=True))
    assert ("Lỗi", "Giá trị không hợp lệ", "Liên đoàn Lao động huyện Phong Thổ", "phong tho.xlsx", "Cá nhân", "D8",
            "198") in {r[1:8] for r in findings}
    # Every text is Vietnamese: no finding code, status or reason appears bare anywhere in the workbook.
    from thidua_batch.model.findings import CODES
    shown = {str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v}
    bare = shown & (set(CODES) | {"accepted", "rejected", "ignored", "superseded", "missing", "unusable",
                                  "has-errors", "over-quota", "under-quota", "ok", "template", "own", "word"})
    assert bare == set()


def test_inputs_untouched_outputs_atomic_and_repeatable(tmp_path, inbox):
    _mixed_inbox(tmp_path, inbox)
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in inbox.rglob("*")}
    out = tmp_path / "out"
    _run_cli(inbox, out)
    first = json.loads((out / "report.json").read_text("utf-8"))
    first_xlsx = _values(out / "tong_hop_khen_thuong.xlsx")
    _run_cli(inbox, out)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in inbox.rglob("*")}
    assert after == before
    second = json.loads((out / "report.json").read_text("utf-8"))
    first.pop("generated_at"), second.pop("generated_at")
    assert first == second
    assert _values(out / "tong_hop_khen_thuong.xlsx") == first_xlsx
    assert not [p.name for p in out.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".")]


def _values(path: Path):
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_cli_summary_and_exit_codes(tmp_path, inbox):
    for unit_id in (u.id for u in CAMPAIGN.roster):
        quota = CAMPAIGN.roster.get(unit_id).individuals
        put(filled(tmp_path, CAMPAIGN, unit_id, individuals=quota), inbox, f"{unit_id}.xlsx")
    out = tmp_path / "out"
    ok = _run_cli(inbox, out)
    assert ok.exit_code == 0, ok.output
    assert "11/11 đơn vị đã gửi; 11 đạt yêu cầu" in ok.output
    assert "Đưa vào dự thảo quyết định: 11 tập thể, 50 cá nhân." in ok.output
    assert str(out) in ok.output
    (inbox / "tam-duong.xlsx").write_bytes(b"broken")
    bad = _run_cli(inbox, out)
    assert bad.exit_code == 1
    assert "Đã gửi nhưng chưa dùng được: Liên đoàn Lao động huyện Tam Đường" in bad.output
    as_json = _run_cli(inbox, out, "--json")
    assert json.loads(as_json.output)["stats"]["files_rejected"] == 1


def test_flattened_findings_of_a_small_inbox(tmp_path, inbox):
    f = filled(tmp_path, CAMPAIGN, "tam-duong", individuals=5)
    put(f, inbox, "a.xlsx")
    result = run_batch(inbox, CAMPAIGN)
    rows = [r for r in flatten(result.findings) if r[0] != "unit-missing"]
    assert rows == [("quota-exceeded", CN, "B8")]
