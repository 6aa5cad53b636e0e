"""The template writer: the workbook of spec/workbook.md, and the committed input_templates/."""
from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from filler import Filler, make_filled, new_filler, nfd
from thidua_batch.config import schema
from thidua_batch.config.campaign import load_campaign
from thidua_batch.config.unit_template import (TemplateUnitError, build_workbook, template_filename, write_template,
                                   write_templates)
from thidua_batch.common.text import label_key
from thidua_batch.intake.word_lists import find_soffice

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "input_templates"
REGENERATE = "python -m thidua_batch.config.unit_template input_templates"


@pytest.fixture(scope="module")
def campaign():
    return load_campaign()


@pytest.fixture(scope="module")
def blank(campaign, tmp_path_factory) -> Path:
    return write_template(campaign, tmp_path_factory.mktemp("blank") / "blank.xlsx")


@pytest.fixture(scope="module")
def yte(campaign, tmp_path_factory) -> Path:
    unit = campaign.roster.get("cdn-y-te")
    return write_template(campaign, tmp_path_factory.mktemp("yte") / template_filename(unit), unit)


def header_row(ws, fields) -> int:
    wanted = {label_key(f.label) for f in fields}
    for row in ws.iter_rows(max_row=30):
        if len({label_key(str(c.value)) for c in row if c.value is not None} & wanted) >= 2:
            return row[0].row
    raise AssertionError(f"no header on {ws.title}")


def headers(ws, fields) -> dict[str, str]:
    """label key -> text as written in the header row."""
    h = header_row(ws, fields)
    return {label_key(str(c.value)): str(c.value) for c in ws[h] if c.value is not None}


# --- structure ---------------------------------------------------------------------------

def test_sheets_in_order_and_lists_hidden(blank):
    wb = openpyxl.load_workbook(blank)
    assert wb.sheetnames == [schema.SHEET_GUIDE, schema.SHEET_UNIT, schema.SHEET_COLLECTIVES,
                             schema.SHEET_INDIVIDUALS, schema.SHEET_LISTS]
    assert wb[schema.SHEET_LISTS].sheet_state == "hidden"
    assert all(wb[s].sheet_state == "visible" for s in wb.sheetnames[:-1])
    assert wb.active.title == schema.SHEET_GUIDE


@pytest.mark.parametrize("unit_id", [None, "cdn-y-te"])
def test_identity_block_readable_by_openpyxl_and_calamine(campaign, tmp_path, unit_id):
    unit = campaign.roster.get(unit_id) if unit_id else None
    path = write_template(campaign, tmp_path / "t.xlsx", unit)
    expected = {"template_id": schema.TEMPLATE_ID, "template_version": schema.TEMPLATE_VERSION,
                "campaign_id": campaign.id, "unit_id": unit.id if unit else "",
                "unit_name": unit.name if unit else ""}
    ws = openpyxl.load_workbook(path)[schema.SHEET_LISTS]
    by_openpyxl = {ws.cell(r, 1).value: ws.cell(r, 2).value or "" for r in range(1, 6)}
    assert by_openpyxl == expected
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(schema.SHEET_LISTS).to_python()
    by_calamine = {row[0]: row[1] for row in rows[:5]}
    assert by_calamine == expected
    assert [row[0] for row in rows[:5]] == list(schema.IDENTITY_KEYS)


def test_lists_are_defined_names(blank, campaign):
    wb = openpyxl.load_workbook(blank)
    n = len(campaign.roster)
    sheet = f"'{schema.SHEET_LISTS}'"
    assert wb.defined_names[schema.NAME_UNITS].attr_text == f"{sheet}!$D$2:$D${n + 1}"
    assert wb.defined_names[schema.NAME_GENDER].attr_text == f"{sheet}!$E$2:$E$3"
    assert wb.defined_names[schema.NAME_YES_NO].attr_text == f"{sheet}!$F$2:$F$3"
    ws = wb[schema.SHEET_LISTS]
    assert [ws[f"{schema.LIST_UNITS}{r}"].value for r in range(2, n + 2)] == [u.name for u in campaign.roster]
    assert [ws[f"{schema.LIST_GENDER}{r}"].value for r in (2, 3)] == ["Nam", "Nữ"]
    assert [ws[f"{schema.LIST_YES_NO}{r}"].value for r in (2, 3)] == ["Có", "Không"]


