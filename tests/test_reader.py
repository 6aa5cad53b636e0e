"""The reading rules of workbook.md, each on the real template filled the way a unit would."""
from __future__ import annotations

import datetime as dt
import unicodedata
import zipfile

import openpyxl
import pytest
from filler import filled, make_filled, nfd, sample_individual
from helpers import check, flat, soffice_convert

from thidua_batch.config import schema
from thidua_batch.config.campaign import load_campaign
from thidua_batch.model.results import ACCEPTED, REJECTED

CAMPAIGN = load_campaign()
CN, TT, DV = schema.SHEET_INDIVIDUALS, schema.SHEET_COLLECTIVES, schema.SHEET_UNIT


def test_valid_workbook_reads_clean(tmp_path):
    path, _ = make_filled(tmp_path, CAMPAIGN, "tam-duong")
    result = check(path, CAMPAIGN)
    assert result.status == ACCEPTED and result.unit == "tam-duong"
    assert flat(result) == []
    assert len(result.collectives) == 1 and len(result.individuals) == 4
    first = result.individuals[0]
    assert (first.sheet, first.row, first.ref("name")) == (CN, 4, "B4")
    assert isinstance(first.birth_year, int) and first.cells["gender"].value in ("Nam", "Nữ")
    assert result.fields["meeting_date"].value == dt.date(2020, 12, 9)
    assert result.identity["template_id"] == schema.TEMPLATE_ID
    assert result.identity["campaign_id"] == "vhcs-2020"


def test_nfd_text_is_read_as_nfc(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, "sin-ho", individuals=0)
    person = {k: nfd(v) if isinstance(v, str) else v for k, v in sample_individual(3).items()}
    filler.add_row(CN, person)
    filler.add_row(CN, {**sample_individual(4), "Giới tính": nfd("Nữ")})
    filler.set_field("Đơn vị đề nghị", nfd("  LĐLĐ   huyện Sìn Hồ "))
    result = check(filler.save(tmp_path / "nfd.xlsx"), CAMPAIGN)
    assert result.unit == "sin-ho"
    assert flat(result, skip=("quota-under",)) == []
    for nomination in result.individuals:
        for cell in nomination.cells.values():
            if isinstance(cell.value, str):
                assert unicodedata.is_normalized("NFC", cell.value)
    assert result.individuals[0].name == unicodedata.normalize("NFC", sample_individual(3)["Họ và tên"])
    assert result.individuals[1].cells["gender"].value == "Nữ"
    assert result.unit_typed == "LĐLĐ huyện Sìn Hồ"


@pytest.mark.parametrize("typed", ["15/12/2020", "15-12-2020", "2020-12-15", "15/12/2020 ", 44180,
                                   dt.datetime(2020, 12, 15, 0, 0)])
def test_dates_in_every_form(tmp_path, typed):
    filler = filled(tmp_path, CAMPAIGN)
    at = filler.set_field("Ngày họp xét", typed)
    result = check(filler.save(tmp_path / "d.xlsx"), CAMPAIGN)
    assert result.fields["meeting_date"].value == dt.date(2020, 12, 15)
    assert result.fields["meeting_date"].ref == at
    assert flat(result) == []


@pytest.mark.parametrize("typed", ["31/02/2020", "15/12/20", "tháng 12", 2020])
def test_bad_dates_name_the_cell(tmp_path, typed):
    filler = filled(tmp_path, CAMPAIGN)
    at = filler.set_field("Ngày họp xét", typed)
    result = check(filler.save(tmp_path / "d.xlsx"), CAMPAIGN)
    assert flat(result) == [("invalid-value", DV, at)]
    # the template formats the cell as a date, so Excel (and openpyxl) turn 2020 into 12/07/1905
    assert result.findings[0].value == ("12/07/1905" if typed == 2020 else typed)


def test_years_percentages_and_gender_in_text_forms(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, individuals=0)
    forms = [("1980", "85%", "nam"), (1981.0, 0.9, "NỮ"), ("1982", "85,5 %", "Nu"), (1983, 100, "Nam")]
    for i, (year, vote, gender) in enumerate(forms, 1):
        filler.add_row(CN, {**sample_individual(i), "Năm sinh": year, "Tỷ lệ phiếu đồng ý (%)": vote,
                            "Giới tính": gender})
    result = check(filler.save(tmp_path / "t.xlsx"), CAMPAIGN)
    # Gender typed in another case or without diacritics is read, and said (workbook.md).
    gender_col = result.individuals[0].cells["gender"].ref[0]
    assert flat(result) == [("value-interpreted", CN, f"{gender_col}{n.row}") for n in result.individuals[:3]]
    assert [n.birth_year for n in result.individuals] == [1980, 1981, 1982, 1983]
    assert [n.vote for n in result.individuals] == [85.0, 90.0, 85.5, 100.0]
    assert [n.cells["gender"].value for n in result.individuals] == ["Nam", "Nữ", "Nữ", "Nam"]


