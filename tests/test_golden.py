"""The golden sample: samples/inbox in, the committed expected summary out (the whole flow).

Regenerate after a deliberate change with `UPDATE_GOLDEN=1 pytest tests/test_golden.py`,
and read the diff of tests/golden/samples.json before committing it.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import shutil
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from thidua_batch.batch import run_batch
from thidua_batch.config.campaign import load_campaign
from thidua_batch.documents.outputs import write_outputs
from thidua_batch.documents.report import to_report

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "samples.json"


def _make_samples():
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "samples" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def summary(report: dict) -> dict:
    return {
        "stats": report["stats"],
        "valid": report["valid"],
        "files": [[f["path"], f["status"], f["unit"], f["received_at"], f["reason"]] for f in report["files"]],
        "units": [[u["id"], u["status"], u["submitted"], u["in_decision"], u["file"]] for u in report["units"]],
        "findings": [[f["code"], f["severity"], f["unit"], f["file"], f["sheet"], f["cell"], f["value"]]
                     for f in report["findings"]],
    }


def test_samples_inbox_gives_the_expected_report(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(ROOT / "samples" / "inbox", inbox)
    assert _make_samples().touch(inbox) == []   # git keeps no mtimes: the received times come from RECEIVED
    campaign = load_campaign()
    result = run_batch(inbox, campaign, now=dt.datetime(2020, 12, 21, 8, 0, tzinfo=campaign.tz))
    out = tmp_path / "out"
    write_outputs(result, out)
    got = summary(json.loads((out / "report.json").read_text("utf-8")))
    assert got == summary(to_report(result))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", "utf-8")
    expected = json.loads(GOLDEN.read_text("utf-8"))
    assert got == expected

    # The outputs agree with the report: the decision names exactly who is in it.
    decision = "\n".join(p.text for p in Document(out / "du_thao_quyet_dinh_khen_thuong.docx").paragraphs)
    tables = Document(out / "du_thao_quyet_dinh_khen_thuong.docx").tables
    annex = "\n".join(cell.text for table in tables for row in table.rows for cell in row.cells)
    stats = got["stats"]
    assert f"{stats['collectives_in_decision']:02d} tập thể và {stats['individuals_in_decision']} cá nhân" in decision
    chosen = {n.display_name for n in result.in_decision("individual")}   # names in capitals are printed normally
    held = {n.display_name for n in result.all_nominations("individual")} - chosen
    assert chosen and held
    assert all(name in annex for name in chosen)
    assert not any(name in annex for name in held)
    people = load_workbook(out / "tong_hop_khen_thuong.xlsx", read_only=True)["Cá nhân"]
    assert sum(1 for _ in people.iter_rows(min_row=2)) == stats["individuals"] + 3   # + the superseded file's rows
    letters = sorted(p.stem for p in (out / "phan_hoi").glob("*.docx"))
    assert letters == sorted(u[0] for u in got["units"] if u[1] != "missing")
    assert "Giàng A Páo" in annex and "GIÀNG A PÁO" not in annex
    # one award per person: the teacher both Tam Đường and CĐN Giáo dục proposed is in the decision once
    assert sum(cell.text == "Tòng Thị Hải Yến" for table in tables for row in table.rows
               for cell in row.cells[:2]) == 1
    # the tờ trình states what the checks found, never "Đạt yêu cầu" over a broken rule
    submission = Document(out / "du_thao_to_trinh.docx").tables[1]
    notes = {row.cells[1].text: row.cells[5].text for row in submission.rows[1:]}
    assert notes["Công đoàn Viên chức tỉnh"] == "Họp xét 6/11 thành viên (dưới 2/3)"
    assert notes["Liên đoàn Lao động huyện Tam Đường"].startswith("Không có biên bản họp xét; trùng đề nghị với "
                                                                  "Công đoàn ngành Giáo dục: Tòng Thị Hải Yến")
    assert notes["Liên đoàn Lao động huyện Than Uyên"].startswith("Danh sách không theo mẫu")
    assert notes["Liên đoàn Lao động huyện Tân Uyên"].startswith("Danh sách không theo mẫu")
    assert "nhận ngày 23/12/2020, sau hạn 20/12/2020" in notes["Liên đoàn Lao động huyện Tân Uyên"]


def test_samples_real_shaped_lists_are_read_as_an_officer_reads_them(tmp_path):
    """The own Excel layout and the Word list of samples/inbox: exactly the people listed, no signer."""
    campaign = load_campaign()
    result = run_batch(ROOT / "samples" / "inbox", campaign, now=dt.datetime(2020, 12, 21, 8, 0, tzinfo=campaign.tz))
    by_unit = {u.unit.id: u for u in result.units}
    than_uyen, tan_uyen = by_unit["than-uyen"].file, by_unit["tan-uyen"].file
    assert (than_uyen.layout, tan_uyen.layout) == ("own", "word")
    assert [n.name for n in than_uyen.collectives] == ["Công đoàn cơ sở Trường PTDTBT THCS Pha Mu"]
    assert [(n.name, n.birth_year, n.text("gender")) for n in than_uyen.individuals] == [
        ("Lò Văn Pánh", 1979, "Nam"), ("Lường Thị Ngọc", 1986, "Nữ"), ("GIÀNG A PÁO", 1983, "Nam"),
        ("Vàng Thị Mỷ", 1990, "Nữ")]
    assert than_uyen.individuals[2].text("summary").endswith("được nhân dân đánh giá cao về thái độ phục vụ.")
    assert [(n.name, n.birth_year, n.text("gender")) for n in tan_uyen.individuals] == [
        ("Tẩn Láo San", 1981, "Nam"), ("Hoàng Thị Thu", 1988, "Nữ"), ("Lý Văn Chăn", 1976, "Nam"),
        ("Lò Thị Xuân", 1992, "Nữ")]
    names = {n.name for f in result.files for n in (*f.collectives, *f.individuals)}
    assert not names & {"Lò Thị Hương", "Hoàng Văn Sơn", "Sùng A Lử", "CHỦ TỊCH", "Người lập biểu"}
    assert (by_unit["than-uyen"].status, by_unit["tan-uyen"].status) == ("ok", "ok")