def test_a_units_own_template_lists_only_that_unit(campaign, tmp_path):
    unit = campaign.roster.get("cdn-y-te")
    wb = openpyxl.load_workbook(write_template(campaign, tmp_path / "y.xlsx", unit))
    ws = wb[schema.SHEET_LISTS]
    assert wb.defined_names[schema.NAME_UNITS].attr_text == f"'{schema.SHEET_LISTS}'!$D$2:$D$2"
    assert (ws["D2"].value, ws["D3"].value) == (unit.name, None)


def list_validations(ws) -> dict[str, str]:
    """formula1 of each list validation -> its ranges."""
    return {dv.formula1: str(dv.sqref) for dv in ws.data_validations.dataValidation if dv.type == "list"}


def test_dropdowns_reference_names_never_inline_lists(blank):
    wb = openpyxl.load_workbook(blank)
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            if dv.type == "list":
                assert '"' not in dv.formula1 and "," not in dv.formula1, (ws.title, dv.formula1)
    unit_ws = wb[schema.SHEET_UNIT]
    rows = {label_key(str(unit_ws.cell(r, 1).value)): r for r in range(1, unit_ws.max_row + 1)}
    lists = list_validations(unit_ws)
    assert f"B{rows[label_key('Đơn vị đề nghị')]}" in lists[schema.NAME_UNITS].split()
    yes_no = lists[schema.NAME_YES_NO].split()
    for label in ("Có tờ trình", "Có biên bản họp xét", "Có báo cáo tóm tắt thành tích"):
        assert any(f"B{rows[label_key(label)]}" in rng or rng == f"B{rows[label_key(label)]}"
                   for rng in yes_no), label
    ind = wb[schema.SHEET_INDIVIDUALS]
    gender_col = _col(ind, schema.INDIVIDUAL_FIELDS, "Giới tính")
    h = header_row(ind, schema.INDIVIDUAL_FIELDS)
    assert list_validations(ind)[schema.NAME_GENDER] == f"{gender_col}{h + 1}:{gender_col}{h + 300}"


def _col(ws, fields, label) -> str:
    h = header_row(ws, fields)
    return next(c.column_letter for c in ws[h] if c.value and label_key(str(c.value)) == label_key(label))


def test_year_and_percent_validations_warn_in_vietnamese(blank):
    ind = openpyxl.load_workbook(blank)[schema.SHEET_INDIVIDUALS]
    by_col = {str(dv.sqref)[0]: dv for dv in ind.data_validations.dataValidation}
    year = by_col[_col(ind, schema.INDIVIDUAL_FIELDS, "Năm sinh")]
    assert (year.type, year.operator, year.formula1, year.formula2) == ("whole", "between", "1920", "2005")
    vote = by_col[_col(ind, schema.INDIVIDUAL_FIELDS, "Tỷ lệ phiếu đồng ý (%)")]
    assert (vote.type, vote.formula1, vote.formula2) == ("decimal", "0", "100")
    for dv in (year, vote):
        assert dv.showErrorMessage and dv.errorStyle == "warning"
        assert "năm" in dv.error.lower() or "tỷ lệ" in dv.error.lower()


def test_every_contract_label_in_its_sheet_required_marked(blank):
    wb = openpyxl.load_workbook(blank)
    unit_ws = wb[schema.SHEET_UNIT]
    unit_labels = {label_key(str(unit_ws.cell(r, 1).value)): str(unit_ws.cell(r, 1).value)
                   for r in range(1, unit_ws.max_row + 1) if unit_ws.cell(r, 1).value}
    for field in schema.UNIT_FIELDS:
        written = unit_labels[label_key(field.label)]
        assert written == (f"{field.label} *" if field.required else field.label)
    for sheet, fields in schema.NOMINATION_SHEETS.items():
        found = headers(wb[sheet], fields)
        assert list(found) == [label_key(f.label) for f in fields], sheet
        for field in fields:
            assert found[label_key(field.label)].endswith("*") == field.required, field.label