def test_inserted_and_moved_columns_and_blank_rows(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, individuals=0)
    filler.insert_columns(CN, "Giới tính", header="Số điện thoại")
    filler.insert_rows_above_header(CN, 2)
    filler.move_column(CN, "Năm sinh")
    header = filler.header_row(CN)
    filler.add_row(CN, sample_individual(1), at_row=header + 1)
    filler.add_row(CN, sample_individual(2), at_row=header + 3)   # a blank row between
    filler.add_row(CN, sample_individual(3), at_row=header + 6)   # rows with only STT before it
    filler.set_cell(CN, f"A{header + 4}", 3)
    filler.set_cell(CN, f"A{header + 5}", 4)
    filler.rename_sheet(CN, "CA NHAN")
    result = check(filler.save(tmp_path / "moved.xlsx"), CAMPAIGN)
    assert flat(result, skip=("quota-under",)) == []
    assert [n.row for n in result.individuals] == [header + 1, header + 3, header + 6]
    assert [n.name for n in result.individuals] == [sample_individual(i)["Họ và tên"] for i in (1, 2, 3)]
    assert [n.birth_year for n in result.individuals] == [sample_individual(i)["Năm sinh"] for i in (1, 2, 3)]
    year_col = result.individuals[0].ref("birth_year").rstrip("0123456789")
    assert year_col == "L"   # moved after the last column (ten columns plus the inserted one)
    assert result.individuals[0].sheet == "CA NHAN"


@pytest.mark.parametrize("name", ["CÁ NHÂN", "Ca nhan", " cá   nhân ", nfd("Cá nhân")])
def test_sheet_names_matched_loosely(tmp_path, name):
    filler = filled(tmp_path, CAMPAIGN)
    filler.rename_sheet(CN, "tạm")   # openpyxl refuses a case variant of the current title
    filler.rename_sheet("tạm", name)
    result = check(filler.save(tmp_path / "s.xlsx"), CAMPAIGN)
    assert flat(result) == [] and len(result.individuals) == 4


def test_header_with_notes_and_stars(tmp_path):
    filler = filled(tmp_path, CAMPAIGN)
    header = filler.header_row(CN)
    col = filler.column_of(CN, "Giới tính")
    filler.set_cell(CN, f"{col}{header}", "GIỚI TÍNH (Nam/Nữ) *")
    result = check(filler.save(tmp_path / "h.xlsx"), CAMPAIGN)
    assert flat(result) == []


def test_row_with_some_required_cells_is_a_nomination_with_errors(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, individuals=3)
    row = filler.add_row(CN, {"Họ và tên": "Lò Văn Thắng", "Năm sinh": 1980})
    result = check(filler.save(tmp_path / "p.xlsx"), CAMPAIGN)
    assert len(result.individuals) == 4
    assert flat(result) == [("required-missing", CN, f"C{row}"), ("required-missing", CN, f"F{row}"),
                            ("required-missing", CN, f"G{row}"), ("required-missing", CN, f"H{row}")]
    assert result.individuals[-1].has_error and not result.individuals[0].has_error


def test_text_starting_like_a_formula_is_data(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, individuals=0)
    summaries = ["- Hoàn thành xuất sắc nhiệm vụ", "=Tốt", "+ Gương mẫu", "@ cơ quan"]
    for i, summary in enumerate(summaries, 1):
        filler.add_row(CN, {**sample_individual(i), "Tóm tắt thành tích": summary})
    result = check(filler.save(tmp_path / "f.xlsx"), CAMPAIGN)
    assert flat(result) == []
    assert [n.text("summary") for n in result.individuals] == summaries


def test_formula_without_cached_value_and_error_cells(tmp_path):
    filler = filled(tmp_path, CAMPAIGN)
    header = filler.header_row(CN)
    filler.wb[CN][f"D{header + 1}"] = "=1950+30"          # openpyxl stores no cached value
    filler.wb[CN][f"I{header + 2}"] = "=#N/A"
    path = filler.save(tmp_path / "formula.xlsx")
    # An error value cached as Excel writes it: <c t="e"><f>…</f><v>#NAME?</v></c>
    _rewrite_cell(path, CN, f"I{header + 2}", b'<c r="I%d" t="e"><f>-abc</f><v>#NAME?</v></c>' % (header + 2))
    result = check(path, CAMPAIGN)
    assert flat(result) == [("invalid-value", CN, f"I{header + 2}"), ("formula-no-value", CN, f"D{header + 1}")]
    assert result.findings[0].value == "#NAME?"


def _rewrite_cell(path, sheet_title, ref, new_xml: bytes) -> None:
    import re
    wb = openpyxl.load_workbook(path)
    index = wb.sheetnames.index(sheet_title) + 1
    part = f"xl/worksheets/sheet{index}.xml"
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts[part] = re.sub(rb'<c r="%s"[^>]*?(?:/>|>.*?</c>)' % ref.encode(), new_xml, parts[part], count=1,
                         flags=re.S)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def test_cached_formula_values_are_used(tmp_path):
    """A workbook LibreOffice recalculated and saved: formulas carry cached values."""
    filler = filled(tmp_path, CAMPAIGN)
    header = filler.header_row(CN)
    filler.wb[CN][f"D{header + 1}"] = "=1950+30"
    src = filler.save(tmp_path / "src" / "formula.xlsx")
    saved = soffice_convert(src, "xlsx", tmp_path / "lo")
    result = check(saved, CAMPAIGN)
    assert flat(result) == []
    assert result.individuals[0].birth_year == 1980


