"""Lists as units really send them (workbook.md): rows that are not nominations, merged and
continuation rows, hidden rows, values read as an officer reads them, unusable units."""
from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import docx
import openpyxl
from filler import filled, sample_individual
from helpers import check, flat, set_received
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thidua_batch.batch import run_batch
from thidua_batch.config import schema
from thidua_batch.config.campaign import load_campaign
from thidua_batch.documents.outputs import write_outputs

CAMPAIGN = load_campaign()
CN, TT = schema.SHEET_INDIVIDUALS, schema.SHEET_COLLECTIVES
VN = dt.timezone(dt.timedelta(hours=7))
INFO = ("row-not-nomination", "value-interpreted")

# Blocks units put under their lists (each a list of rows; a row maps a column letter to a text).
SIGNATURE = [{"B": "Người lập biểu", "F": "TM. BAN THƯỜNG VỤ"}, {"F": "CHỦ TỊCH"}, {"F": "(Ký tên, đóng dấu)"},
             {}, {}, {"B": "Lò Thị Hương", "F": "Hoàng Văn Sơn"}]
DATE_LINE = [{"F": "Tam Đường, ngày 10 tháng 12 năm 2020"}]
DATE_BLANK = [{"G": "Tam Đường, ngày …… tháng 12 năm 2020"}]
TOTALS = [[{"A": "Cộng: 06 cá nhân"}], [{"B": "Tổng cộng: 01 tập thể, 04 cá nhân"}], [{"A": "Cộng", "C": "4"}]]
NOTES = [[{"A": "Ghi chú: Danh sách xếp theo thứ tự ưu tiên."}], [{"B": "* Hồ sơ gửi kèm tờ trình số 15/TTr-LĐLĐ"}]]
SECTIONS = [[{"A": "II. CÁ NHÂN"}], [{"A": "I", "B": "TẬP THỂ"}]]


def _cell(filler, sheet: str, column: str, row: int, value) -> None:
    filler.set_cell(sheet, f"{column}{row}", value)


def _append(filler, sheet: str, rows: list[dict[str, str]]) -> int:
    """Write ROWS under the last used row of SHEET; returns the first row written."""
    ws = filler.ws(sheet)
    start = max(r for r in range(1, ws.max_row + 1) if any(c.value not in (None, "") for c in ws[r])
                and any(c.value not in (None, "") and c.column > 1 for c in ws[r])) + 1
    for i, row in enumerate(rows):
        for column, value in row.items():
            _cell(filler, sheet, column, start + i, value)
    return start


def _people(result) -> list[tuple[str, int | None]]:
    return [(n.name, n.birth_year) for n in result.individuals]


def test_signature_block_under_the_list_is_never_people(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, individuals=4)
    before = _people(check(filler.save(tmp_path / "a.xlsx"), CAMPAIGN))
    first = _append(filler, CN, [{}] + DATE_LINE + SIGNATURE)
    result = check(filler.save(tmp_path / "b.xlsx"), CAMPAIGN)
    assert _people(result) == before and len(before) == 4
    assert not any(f.code in ("quota-exceeded", "required-missing") for f in result.findings)
    assert ("row-not-nomination", CN, f"A{first + 1}") in flat(result)
    kinds = [r.kind for r in result.skipped_rows]
    assert "date-line" in kinds and "signature" in kinds


def test_total_row_is_not_a_nominee(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, individuals=4)
    row = _append(filler, CN, TOTALS[0])
    result = check(filler.save(tmp_path / "t.xlsx"), CAMPAIGN)
    assert len(result.individuals) == 4
    assert [(r.row, r.kind) for r in result.skipped_rows] == [(row, "total")]
    assert flat(result) == [("row-not-nomination", CN, f"A{row}")]


def test_a_row_that_merely_lacks_cells_stays_a_nomination(tmp_path):
    """No positive evidence, no skipping: a lone name under the list is a nominee with errors."""
    filler = filled(tmp_path, CAMPAIGN, individuals=4)
    row = _append(filler, CN, [{"B": "Lò Văn Pánh"}])
    result = check(filler.save(tmp_path / "n.xlsx"), CAMPAIGN)
    assert len(result.individuals) == 5
    assert ("required-missing", CN, f"C{row}") in flat(result)
    assert ("quota-exceeded", CN, f"B{row}") in flat(result)


