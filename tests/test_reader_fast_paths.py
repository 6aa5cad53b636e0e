"""The reader's fast paths (issue 20) read exactly what the plain way reads: each is tested where it
is taken and where it must not be. Values read once per process give every cell its own Cell;
numbers are told from booleans; a campaign's years are its own; the header scan still finds a later,
fuller header row; text folding keeps its meaning for every character."""
from __future__ import annotations

import re
import sys
import unicodedata

from filler import filled, sample_individual
from helpers import check

from thidua_batch.common.text import clean, fold_ascii, strip_diacritics
from thidua_batch.config import schema
from thidua_batch.config.campaign import load_campaign
from thidua_batch.config.list_words import load_list_words
from thidua_batch.intake.grid import Grid, column_letter, ref
from thidua_batch.intake.legacy import detect_and_convert
from thidua_batch.intake.lists import CellReading
from thidua_batch.intake.tables import _COLUMN_NUMBER, _is_column_number, find_header

CAMPAIGN = load_campaign()
CN = schema.SHEET_INDIVIDUALS
FIELDS = {f.key: f for f in (*schema.UNIT_FIELDS, *schema.INDIVIDUAL_FIELDS)}


# -- values read once per process ---------------------------------------------------------
def test_a_value_read_before_still_gives_each_cell_its_own_cell(tmp_path):
    """A short achievement read once (cached) and then lengthened by a continuation line in one
    file stays as typed in the next file: the cache holds readings, never the Cell a table changes."""
    short = "Hoàn thành tốt nhiệm vụ."
    first = filled(tmp_path, CAMPAIGN, individuals=0)
    row = first.add_row(CN, {**sample_individual(1), "Tóm tắt thành tích": short})
    first.add_row(CN, {"Tóm tắt thành tích": "Tham gia hội thao."}, at_row=row + 1)
    joined = check(first.save(tmp_path / "a.xlsx"), CAMPAIGN)
    assert joined.individuals[0].text("summary") == f"{short}\nTham gia hội thao."

    second = filled(tmp_path, CAMPAIGN, individuals=0)
    second.add_row(CN, {**sample_individual(2), "Tóm tắt thành tích": short})
    alone = check(second.save(tmp_path / "b.xlsx"), CAMPAIGN)
    assert alone.individuals[0].text("summary") == short
    assert alone.individuals[0].cells["summary"].raw == short
    assert alone.individuals[0].cells["summary"] is not joined.individuals[0].cells["summary"]


def test_true_and_one_are_read_apart_in_a_yes_no_cell(tmp_path):
    """1, 1.0 and True are equal dictionary keys; the cache keys them with their type."""
    read = CellReading(2020)
    yes_no = FIELDS["has_proposal"]
    grid = Grid("Đơn vị", [[True, 1.0, 1, "Có"]])
    cells = [read(grid, 0, c, yes_no) for c in range(4)]
    assert [c.value for c in cells] == ["Có", None, None, "Có"]
    assert cells[1].problem and cells[2].problem and not cells[0].problem
    # Read again (now from the cache), in the other order: the same.
    again = [read(grid, 0, c, yes_no) for c in (2, 1, 0)]
    assert [c.value for c in again] == [None, None, "Có"]
    assert [c.ref for c in again] == ["C1", "B1", "A1"]


def test_a_year_is_read_against_its_own_campaigns_years():
    """The same year of birth under two campaigns: valid in one, not in the other, in one process."""
    grid = Grid("Cá nhân", [[2010.0, "2010"]])
    year = FIELDS["birth_year"]
    late, early = CellReading(2030), CellReading(2020)
    assert late(grid, 0, 0, year).value == 2010 and late(grid, 0, 1, year).value == 2010
    assert early(grid, 0, 0, year).value is None and early(grid, 0, 0, year).problem
    assert early(grid, 0, 1, year).value is None and early(grid, 0, 1, year).problem
    assert late(grid, 0, 0, year).value == 2010


def test_zero_and_minus_zero_are_not_taken_for_each_other():
    """-0.0 == 0.0: zero is never cached, so each is read as itself."""
    read = CellReading(2020)
    vote = FIELDS["vote"]
    grid = Grid("Cá nhân", [[0.0, -0.0, 0.0]])
    cells = [read(grid, 0, c, vote) for c in range(3)]
    assert [str(c.value) for c in cells] == ["0.0", "-0.0", "0.0"]


def test_long_text_read_each_time_and_short_text_once_read_the_same():
    read = CellReading(2020)
    name, summary = FIELDS["name"], FIELDS["summary"]
    long_text = "  Hoàn thành   xuất sắc nhiệm vụ " * 10
    short = "  Lò  Văn\u00a0Pánh "
    grid = Grid("Cá nhân", [[short, long_text], [short, long_text]])
    for r in range(2):
        assert read(grid, r, 0, name).value == "Lò Văn Pánh"
        assert read(grid, r, 1, summary).value == clean(long_text)
        assert read(grid, r, 0, name).ref == f"A{r + 1}"


def test_legacy_text_read_once_is_converted_every_time():
    read = CellReading(2020)
    grid = Grid("Cá nhân", [["NguyÔn V¨n An"], ["NguyÔn V¨n An"]])
    for r in range(2):
        cell = read(grid, r, 0, FIELDS["name"])
        assert cell.value == "Nguyễn Văn An" and cell.legacy is not None and cell.legacy.encoding == "TCVN3"


def test_a_formula_cell_is_never_taken_from_the_cache():
    read = CellReading(2020)
    grid = Grid("Cá nhân", [["Nữ", "Nữ"]], formulas={"B1": None})
    assert read(grid, 0, 0, FIELDS["gender"]).value == "Nữ"
    cell = read(grid, 0, 1, FIELDS["gender"])
    assert cell.formula_without_value and cell.raw is None


