"""Limits decided before reading (reliability.md, "No file can stop the batch"): a sheet's extent
from the file's own structure against [limits] max_cells, so that a 5 KB workbook with one cell
at XFD1048576 is refused at once instead of making calamine allocate 549 GB and abort the process
(these tests read in-process: had the file reached calamine, pytest itself would have died)."""
from __future__ import annotations

import dataclasses
import io
import struct
import time
import zipfile
from pathlib import Path

from filler import filled
from helpers import check, flat
from hostile import _biff_record, make_cfb

from thidua_batch.config.campaign import default_campaign_text, parse_campaign
from thidua_batch.intake.safety import Limits, inspect_workbook, inspect_workbook_bytes

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
       'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
       '+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
         'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
             '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
             '<sheet name="Cá nhân" sheetId="1" r:id="rId1"/></sheets></workbook>')
_BOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
              '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
              '2006/relationships/worksheet" Target="{target}"/></Relationships>')


def far_cell_xlsx(sheet_data: str, target: str = "worksheets/sheet1.xml") -> bytes:
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><dimension ref="A1"/><sheetData>{sheet_data}</sheetData></worksheet>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WORKBOOK)
        zf.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS.format(target=target))
        zf.writestr("xl/" + target, sheet)
    return out.getvalue()


CORNERS = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'


def test_a_small_workbook_with_a_cell_at_xfd1048576_is_refused_before_calamine(campaign, tmp_path):
    data = far_cell_xlsx(CORNERS)
    assert len(data) < 4_900
    path = tmp_path / "xa.xlsx"
    path.write_bytes(data)
    started = time.perf_counter()
    result = check(path, campaign)
    assert time.perf_counter() - started < 1.0
    assert result.status == "rejected" and result.reason == "file-unreadable"
    message = result.findings[0].message
    assert "Trang “Cá nhân”" in message and "XFD1048576" in message and "1.000.000 ô" in message
    assert "Ctrl+End" in message


def test_the_far_cell_counts_wherever_the_workbook_keeps_the_sheet():
    # the workbook may point at any member; and a reference without a row element says the same
    assert inspect_workbook_bytes(far_cell_xlsx(CORNERS, target="data/x.xml"), ".xlsx").reason == "too-many-cells"
    lying_row = '<row r="1"><c r="A1"><v>1</v></c><c r="ZZ200000"><v>2</v></c></row>'
    rejection = inspect_workbook_bytes(far_cell_xlsx(lying_row), ".xlsx")
    assert rejection.reason == "too-many-cells" and "ZZ200000" in rejection.message


def test_cells_without_references_are_placed_as_calamine_places_them():
    import random

    draw = random.Random(7)
    rows = ["<row>" + "".join(f"<c><v>{draw.randrange(10**6)}</v></c>" for _ in range(1200)) + "</row>"
            for _ in range(700)]
    limits = Limits(max_cells=800_000)   # room for any sheet nearer than ZZ999: the quick path is tried first
    rejection = inspect_workbook_bytes(far_cell_xlsx("".join(rows)), ".xlsx", limits)   # 700 × 1,200 = 840,000
    assert rejection.reason == "too-many-cells" and "ATD700" in rejection.message
    assert inspect_workbook_bytes(far_cell_xlsx("".join(rows[:600])), ".xlsx", limits) is None


def test_an_empty_styled_cell_far_away_is_no_reason_to_refuse():
    """Formatting dragged to the sheet's end writes empty <c …/> cells: calamine builds nothing for them."""
    data = far_cell_xlsx('<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" s="1"/></row>')
    inspection = inspect_workbook(data, ".xlsx")
    assert inspection.rejection is None and inspection.sheets["Cá nhân"].cells < 1_000_000