def test_unit_sheet_formats(blank):
    ws = openpyxl.load_workbook(blank)[schema.SHEET_UNIT]
    rows = {label_key(str(ws.cell(r, 1).value)): r for r in range(1, ws.max_row + 1)}
    assert ws[f"B{rows[label_key('Điện thoại')]}"].number_format == "@"
    for label in ("Ngày tờ trình", "Ngày họp xét"):
        assert ws[f"B{rows[label_key(label)]}"].number_format == "dd/mm/yyyy"
    assert ws[f"B{rows[label_key('Đơn vị đề nghị')]}"].value is None


def test_protection_locks_headers_only_and_allows_layout_changes(blank):
    wb = openpyxl.load_workbook(blank)
    for sheet, fields in schema.NOMINATION_SHEETS.items():
        ws = wb[sheet]
        p = ws.protection
        assert p.sheet and not p.password
        for allowed in ("insertColumns", "insertRows", "deleteColumns", "deleteRows", "formatCells",
                        "formatColumns", "formatRows", "sort", "autoFilter"):
            assert getattr(p, allowed) is False, (sheet, allowed)  # False means allowed
        h = header_row(ws, fields)
        assert all(c.protection.locked for c in ws[h][:len(fields)])
        for r in range(h + 1, h + 201):
            for col in range(1, len(fields) + 1):
                assert not ws.cell(r, col).protection.locked, (sheet, r, col)
        assert ws.freeze_panes == f"A{h + 1}"
        assert ws[h][0].font.name == "Times New Roman" and ws[h][0].font.bold
    unit_ws = wb[schema.SHEET_UNIT]
    assert unit_ws.protection.sheet
    for r in range(2, len(schema.UNIT_FIELDS) + 2):
        assert unit_ws.cell(r, 1).protection.locked and not unit_ws.cell(r, 2).protection.locked


def test_columns_sized_and_summary_wrapped(blank):
    ws = openpyxl.load_workbook(blank)[schema.SHEET_INDIVIDUALS]
    h = header_row(ws, schema.INDIVIDUAL_FIELDS)
    for field in schema.INDIVIDUAL_FIELDS:
        letter = _col(ws, schema.INDIVIDUAL_FIELDS, field.label)
        assert ws.column_dimensions[letter].width == field.width
    summary = _col(ws, schema.INDIVIDUAL_FIELDS, "Tóm tắt thành tích")
    assert ws[f"{summary}{h + 1}"].alignment.wrap_text


def stt_values(ws, fields) -> list:
    h = header_row(ws, fields)
    return [ws.cell(r, 1).value for r in range(h + 1, h + 12) if ws.cell(r, 1).value is not None]


def test_blank_template_numbers_eight_rows(blank):
    wb = openpyxl.load_workbook(blank)
    for sheet, fields in schema.NOMINATION_SHEETS.items():
        assert stt_values(wb[sheet], fields) == list(range(1, 9))


def test_per_unit_template_prefills_unit_and_quota(yte, campaign):
    wb = openpyxl.load_workbook(yte)
    unit_ws = wb[schema.SHEET_UNIT]
    assert unit_ws["A2"].value.startswith("Đơn vị đề nghị") and unit_ws["B2"].value == "Công đoàn ngành Y tế"
    assert stt_values(wb[schema.SHEET_COLLECTIVES], schema.COLLECTIVE_FIELDS) == [1]
    assert stt_values(wb[schema.SHEET_INDIVIDUALS], schema.INDIVIDUAL_FIELDS) == list(range(1, 7))
    guide = "\n".join(str(c.value) for row in wb[schema.SHEET_GUIDE].iter_rows() for c in row if c.value)
    assert "Công đoàn ngành Y tế" in guide
    assert "01 tập thể và 06 cá nhân" in guide
    assert "20/12/2020" in guide
    assert campaign.contact_email in guide
    assert "199/KH-LĐLĐ" in guide and "13/11/2020" in guide


