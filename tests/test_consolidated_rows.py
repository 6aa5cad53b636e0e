"""The consolidated workbook's data rows kept whole (consolidated._Sheet.put_row) are written exactly as
xlsxwriter writes them cell by cell: every part of the .xlsx the same, byte for byte; rows with a cell
xlsxwriter must handle itself (a text it shortens, a number it refuses) go through xlsxwriter's calls."""
from __future__ import annotations

import datetime as dt
import decimal
import importlib.util
import shutil
import unicodedata
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import load_workbook

from thidua_batch.batch import run_batch
from thidua_batch.config.campaign import load_campaign
from thidua_batch.documents import consolidated
from thidua_batch.documents.consolidated import SHEET_FINDINGS, SHEET_UNITS, _Row, _Writer, write_book

ROOT = Path(__file__).resolve().parents[1]


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def kept_rows(ws) -> list[int]:
    return sorted(r for r, cells in ws.table.items() if isinstance(cells.get(0), _Row))


def test_the_samples_workbook_is_xlsxwriters_own_byte_for_byte(tmp_path):
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "samples" / "make_samples.py")
    samples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(samples)
    inbox = tmp_path / "inbox"
    shutil.copytree(ROOT / "samples" / "inbox", inbox)
    samples.touch(inbox)
    campaign = load_campaign()
    result = run_batch(inbox, campaign, now=dt.datetime(2020, 12, 21, 8, 0, tzinfo=campaign.tz))
    whole = write_book(result, tmp_path / "whole.xlsx")
    cells = write_book(result, tmp_path / "cells.xlsx", whole_rows=False)
    got, expected = parts(whole), parts(cells)
    assert sorted(got) == sorted(expected)
    assert [name for name in got if got[name] != expected[name]] == []
    # and it is a real workbook with the rows in it, read back by another library
    book = load_workbook(whole, read_only=True)
    assert book[SHEET_UNITS].max_row == len(result.units) + 2
    assert [ws.max_row for ws in book] == [ws.max_row for ws in load_workbook(cells, read_only=True)]


NFD = unicodedata.normalize("NFD", "Nguyễn Thị Hường")
ROWS = [
    ([1, "Lỗi", "Thiếu ô", "Đơn vị A", "a.xlsx", "Cá nhân", "C7", None, "Nội dung & cách sửa <ô> \"x\""], "error"),
    ([2, "  khoảng trắng đầu và cuối  ", "", None, 0.1, -0.0, 1e20, 10 ** 20, 2 ** 70], None),
    ([3, True, False, decimal.Decimal("1.50"), dt.date(2020, 12, 21), NFD, "\x01 điều khiển\tvà tab", "=A1",
      "- gạch đầu dòng"], "warning"),
    ([4, "x" * 20_000, "dòng quá dài: xlsxwriter tự cắt"], "held"),      # not kept: xlsxwriter shortens it
    ([5, "ngắn"], None),                                                  # fewer values than columns
    ([6, "a", "b", "c", "d", "e", "f", "g", "h", "thừa 1", "thừa 2"], "error"),   # more values than columns
    ([7, 3.0, -12, 1.5e-300, "Có"], "held"),
]


def write_rows(path: Path, whole_rows: bool):
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                           "strings_to_urls": False})
    book.set_properties({"created": dt.datetime(2020, 12, 21, 8, 0)})   # else "now": two writes may differ
    ws = _Writer(book, whole_rows).sheet(SHEET_FINDINGS, ROWS)
    kept = kept_rows(ws)
    book.close()
    return kept


def test_rows_kept_whole_and_rows_left_to_xlsxwriter_come_out_the_same(tmp_path):
    kept = write_rows(tmp_path / "whole.xlsx", whole_rows=True)
    assert kept == [1, 2, 3, 5, 6, 7]           # the row with a 20,000-character text went cell by cell
    assert write_rows(tmp_path / "cells.xlsx", whole_rows=False) == []
    got, expected = parts(tmp_path / "whole.xlsx"), parts(tmp_path / "cells.xlsx")
    assert [name for name in got if got[name] != expected[name]] == []
    ws = load_workbook(tmp_path / "whole.xlsx")[SHEET_FINDINGS]
    assert [c.value for c in ws[2]][:9] == [1, "Lỗi", "Thiếu ô", "Đơn vị A", "a.xlsx", "Cá nhân", "C7", None,
                                        "Nội dung & cách sửa <ô> \"x\""]
    assert [c.value for c in ws[4]][:9] == [3, "Có", "Không", "1.50", "2020-12-21",
                                            unicodedata.normalize("NFC", NFD), "_x0001_ điều khiển\tvà tab", "=A1",
                                            "- gạch đầu dòng"]   # (xlsxwriter escapes \x01; openpyxl leaves it so)
    assert ws["H4"].data_type == ws["I4"].data_type == "s"     # "=A1" and "- …" stay texts, never formulas
    assert ws["B3"].value == "  khoảng trắng đầu và cuối  " and ws["C3"].value is None and ws["H3"].value == 10 ** 20
    assert ws["B5"].value == "x" * 20_000
    assert [c.value for c in ws[7]][9:11] == ["thừa 1", "thừa 2"]
    assert ws["B2"].fill.fgColor.rgb.endswith("F8CBAD") and ws["I2"].alignment.wrap_text


def test_a_number_xlsxwriter_refuses_is_refused_in_both_ways(tmp_path):
    for whole_rows in (True, False):
        book = xlsxwriter.Workbook(str(tmp_path / f"{whole_rows}.xlsx"))
        with pytest.raises(TypeError):
            _Writer(book, whole_rows).sheet(SHEET_FINDINGS, [([1, "x", float("nan")], None)])
        book.close()


def test_a_text_is_measured_once_per_column_width(tmp_path):
    book = xlsxwriter.Workbook(str(tmp_path / "m.xlsx"))
    writer = _Writer(book)
    long = "Hoàn thành xuất sắc nhiệm vụ năm 2020, dẫn đầu phong trào thi đua của khối " * 3
    ws = writer.sheet(SHEET_FINDINGS, [([i, "Lỗi", "Loại", "Đơn vị", "a.xlsx", "", "", "", long], None)
                                       for i in range(1, 4)])
    lines = consolidated._lines(long, 70)
    assert writer.measured[(long, 70)] == lines > 1
    assert len([key for key in writer.measured if key[0] == long]) == 1
    book.close()
    read = load_workbook(tmp_path / "m.xlsx")[SHEET_FINDINGS]
    assert [read.row_dimensions[r].height for r in (2, 3, 4)] == [consolidated.row_height(lines)] * 3