def test_a_limit_set_in_the_campaign_applies(tmp_path):
    campaign = parse_campaign(default_campaign_text().replace("[[units]]", "[limits]\nmax_cells = 50\n\n[[units]]", 1), "test")
    assert campaign.limits.max_cells == 50
    path = filled(tmp_path, campaign).save(tmp_path / "tam duong.xlsx")
    result = check(path, campaign)
    assert result.status == "rejected" and "giới hạn 50 ô" in result.findings[0].message
    roomy = dataclasses.replace(campaign, limits=dataclasses.replace(campaign.limits, max_cells=10**9))
    assert check(path, roomy).status == "accepted"


def _xls(sheet_records: bytes) -> bytes:
    bof = _biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x2775, 0x07CD, 0, 0x06))
    name = "Cá nhân".encode("utf-16-le")
    globals_without_sheet = bof + _biff_record(0x0042, struct.pack("<H", 1200))
    boundsheet_len = 4 + 8 + len(name)
    offset = len(globals_without_sheet) + boundsheet_len + 4   # + EOF
    boundsheet = _biff_record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len("Cá nhân"), 1) + name)
    sheet_bof = _biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x2775, 0x07CD, 0, 0x06))
    stream = globals_without_sheet + boundsheet + _biff_record(0x000A) + sheet_bof + sheet_records + _biff_record(0x000A)
    return make_cfb({"Workbook": stream})


def test_an_xls_sheet_is_measured_by_its_dimensions_record_and_its_cells():
    number = lambda row, col: _biff_record(0x0203, struct.pack("<HHHd", row, col, 15, 1.0))  # noqa: E731
    huge = _biff_record(0x0200, struct.pack("<IIHHH", 0, 65536, 0, 256, 0))
    rejection = inspect_workbook_bytes(_xls(huge + number(0, 0)), ".xls")
    assert rejection.reason == "too-many-cells" and "Trang “Cá nhân”" in rejection.message
    assert "IV65536" in rejection.message
    small = _biff_record(0x0200, struct.pack("<IIHHH", 0, 1, 0, 1, 0))
    assert inspect_workbook_bytes(_xls(small + number(0, 0)), ".xls") is None
    assert inspect_workbook_bytes(_xls(small + number(0, 0) + number(65535, 255)), ".xls").reason == "too-many-cells"


def _ods(rows: str) -> bytes:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:'
               'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="Cá nhân">{rows}</table:table></office:spreadsheet>'
               '</office:body></office:document-content>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


VALUE = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'


def test_an_ods_table_counts_repeated_cells_as_calamine_expands_them():
    wide = VALUE.replace("-cell ", '-cell table:number-columns-repeated="1000" ', 1)
    repeated = f'<table:table-row table:number-rows-repeated="100000">{wide}</table:table-row>'
    rejection = inspect_workbook_bytes(_ods(repeated), ".ods")
    assert rejection.reason == "too-many-cells" and "ALL100000" in rejection.message
    # LibreOffice ends every sheet with repeated empty cells and rows: nothing to build
    trailing = (f'<table:table-row>{VALUE}<table:table-cell table:number-columns-repeated="16383"/></table:table-row>'
                '<table:table-row table:number-rows-repeated="1048575"><table:table-cell '
                'table:number-columns-repeated="16384"/></table:table-row>')
    assert inspect_workbook_bytes(_ods(trailing), ".ods") is None


def test_the_reader_takes_the_safety_pass_facts_without_opening_the_sheet_again(campaign, tmp_path, monkeypatch):
    """Formulas without a value and hidden rows still reach the reader, though nothing after the
    safety pass opens the zip (zipfile.ZipFile is not called while reading)."""
    filler = filled(tmp_path, campaign)
    sheet = "Cá nhân"
    row = filler.header_row(sheet) + 1
    filler.ws(sheet).row_dimensions[row + 1].hidden = True
    filler.wb[sheet][f"{filler.column_of(sheet, 'Năm sinh')}{row}"] = "=1950+30"   # no cached value
    path = filler.save(tmp_path / "tam duong.xlsx")
    import thidua_batch.intake.reader as reader

    assert not hasattr(reader, "zipfile")
    result = check(path, campaign)
    codes = {code for code, _sheet, _cell in flat(result)}
    assert {"formula-no-value", "row-hidden"} <= codes, codes