def test_guide_explains_every_column(blank):
    ws = openpyxl.load_workbook(blank)[schema.SHEET_GUIDE]
    guide = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    for fields in (schema.UNIT_FIELDS, schema.COLLECTIVE_FIELDS, schema.INDIVIDUAL_FIELDS):
        for field in fields:
            assert field.help in guide
    assert "01 tập thể và 08 cá nhân" in guide  # the blank template lists every unit's quota
    for words in ("ngày/tháng/năm", ".xlsx", "không đổi tên", "*"):
        assert words in guide.lower() or words in guide


def test_deterministic_properties(campaign):
    wb = build_workbook(campaign)
    assert wb.properties.creator == "thidua-batch"
    assert wb.properties.created == dt.datetime(2020, 11, 13)


# --- write_templates ---------------------------------------------------------------------

def test_write_templates_variants(campaign, tmp_path):
    assert [p.name for p in write_templates(campaign, tmp_path / "a")] == ["mau_de_nghi_khen_thuong.xlsx"]
    assert [p.name for p in write_templates(campaign, tmp_path / "b", unit_id="sin-ho")] == [
        "mau_de_nghi_khen_thuong_sin-ho.xlsx"]
    paths = write_templates(campaign, tmp_path / "c", all_units=True)
    assert len(paths) == 12 and all(p.exists() for p in paths)
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == sorted(p.name for p in paths)
    assert {p.name for p in paths} == {"mau_de_nghi_khen_thuong.xlsx"} | {
        f"mau_de_nghi_khen_thuong_{u.id}.xlsx" for u in campaign.roster}


def test_unknown_unit_lists_valid_ids(campaign, tmp_path):
    with pytest.raises(TemplateUnitError) as info:
        write_templates(campaign, tmp_path, unit_id="muong-la")
    message = str(info.value)
    assert "muong-la" in message and "tam-duong" in message and "cdvc-tinh" in message
    assert isinstance(info.value, ValueError)
    assert not list(tmp_path.iterdir())


# --- the filler used by reader tests ---------------------------------------------------------

def test_filler_fills_by_label_and_survives_layout_changes(campaign, tmp_path):
    path, _ = make_filled(tmp_path, campaign, "cdn-y-te", 1, 6)
    f = Filler(path)
    f.insert_rows_above_header(schema.SHEET_INDIVIDUALS, 2)
    f.insert_columns(schema.SHEET_INDIVIDUALS, "Giới tính", "Số điện thoại")
    row = f.add_row(schema.SHEET_INDIVIDUALS, {"Họ và tên": "=Lò Văn Thắng", "Giới tính": "Nam",
                                               "Số điện thoại": "0912345678"})
    h = f.header_row(schema.SHEET_INDIVIDUALS)
    assert row == h + 7
    assert f.column_of(schema.SHEET_INDIVIDUALS, "Giới tính") == "D"
    out = f.save(tmp_path / "y.xlsx")
    ws = openpyxl.load_workbook(out)[schema.SHEET_INDIVIDUALS]
    assert ws[f"B{row}"].value == "=Lò Văn Thắng" and ws[f"B{row}"].data_type == "s"
    assert ws[f"D{row}"].value == "Nam" and ws[f"C{row}"].value == "0912345678"
    assert ws[f"A{row}"].value == 7
    gender_ranges = list_validations(ws)[schema.NAME_GENDER]
    assert gender_ranges == f"D{h + 1}:D{h + 300}"