@pytest.mark.parametrize("fmt", ["xls", "ods", "xlsm:Calc MS Excel 2007 VBA XML"])
def test_other_formats_saved_by_libreoffice(tmp_path, fmt):
    filler = filled(tmp_path, CAMPAIGN, individuals=5)
    filler.set_field("Ngày họp xét", "15/12/2020")
    src = filler.save(tmp_path / "src" / "unit.xlsx")
    saved = soffice_convert(src, fmt, tmp_path / "lo")
    result = check(saved, CAMPAIGN)
    assert result.status == ACCEPTED and result.unit == "tam-duong"
    assert flat(result) == [("quota-exceeded", CN, "B8")]
    assert result.fields["meeting_date"].value == dt.date(2020, 12, 15)
    assert result.identity["template_id"] == schema.TEMPLATE_ID
    original = check(src, CAMPAIGN)
    assert [n.name for n in result.individuals] == [n.name for n in original.individuals]
    assert [n.birth_year for n in result.individuals] == [n.birth_year for n in original.individuals]


@pytest.mark.parametrize("content", [b"", b"   \n", b"this is not a workbook", b"PK\x03\x04broken zip",
                                     b"%PDF-1.4\n%fake"])
def test_unopenable_files_are_rejected_with_a_reason(tmp_path, content):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    result = check(path, CAMPAIGN)
    assert result.status == REJECTED and result.reason == "file-unreadable"
    assert flat(result) == [("file-unreadable", None, None)]
    assert result.findings[0].message   # Vietnamese reason for the user


def test_truncated_workbook_is_rejected(tmp_path):
    path, _ = make_filled(tmp_path, CAMPAIGN)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    result = check(path, CAMPAIGN)
    assert result.status == REJECTED and flat(result) == [("file-unreadable", None, None)]


def test_missing_sheets_and_columns(tmp_path):
    filler = filled(tmp_path, CAMPAIGN)
    filler.remove_sheet(TT)
    header = filler.header_row(CN)
    filler.set_cell(CN, f"{filler.column_of(CN, 'Chức vụ')}{header}", "Nghề nghiệp")  # "Chức danh" is a synonym
    result = check(filler.save(tmp_path / "m.xlsx"), CAMPAIGN)
    assert flat(result) == [("sheet-missing", TT, None), ("column-missing", CN, None)]
    assert result.status == ACCEPTED   # its unit is known; the rows are held out
    assert all(n.has_error for n in result.individuals)
    assert "dòng tiêu đề 3" in result.findings[1].message


def test_missing_unit_sheet_rejects_the_file(tmp_path):
    filler = filled(tmp_path, CAMPAIGN)
    filler.remove_sheet(DV)
    result = check(filler.save(tmp_path / "m.xlsx"), CAMPAIGN)
    assert result.status == REJECTED and result.reason == "sheet-missing"
    assert flat(result) == [("sheet-missing", DV, None)]


def test_legacy_encodings_are_converted_and_reported(tmp_path):
    from thidua_batch.intake.legacy import unicode_to_tcvn3, unicode_to_vni
    filler = filled(tmp_path, CAMPAIGN, "than-uyen", individuals=2)
    unit_at = filler.set_field("Đơn vị đề nghị", unicode_to_tcvn3("Liên đoàn Lao động huyện Than Uyên"))
    row_t = filler.add_row(CN, {**sample_individual(30), "Họ và tên": unicode_to_tcvn3("Nguyễn Văn An"),
                                "Chức vụ": unicode_to_tcvn3("Phó trưởng phòng")})
    row_v = filler.add_row(CN, {**sample_individual(31), "Họ và tên": unicode_to_vni("Lò Thị Hương")})
    result = check(filler.save(tmp_path / "tcvn3.xlsx"), CAMPAIGN)
    assert result.unit == "than-uyen"
    assert flat(result) == [("legacy-encoding", DV, unit_at), ("legacy-encoding", CN, f"B{row_t}"),
                            ("legacy-encoding", CN, f"F{row_t}"), ("legacy-encoding", CN, f"B{row_v}")]
    person = next(n for n in result.individuals if n.row == row_t)
    assert (person.name, person.text("position")) == ("Nguyễn Văn An", "Phó trưởng phòng")
    assert next(n for n in result.individuals if n.row == row_v).name == "Lò Thị Hương"
    finding = next(f for f in result.findings if f.cell == f"B{row_t}")
    assert finding.severity.value == "warning"
    assert finding.value == unicode_to_tcvn3("Nguyễn Văn An")
    assert "TCVN3" in finding.message and "Nguyễn Văn An" in finding.message and finding.value in finding.message
    # real Unicode around it is never touched
    assert all(n.name == unicodedata.normalize("NFC", n.name) for n in result.individuals)
    assert not any(f.code == "legacy-encoding" for f in result.findings if f.cell in ("B4", "B5"))