def test_merged_person_over_two_rows_is_one_person(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, individuals=0)
    row = filler.add_row(CN, sample_individual(1))
    filler.add_row(CN, sample_individual(2))
    # The unit inserted a row under the first person for a second line of achievements and merged the rest.
    ws = filler.ws(CN)
    ws.insert_rows(row + 1)
    ws[f"H{row + 1}"] = "Năm 2020 được tặng Giấy khen của LĐLĐ huyện."
    for column in "ABCDEFGIJ":
        ws.merge_cells(f"{column}{row}:{column}{row + 1}")
    result = check(filler.save(tmp_path / "m.xlsx"), CAMPAIGN)
    assert [n.name for n in result.individuals] == [sample_individual(1)["Họ và tên"],
                                                     sample_individual(2)["Họ và tên"]]
    first = result.individuals[0]
    assert (first.row, first.last_row) == (row, row + 1)
    assert first.text("summary").endswith("\nNăm 2020 được tặng Giấy khen của LĐLĐ huyện.")
    assert ("cells-merged", CN, f"A{row}") in flat(result)
    assert not any(f.code == "required-missing" for f in result.findings)


def test_continuation_line_without_merge_joins_the_person_above(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, individuals=0)
    row = filler.add_row(CN, sample_individual(1))
    filler.add_row(CN, {"Tóm tắt thành tích": "Tham gia tích cực hội thao công nhân viên chức."}, at_row=row + 1)
    result = check(filler.save(tmp_path / "c.xlsx"), CAMPAIGN)
    assert len(result.individuals) == 1
    assert result.individuals[0].text("summary").endswith("\nTham gia tích cực hội thao công nhân viên chức.")
    assert [(r.row, r.kind) for r in result.skipped_rows] == [(row + 1, "continuation")]
    assert ("cells-merged", CN, f"A{row + 1}") in flat(result)


def test_hidden_row_is_not_counted_and_named(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, individuals=4)
    hidden = filler.header_row(CN) + 2
    filler.ws(CN).row_dimensions[hidden].hidden = True
    result = check(filler.save(tmp_path / "h.xlsx"), CAMPAIGN)
    assert len(result.individuals) == 3
    assert hidden not in [n.row for n in result.individuals]
    assert ("row-hidden", CN, f"A{hidden}") in flat(result)
    finding = next(f for f in result.findings if f.code == "row-hidden")
    assert f"Dòng {hidden} đang bị ẩn" in finding.message


def test_column_number_row_and_sections_in_the_template(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, individuals=0)
    header = filler.header_row(CN)
    ws = filler.ws(CN)
    ws.insert_rows(header + 1, 2)
    for i, column in enumerate("ABCDEFGHIJ", 1):
        ws[f"{column}{header + 1}"] = f"({i})"
    ws[f"A{header + 2}"] = "II. CÁ NHÂN"
    filler.add_row(CN, sample_individual(3), at_row=header + 3)
    result = check(filler.save(tmp_path / "s.xlsx"), CAMPAIGN)
    assert len(result.individuals) == 1
    assert [r.kind for r in result.skipped_rows] == ["column-numbers", "section"]


def test_values_an_officer_reads_without_hesitation(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, individuals=0)
    a = filler.add_row(CN, {**sample_individual(1), "Năm sinh": "12/05/1980", "Họ và tên": "LÒ THỊ ĐỨC"})
    b = filler.add_row(CN, {**sample_individual(2), "Giới tính": "nữ"})
    c = filler.add_row(CN, {**sample_individual(3), "Giới tính": "N"})
    result = check(filler.save(tmp_path / "v.xlsx"), CAMPAIGN)
    first = result.individuals[0]
    assert first.birth_year == 1980 and first.name == "LÒ THỊ ĐỨC" and first.display_name == "Lò Thị Đức"
    year_col, gender_col = first.cells["birth_year"].ref[0], first.cells["gender"].ref[0]
    assert ("value-interpreted", CN, f"{year_col}{a}") in flat(result)
    assert ("value-interpreted", CN, f"B{a}") in flat(result)
    assert ("value-interpreted", CN, f"{gender_col}{b}") in flat(result)
    assert result.individuals[1].text("gender") == "Nữ"
    assert ("invalid-value", CN, f"{gender_col}{c}") in flat(result)   # a lone "N" is never guessed
    message = next(f.message for f in result.findings if f.code == "value-interpreted" and f.cell == f"{year_col}{a}")
    assert "12/05/1980" in message and "1980" in message


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(blocks=st.lists(st.sampled_from([SIGNATURE, DATE_LINE, DATE_BLANK, *TOTALS, *NOTES, *SECTIONS]),
                       min_size=1, max_size=4),
       gap=st.integers(min_value=0, max_value=2))
def test_any_trailer_block_below_valid_data_never_changes_the_nominations(blocks, gap):
    with tempfile.TemporaryDirectory() as tmp:
        filler = filled(Path(tmp), CAMPAIGN, individuals=4)
        before = check(filler.save(Path(tmp) / "a.xlsx"), CAMPAIGN)
        rows = [{}] * gap + [row for block in blocks for row in block]
        _append(filler, CN, rows)
        _append(filler, TT, rows)
        after = check(filler.save(Path(tmp) / "b.xlsx"), CAMPAIGN)
    assert _people(after) == _people(before)
    assert [n.name for n in after.collectives] == [n.name for n in before.collectives]
    assert [f for f in flat(after) if f[0] not in INFO] == [f for f in flat(before) if f[0] not in INFO]