def test_filler_move_column_and_sheet_edits(campaign, tmp_path):
    f = new_filler(tmp_path, campaign)
    f.move_column(schema.SHEET_COLLECTIVES, "Ghi chú")
    assert f.column_of(schema.SHEET_COLLECTIVES, "Ghi chú") == "F"
    f.add_row(schema.SHEET_COLLECTIVES, {"Tên tập thể": nfd("Công đoàn Trường THPT Sìn Hồ"), "Ghi chú": "x"})
    f.rename_sheet(schema.SHEET_INDIVIDUALS, "CA NHAN")
    assert f.header_row("Cá nhân") == f.header_row("CA NHAN")
    f.remove_sheet(schema.SHEET_GUIDE)
    out = f.save(tmp_path / "z.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == [schema.SHEET_UNIT, schema.SHEET_COLLECTIVES, "CA NHAN"]
    ws = wb[schema.SHEET_COLLECTIVES]
    h = header_row(ws, schema.COLLECTIVE_FIELDS)
    assert ws[f"F{h + 1}"].value == "x" and ws[f"E{h}"].value is None
    assert ws[f"B{h + 1}"].value == nfd("Công đoàn Trường THPT Sìn Hồ")


def test_make_filled_gives_distinct_people_per_unit(campaign, tmp_path):
    names = []
    for unit_id in ("tam-duong", "sin-ho"):
        path, _ = make_filled(tmp_path / unit_id, campaign, unit_id)
        ws = openpyxl.load_workbook(path)[schema.SHEET_INDIVIDUALS]
        h = header_row(ws, schema.INDIVIDUAL_FIELDS)
        names += [ws.cell(r, 2).value for r in range(h + 1, h + 5)]
        unit_ws = openpyxl.load_workbook(path)[schema.SHEET_UNIT]
        assert unit_ws["B2"].value == campaign.roster.get(unit_id).name
        assert isinstance(unit_ws["B5"].value, dt.datetime)
    assert len(set(names)) == 8 and None not in names


# --- LibreOffice opens it ---------------------------------------------------------------------

@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_template_to_pdf(yte, tmp_path):
    profile = (tmp_path / "lo-profile").resolve().as_uri()
    result = subprocess.run(
        [find_soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(yte)],
        capture_output=True, text=True, timeout=180)
    pdf = tmp_path / (yte.stem + ".pdf")
    assert pdf.exists(), result.stdout + result.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 5000


# --- the committed input_templates are current --------------------------------------------------

def content(path: Path) -> dict:
    """What a template says, not its bytes (zip timestamps and the saved-at time differ)."""
    wb = openpyxl.load_workbook(path)
    sheets = {}
    for ws in wb.worksheets:
        sheets[ws.title] = {
            "state": ws.sheet_state,
            "cells": [[c.value for c in row] for row in ws.iter_rows()],
            "validations": sorted((dv.type or "", dv.formula1 or "", dv.formula2 or "", str(dv.sqref))
                                  for dv in ws.data_validations.dataValidation),
            "protected": ws.protection.sheet,
            "merged": sorted(str(m) for m in ws.merged_cells.ranges),
        }
    names = {name: dn.attr_text for name, dn in wb.defined_names.items()}
    return {"order": wb.sheetnames, "sheets": sheets, "names": names}


def test_committed_input_templates_are_current(campaign, tmp_path):
    fresh = write_templates(campaign, tmp_path, all_units=True)
    stale = f"input_templates/ is out of date: regenerate with `{REGENERATE}` and commit."
    committed = sorted(p.name for p in COMMITTED.glob("*.xlsx"))
    assert committed == sorted(p.name for p in fresh), stale
    for path in fresh:
        assert content(COMMITTED / path.name) == content(path), f"{path.name}: {stale}"


def test_committed_samples_are_current(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "samples" / "make_samples.py")
    make_samples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_samples)
    fresh = tmp_path / "inbox"
    make_samples.generate(fresh)
    stale = "samples/inbox is out of date: regenerate with `python samples/make_samples.py` and commit."
    committed_dir = ROOT / "samples" / "inbox"
    listing = sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file())
    assert listing == sorted(make_samples.RECEIVED), "RECEIVED must list every generated file"
    assert listing == sorted(p.relative_to(committed_dir).as_posix()
                             for p in committed_dir.rglob("*") if p.is_file()), stale
    for rel in listing:
        if rel.endswith(".xlsx") and not rel.split("/")[-1].startswith("~$"):
            assert content(committed_dir / rel) == content(fresh / rel), f"{rel}: {stale}"
        assert (fresh / rel).stat().st_mtime == make_samples.RECEIVED[rel].timestamp(), rel
