"""The slim copy the safety pass hands the reader (intake/safety/sheets.py, workbooks.py): every
member as inflated once, stored; each sheet without its empty cells. What calamine reads from
it must be exactly what it reads from the file itself: every cell, every merged area, every
sheet's name and visibility. Checked on workbooks made by Excel and LibreOffice for calamine's own
bug reports (tests/data/calamine), on the shipped samples, and on hand-made edge cases where the
copy must not be used."""
from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import pytest
import python_calamine
from hostile import SHEET, base_xlsx, rezip

from thidua_batch.intake.safety import inspect_workbook

ROOT = Path(__file__).resolve().parent.parent
REAL = sorted((ROOT / "tests" / "data" / "calamine").glob("*.xls[xm]"))
SAMPLES = sorted(p for p in (ROOT / "samples" / "inbox").rglob("*.xlsx") if not p.name.startswith("~$"))


def calamine_view(data: bytes) -> tuple:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = {}
    for name in book.sheet_names:
        try:
            sheet = book.get_sheet_by_name(name)
            sheets[name] = (sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges)
        except Exception as exc:  # noqa: BLE001 - the same failure must happen on both
            sheets[name] = ("error", type(exc).__name__)
    return sheets, [(m.name, m.visible) for m in book.sheets_metadata]


def test_the_real_workbooks_are_all_here():
    assert len(REAL) >= 60 and len(SAMPLES) >= 8


@pytest.mark.parametrize("path", REAL + SAMPLES, ids=lambda p: p.name)
def test_calamine_reads_the_same_cells_from_the_slim_copy(path):
    data = path.read_bytes()
    inspection = inspect_workbook(data, path.suffix, slim=True)
    if inspection.rejection is not None:   # a zip bomb by our bounds, a password: never read at all
        assert path.name in ("issue252.xlsx", "pass_protected.xlsx"), inspection.rejection
        return
    assert inspection.slim is not None
    assert calamine_view(inspection.slim) == calamine_view(data)


def _inflated_sheets(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return sum(i.file_size for i in zf.infolist() if i.filename.startswith("xl/worksheets/"))


def test_a_filled_template_loses_its_empty_cells_in_the_copy():
    template = next(p for p in SAMPLES if p.name.startswith("LDLD Tam Duong"))
    data = template.read_bytes()
    slim = inspect_workbook(data, ".xlsx", slim=True).slim
    assert _inflated_sheets(slim) < _inflated_sheets(data) / 2   # the pre-formatted rows are gone
    with zipfile.ZipFile(io.BytesIO(slim)) as zf:
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_STORED}
        assert zf.testzip() is None


def test_without_being_asked_the_pass_makes_no_copy():
    assert inspect_workbook(base_xlsx(), ".xlsx").slim is None


def _sheet(rows: bytes) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData>' + rows + b"</sheetData></worksheet>")


def _read(data: bytes) -> list[list[object]]:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)


def test_a_cell_without_its_reference_keeps_the_cells_before_it():
    """calamine places a cell without `r` after the one before it: only whole rows after the
    last value are left out, never a cell of a row that is kept."""
    rows = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="B1" s="1"/><c r="C1" s="1"/>'
            b'<c t="inlineStr"><is><t>moved?</t></is></c></row><row r="2"><c r="A2" s="1"/></row>')
    data = rezip(base_xlsx(), replace={SHEET: _sheet(rows)})
    slim = inspect_workbook(data, ".xlsx", slim=True).slim
    assert _read(slim) == _read(data) == [["x", "", "", "moved?"]]
    kept = zipfile.ZipFile(io.BytesIO(slim)).read(SHEET)
    assert b'<c r="B1" s="1"/>' in kept and b'<row r="2">' not in kept


def test_the_rows_after_the_last_value_are_left_out_but_what_they_hold_is_still_reported():
    """A formula without its value, an error without one and a hidden row, all below the last
    value: calamine builds nothing from them, the reader still hears of each (sheet facts)."""
    rows = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="B1" s="2"><v>7</v></c></row>'
            b'<row r="2"><c r="A2" s="1"/><c r="B2" s="1" t="n"></c></row>'
            b'<row r="3" hidden="1"><c r="A3" s="1"/></row>'
            b'<row r="4"><c r="C4"><f>SUM(B1:B3)</f></c><c r="D4" t="e"/></row>'
            b'<row r="5"><c r="A5" s="1"/></row>')
    data = rezip(base_xlsx(), replace={SHEET: _sheet(rows)})
    inspection = inspect_workbook(data, ".xlsx", slim=True)
    facts = inspection.sheets["Cá nhân"]
    assert facts.formulas == {"C4": None, "D4": "#N/A"} and facts.hidden_rows == {2}
    kept = zipfile.ZipFile(io.BytesIO(inspection.slim)).read(SHEET)
    assert b'<row r="2"' not in kept and kept.endswith(b"</row></sheetData></worksheet>")
    assert _read(inspection.slim) == _read(data) == [["name", 7.0]]


def test_a_value_in_any_form_keeps_its_row():
    for cell in (b'<c r="C9" t="str"><v/></c>', b'<c r="C9" t="inlineStr"><is/></c>',
                 b'<x:c r="C9" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:v>5</x:v></x:c>'):
        rows = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="2"><c r="A2" s="1"/></row>'
                b'<row r="9">' + cell + b'</row><row r="10"><c r="A10" s="1"/></row>')
        data = rezip(base_xlsx(), replace={SHEET: _sheet(rows)})
        kept = zipfile.ZipFile(io.BytesIO(inspect_workbook(data, ".xlsx", slim=True).slim)).read(SHEET)
        assert cell in kept and b'<row r="2">' in kept and b'<row r="10">' not in kept


def test_a_sheet_scanned_in_parts_is_kept_whole():
    """Over 1 MiB a sheet is scanned in parts: where its last value is, is known only at the end,
    so nothing is left out of it (it is still stored, inflated once)."""
    filler = b"".join(b'<row r="%d"><c r="A%d" s="1"/><c r="B%d" s="1"/></row>' % (r, r, r) for r in range(2, 40_000))
    tail = b'<row r="40000"><c r="A40000" s="1"/><c t="inlineStr"><is><t>end</t></is></c></row>'
    sheet = _sheet(b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>' + filler + tail)
    assert len(sheet) > 2 * 1024 * 1024
    data = rezip(base_xlsx(), replace={SHEET: sheet})
    inspection = inspect_workbook(data, ".xlsx", slim=True)
    assert inspection.rejection is None
    assert zipfile.ZipFile(io.BytesIO(inspection.slim)).read(SHEET) == sheet
    assert _read(inspection.slim)[-1] == _read(data)[-1] == ["", "end"]


def test_a_utf16_sheet_is_read_from_the_file():
    sheet = _sheet(b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="B1" s="1"/></row>')
    sheet = sheet.replace(b'encoding="UTF-8"', b'encoding="UTF-16"').decode().encode("utf-16")
    data = rezip(base_xlsx(), replace={SHEET: sheet})
    inspection = inspect_workbook(data, ".xlsx", slim=True)
    assert inspection.rejection is None and inspection.slim is None


def test_an_ods_or_xls_gets_no_copy():
    from hostile import ods_bytes
    assert inspect_workbook(ods_bytes(), ".ods", slim=True).slim is None