# ---------------------------------------------------------------- in the run: attribution, unusable units

def _tờ_trình_without_list(path: Path, unit_line: str) -> Path:
    doc = docx.Document()
    head = doc.add_table(rows=2, cols=2)
    head.cell(0, 0).text, head.cell(0, 1).text = "LIÊN ĐOÀN LAO ĐỘNG TỈNH LAI CHÂU", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    head.cell(1, 0).text, head.cell(1, 1).text = unit_line, "Độc lập - Tự do - Hạnh phúc"
    for text in ("TỜ TRÌNH", "Về việc đề nghị tặng Bằng khen", "Kính gửi: Ban Thường vụ LĐLĐ tỉnh Lai Châu",
                 "Ban Thường vụ đề nghị tặng Bằng khen cho 01 tập thể và 04 cá nhân (có danh sách kèm theo)."):
        doc.add_paragraph(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def test_unit_that_sent_only_unusable_files_is_never_called_silent(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    when = dt.datetime(2020, 12, 15, 9, 0, tzinfo=VN)
    set_received(_tờ_trình_without_list(inbox / "To trinh.docx", "LĐLĐ HUYỆN MƯỜNG TÈ"), when)
    (inbox / "Muong Te - danh sach.xlsx").write_bytes(b"this is not a workbook")
    set_received(inbox / "Muong Te - danh sach.xlsx", when)
    set_received(filled(tmp_path, CAMPAIGN, "tam-duong").save(inbox / "tam duong.xlsx"), when)
    result = run_batch(inbox, CAMPAIGN, now=dt.datetime(2020, 12, 21, tzinfo=VN))
    units = {u.unit.id: u for u in result.units}
    assert units["muong-te"].status == "unusable"
    assert sorted(f.path for f in units["muong-te"].files) == ["Muong Te - danh sach.xlsx", "To trinh.docx"]
    assert {f.unit for f in result.files if f.path != "tam duong.xlsx"} == {"muong-te"}
    codes = {(f.code, f.unit) for f in result.findings}
    assert ("unit-unusable", "muong-te") in codes and ("unit-missing", "muong-te") not in codes
    assert units["sin-ho"].status == "missing" and ("unit-missing", "sin-ho") in codes

    out = tmp_path / "out"
    write_outputs(result, out)
    letter = "\n".join(p.text for p in docx.Document(out / "phan_hoi" / "muong-te.docx").paragraphs)
    letter += "\n".join(c.text for t in docx.Document(out / "phan_hoi" / "muong-te.docx").tables
                        for r in t.rows for c in r.cells)
    assert "To trinh.docx" in letter and "Muong Te - danh sach.xlsx" in letter
    assert "không có danh sách đề nghị" in letter
    submission = docx.Document(out / "du_thao_to_trinh.docx")
    text = "\n".join(p.text for p in submission.paragraphs)
    text += "\n".join(c.text for t in submission.tables for r in t.rows for c in r.cells)
    assert "Liên đoàn Lao động huyện Mường Tè: đã gửi 2 tệp nhưng chưa dùng được để tổng hợp" in text
    assert "Liên đoàn Lao động huyện Sìn Hồ: chưa gửi hồ sơ." in text
    assert "1 đơn vị đã gửi nhưng chưa dùng được" in text
    wb = openpyxl.load_workbook(out / "tong_hop_khen_thuong.xlsx", read_only=True)
    statuses = {r[2]: r[10] for r in wb["Tổng hợp đơn vị"].iter_rows(min_row=2, values_only=True)}
    assert statuses["Liên đoàn Lao động huyện Mường Tè"] == "Đã gửi nhưng chưa dùng được"
    assert statuses["Liên đoàn Lao động huyện Sìn Hồ"] == "Chưa gửi hồ sơ"


def test_unit_named_with_sector_abbreviations(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, "cdn-giao-duc")
    filler.set_field("Đơn vị đề nghị", "CĐ ngành GD")
    result = check(filler.save(tmp_path / "gd.xlsx"), CAMPAIGN)
    assert result.unit == "cdn-giao-duc" and result.status == "accepted"


def test_hidden_column_and_hidden_sheet_are_read_and_said(tmp_path):
    filler = filled(tmp_path, CAMPAIGN, individuals=4)
    year_col = filler.column_of(CN, "Năm sinh")
    filler.ws(CN).column_dimensions[year_col].hidden = True
    filler.ws(TT).sheet_state = "hidden"
    result = check(filler.save(tmp_path / "hc.xlsx"), CAMPAIGN)
    assert len(result.individuals) == 4 and all(n.birth_year for n in result.individuals)
    assert len(result.collectives) == 1
    header = filler.header_row(CN)
    assert ("row-hidden", CN, f"{year_col}{header}") in flat(result)
    assert ("row-hidden", TT, None) in flat(result)