# -- the header scan ----------------------------------------------------------------------
def _grid(rows: list[list[object]]) -> Grid:
    return Grid("Danh sách", rows)


def test_a_later_header_row_with_more_labels_still_wins():
    """Rows with no more short texts than the best row has labels are skipped; a fuller row is not."""
    rows = [["Họ và tên", "Năm sinh", "", ""],
            ["Lò Văn Pánh", "1980", "", ""],
            ["STT", "Họ và tên", "Năm sinh", "Chức vụ", "Đơn vị công tác"],
            [1, "Lò Văn Pánh", 1980, "Chuyên viên", "Phòng Tổ chức"]]
    header = find_header(_grid(rows), load_list_words())
    assert header is not None and header.row == 2
    assert header.columns == {"stt": 0, "name": 1, "birth_year": 2, "position": 3, "workplace": 4}


def test_data_rows_under_the_header_never_replace_it():
    """Data rows (skipped by the count) and an equal row (a tie keeps the first) leave the header."""
    rows = [["Họ và tên", "Giới tính", "Năm sinh"],
            ["Lò Văn Pánh", "Nam", "1980"],
            ["Họ tên", "Giới tính", "Năm sinh"]]
    header = find_header(_grid(rows), load_list_words())
    assert header is not None and header.row == 0


def test_a_row_of_short_texts_is_still_looked_up_when_it_could_win():
    rows = [["Họ và tên", "Năm sinh"],
            ["Họ và tên", "Năm sinh", "Giới tính"]]
    header = find_header(_grid(rows), load_list_words())
    assert header is not None and header.row == 1


def test_a_label_longer_than_80_characters_is_not_a_label_either_way():
    long_label = "Họ và tên" + " " * 80
    assert load_list_words().header(long_label) is None
    rows = [[long_label, "Năm sinh", "Giới tính"], ["Họ và tên", "Năm sinh"]]
    header = find_header(_grid(rows), load_list_words())
    assert header is not None and header.row == 1


# -- column numbers -----------------------------------------------------------------------
def test_column_number_quick_refusal_and_full_test_agree():
    taken = ["Lò Văn Pánh", "(123)", "abc", "1 2 3", "Nguyễn"]          # three ASCII letters/digits
    not_taken = ["(1)", "12", " (12) ", "a", "(b)", "ạ", "(١)", "đ", "x y", "1."]
    for text in taken + not_taken:
        assert _is_column_number(text) == bool(_COLUMN_NUMBER.match(fold_ascii(text))), text
    assert [_is_column_number(t) for t in ("(1)", "12", "a", "(b)", "ạ")] == [True] * 5
    assert not any(_is_column_number(t) for t in taken)


# -- text ---------------------------------------------------------------------------------
_SPACES = re.compile(r"\s+")


def test_clean_collapses_every_white_space_the_regex_did():
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if _SPACES.fullmatch(chr(c))]
    assert {"\u00a0", "\u2000", "\u3000", "\x1c", "\x85", "\u2028"} <= set(spaces)
    for space in spaces:
        text = f"{space}Lò{space}{space}Văn {space}Pánh{space}"
        assert clean(text) == _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip() == "Lò Văn Pánh"


def _strip_by_hand(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d").replace("Đ", "D")


def test_diacritics_stripped_beyond_the_vietnamese_marks():
    """Vietnamese marks go by one regex; any other combining mark by the full table; a mark of
    class 0 (U+034F) stays."""
    samples = ["Đường Nguyễn Huệ", "ascii only", "Ж\u0483", "ש\u05b0", "a\u1dc0b", "a\u034fb", "Å\u0301ß",
               "𝒜\U0001d165x"]
    for text in samples:
        assert strip_diacritics(text) == _strip_by_hand(text), text
    assert strip_diacritics("a\u034fb") == "a\u034fb"
    assert fold_ascii("  LĐLĐ  huyện Tam-Đường ") == "lđlđ huyen tam duong".replace("đ", "d")


# -- references ---------------------------------------------------------------------------
def test_column_letters_past_the_precomputed_ones():
    assert [column_letter(i) for i in (0, 25, 26, 701, 702, 16383)] == ["A", "Z", "AA", "ZZ", "AAA", "XFD"]
    assert ref(4, 701) == "ZZ5" and ref(0, 702) == "AAA1" and ref(1048575, 16383) == "XFD1048576"
    assert column_letter(-1) == "" and ref(0, -1) == "1"


# -- legacy fonts -------------------------------------------------------------------------
def test_legacy_quick_exit_and_the_cases_it_must_not_take():
    assert detect_and_convert("Lê Thị Hồng Nhung") is None                # Unicode: quick exit
    assert detect_and_convert("LÊ THỊ ÁNH DƯƠNG") is None                 # capitals: the full test
    mixed = detect_and_convert("Hoµng V¨n Th¾ng - Trường")                # markers beside Unicode
    assert mixed is not None and mixed.after.startswith("Hoàng Văn Thắng")


def test_values_still_read_right_when_the_cache_starts_again(monkeypatch):
    from thidua_batch.intake import lists
    monkeypatch.setattr(lists, "_CACHED_VALUES", 3)
    read = CellReading(2020)
    names = [f"Lò Văn Pánh {i}" for i in range(10)]
    grid = Grid("Cá nhân", [names, names])
    for r in range(2):
        assert [read(grid, r, c, FIELDS["name"]).value for c in range(10)] == names
    assert len(lists._READ[read.birth_years][FIELDS["name"].kind]) <= 3
