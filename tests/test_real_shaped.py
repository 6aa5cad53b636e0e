"""The samples' real-shaped lists in the other formats offices send: .xls and .doc (LibreOffice saves
them, as a district office's Excel 2003 or Word 2003 would), and attribution by file name alone."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import openpyxl
from helpers import soffice_convert

from thidua_batch.batch import run_batch
from thidua_batch.config.campaign import load_campaign

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "samples"))
from real_shaped import own_layout_workbook, word_list  # noqa: E402

CAMPAIGN = load_campaign()
VN = dt.timezone(dt.timedelta(hours=7))
THAN_UYEN = [("Lò Văn Pánh", 1979, "Nam"), ("Lường Thị Ngọc", 1986, "Nữ"), ("GIÀNG A PÁO", 1983, "Nam"),
             ("Vàng Thị Mỷ", 1990, "Nữ")]


def _people(file) -> list[tuple[str, int | None, str]]:
    return [(n.name, n.birth_year, n.text("gender")) for n in file.individuals]


def test_xls_and_doc_read_like_the_originals(tmp_path):
    work, inbox = tmp_path / "work", tmp_path / "inbox"
    xlsx = own_layout_workbook(work / "than uyen.xlsx")
    docx = word_list(work / "tan uyen.docx")
    soffice_convert(xlsx, "xls", inbox)
    soffice_convert(docx, "doc", inbox)
    result = run_batch(inbox, CAMPAIGN, now=dt.datetime(2020, 12, 21, tzinfo=VN))
    files = {f.path: f for f in result.files}
    xls, doc = files["than uyen.xls"], files["tan uyen.doc"]
    assert (xls.status, xls.unit, xls.layout) == ("accepted", "than-uyen", "own")
    assert (doc.status, doc.unit, doc.layout) == ("accepted", "tan-uyen", "word")
    assert _people(xls) == THAN_UYEN
    assert xls.individuals[2].text("summary").endswith("được nhân dân đánh giá cao về thái độ phục vụ.")
    assert [n.name for n in doc.individuals] == ["Tẩn Láo San", "Hoàng Thị Thu", "Lý Văn Chăn", "Lò Thị Xuân"]
    assert [n.name for n in doc.collectives] == ["Công đoàn cơ sở Trường Tiểu học Trung Đồng"]


def test_a_list_that_names_no_unit_is_attributed_by_its_file_name(tmp_path):
    path = own_layout_workbook(tmp_path / "x.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.unmerge_cells("A2:D2")
    ws["A2"] = None   # the title block no longer names the unit
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    wb.save(inbox / "CĐ ngành GD - danh sách đề nghị.xlsx")
    wb.save(inbox / "danh sach.xlsx")
    result = run_batch(inbox, CAMPAIGN, now=dt.datetime(2020, 12, 21, tzinfo=VN))
    files = {f.path: f for f in result.files}
    assert files["CĐ ngành GD - danh sách đề nghị.xlsx"].unit == "cdn-giao-duc"
    nameless = files["danh sach.xlsx"]
    assert (nameless.status, nameless.unit, nameless.reason) == ("rejected", None, "unit-unknown")
    assert any(f.code == "unit-unknown" and f.file == "danh sach.xlsx" for f in result.findings)


def test_own_layout_on_two_sheets_with_one_row_headers(tmp_path):
    """Collectives and individuals on sheets of their own ("TT" / "CN"), usual synonyms in one-row headers."""
    wb = openpyxl.Workbook()
    tt = wb.active
    tt.title = "TT"
    tt.append(["LIÊN ĐOÀN LAO ĐỘNG HUYỆN NẬM NHÙN"])
    tt.append(["DANH SÁCH TẬP THỂ ĐỀ NGHỊ TẶNG BẰNG KHEN"])
    tt.append(["STT", "Tên tập thể", "Thành tích", "Số phiếu đồng ý"])
    tt.append([1, "Công đoàn cơ sở Trường THCS Nậm Hàng", "Dẫn đầu khối trường học về văn hóa công sở.", 95])
    tt.append(["Cộng: 01 tập thể"])
    cn = wb.create_sheet("CN")
    cn.append(["STT", "Họ tên", "Năm sinh", "Giới tính", "Chức danh", "Nơi công tác", "Thành tích đạt được"])
    cn.append([1, "Lò Thị Mai", "1985", "nữ", "Giáo viên", "Trường THCS Nậm Hàng", "Giáo viên dạy giỏi cấp huyện."])
    cn.append([2, "Pờ Xá Dế", 1979, "Nam", "Chủ tịch CĐCS", "UBND xã Nậm Ban", "Hoàn thành xuất sắc nhiệm vụ."])
    cn.append([])
    cn.append([None, None, None, None, "Nậm Nhùn, ngày 12 tháng 12 năm 2020"])
    cn.append([None, "Người lập biểu", None, None, "TM. BAN THƯỜNG VỤ"])
    cn.append([None, "Lường Văn Thắng", None, None, "Lò Văn Pọm"])
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    wb.save(inbox / "ds.xlsx")
    result = run_batch(inbox, CAMPAIGN, now=dt.datetime(2020, 12, 21, tzinfo=VN))
    file = result.files[0]
    assert (file.status, file.unit, file.layout) == ("accepted", "nam-nhun", "own")
    assert [n.name for n in file.collectives] == ["Công đoàn cơ sở Trường THCS Nậm Hàng"]
    assert [(n.name, n.birth_year, n.text("gender"), n.text("position"), n.text("workplace"))
            for n in file.individuals] == [("Lò Thị Mai", 1985, "Nữ", "Giáo viên", "Trường THCS Nậm Hàng"),
                                           ("Pờ Xá Dế", 1979, "Nam", "Chủ tịch CĐCS", "UBND xã Nậm Ban")]
    assert {u.unit.id: u.status for u in result.units}["nam-nhun"] == "under-quota"
