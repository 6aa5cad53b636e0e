"""One table reader for every list: the template's sheets, a unit's own Excel layout, a Word table.

A list is found by its header (the template's labels and their usual synonyms,
`config/data/list_words.toml`), of one row or two (merged "Năm sinh" over "Nam | Nữ").
Below it, each row is a nomination, or a row that is not one, told apart on positive
evidence only (workbook.md, "Lists as units really send them"):

- a section title ("I. TẬP THỂ", "II. CÁ NHÂN") switches the kind of the rows below;
- a column-number row ("(1) (2) (3)…"), a total ("Cộng: 01 tập thể, 04 cá nhân"),
  a signature block, a date line or a note is skipped; after a total, a signature or a
  date line the list has ended, so the signer's name under "CHỦ TỊCH" is not a person;
- a row inside a vertical merge of the person above, or whose only content continues
  that person's achievements, joins that person;
- a hidden row is not counted;
- any other row with a required cell filled is a nomination, with errors if it lacks some.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..common.text import clean, fold_ascii
from ..config import schema
from ..config.list_words import COLLECTIVE_NAME, FEMALE, LABEL_MAX_CHARS, MALE, POSITION_WORKPLACE, ListWords
from ..config.schema import Field
from ..model.results import COLLECTIVE, INDIVIDUAL, Cell, Nomination, SkippedRow
from .grid import Grid, Merge
from .values import as_text

HEADER_SCAN_ROWS = 60
_FIELDS = {COLLECTIVE: schema.COLLECTIVE_FIELDS, INDIVIDUAL: schema.INDIVIDUAL_FIELDS}
_REQUIRED = {kind: tuple(f for f in fields if f.required) for kind, fields in _FIELDS.items()}
# Columns whose text may run on into the next row ("a second line of achievements").
_CONTINUING = ("summary", "note")
# Columns holding a typed value: a row with one of these filled is never a signature or a note.
_TYPED = ("gender", "birth_year", MALE, FEMALE, "vote")
_COLUMN_NUMBER = re.compile(r"^\(?\s*(\d{1,2}|[a-z])\s*\)?$")
_LONG_TEXT = 120
# Three ASCII letters or digits: each stays a character of its own through fold_ascii (no canonical
# composition absorbs one), so such a text never folds to a column number's one or two characters.
_THREE_ASCII_ALNUM = re.compile(r"[A-Za-z0-9][^A-Za-z0-9]*[A-Za-z0-9][^A-Za-z0-9]*[A-Za-z0-9]")
_NUMBERING = re.compile(r"^\d{0,4}\.?$")

# read_cell(grid, row, col, field, source) → the Cell at (row, col), its value taken from `source`
# (the first cell of a merged area the cell lies in).
CellReader = Callable[[Grid, int, int, Field, tuple[int, int]], Cell]


@dataclass
class Header:
    row: int                       # 0-based, the (first) header row
    data_start: int                # 0-based, the first row below the header
    columns: dict[str, int]        # header key → column ("name", "collective_name", "male", …)

    @property
    def split_birth(self) -> bool:
        return MALE in self.columns and FEMALE in self.columns

    def column(self, key: str) -> int | None:
        """The column of a schema field, through the synonyms' keys."""
        cols = self.columns
        if key == "name":
            return cols.get("name", cols.get(COLLECTIVE_NAME))
        if key == "position":
            return cols.get("position", cols.get(POSITION_WORKPLACE))
        return cols.get(key)

    def has(self, key: str) -> bool:
        """Whether the list carries this field (a Nam | Nữ split carries the year and the gender;
        "Chức vụ, đơn vị công tác" carries both)."""
        if key in ("gender", "birth_year") and self.split_birth:
            return True
        if key == "workplace" and POSITION_WORKPLACE in self.columns:
            return True
        return self.column(key) is not None


@dataclass
class Table:
    """What one grid gave: nominations, the rows that are not, and what the unit should know."""

    grid: Grid
    header: Header | None
    nominations: list[Nomination] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)   # merged areas over nomination rows
    kinds: set[str] = field(default_factory=set)        # kinds of nomination this table holds

    def missing(self, kind: str) -> list[Field]:
        if self.header is None:
            return [f for f in _FIELDS[kind] if f.required]
        return [f for f in _FIELDS[kind] if f.required and not self.header.has(f.key)]


def find_header(grid: Grid, words: ListWords, *, need_name: bool = True) -> Header | None:
    """The row with the most header labels: at least two, a name column among them unless the
    sheet is known to be a list (the template's sheets, where a missing name column is reported)."""
    best: tuple[int, dict[str, int]] | None = None
    header = words.header
    for r, row in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        # Only a short text can be a label: a row with no more of them than the best row has labels
        # cannot beat it (the rows under the header: names, places, achievements are not looked up).
        labels = [(c, text) for c, text in enumerate(row)
                  if text and isinstance(text, str) and len(text) <= LABEL_MAX_CHARS]
        if best is not None and len(labels) <= len(best[1]):
            continue
        columns: dict[str, int] = {}
        for c, text in labels:
            key = header(text)
            if key is not None and key not in columns and key not in (MALE, FEMALE):
                columns[key] = c
        named = "name" in columns or COLLECTIVE_NAME in columns or not need_name
        if named and len(columns) >= 2 and (best is None or len(columns) > len(best[1])):
            best = (r, columns)
    if best is None:
        return None
    row, columns = best
    data_start = row + 1
    if _sub_header(grid, words, row, columns):
        data_start = row + 2
    return Header(row, data_start, columns)


def _sub_header(grid: Grid, words: ListWords, row: int, columns: dict[str, int]) -> bool:
    """A second header row (under merged cells of the first): its labels join the columns.
    "Nam" / "Nữ" under "Năm sinh" give the split year columns."""
    below = row + 1
    if below >= len(grid.rows):
        return False
    found: dict[str, int] = {}
    for c, text in enumerate(grid.rows[below]):
        key = words.header(text)
        if key is None:
            if text not in ("", None) and not _is_column_number(as_text(text)):
                return False   # a value: this is data, not a header
            continue
        found.setdefault(key, c)
    birth = columns.get("birth_year")
    split = MALE in found and FEMALE in found and birth is not None
    merged = any(m.first_row == row and (m.last_row > row or m.last_col > m.first_col) for m in grid.merges)
    if not found or not (split or merged):
        return False   # a first data row holding "Nam" is data, not a second header row
    for key, c in found.items():
        if key in (MALE, FEMALE):
            if birth is not None and _under(grid, row, birth, c):
                columns[key] = c
        elif key not in columns or _under(grid, row, columns[key], c):
            columns[key] = c
    if MALE in columns and FEMALE in columns:
        columns.pop("birth_year", None)
    return True


def _is_column_number(text: str) -> bool:
    """A column number as the row under a header holds it: "(1)", "2", "a"."""
    if _THREE_ASCII_ALNUM.search(text):
        return False   # a name, a place, a sentence: not folded at all
    return _COLUMN_NUMBER.match(fold_ascii(text)) is not None


def _under(grid: Grid, row: int, col: int, sub_col: int) -> bool:
    """Whether `sub_col` of the row below lies under the header cell at (row, col)."""
    merge = grid.merge_at(row, col)
    if merge is not None:
        return merge.first_col <= sub_col <= merge.last_col
    return sub_col == col or all(grid.value(row, c) in ("", None) for c in range(col + 1, sub_col + 1))


class _TableReader:
    def __init__(self, grid: Grid, header: Header, words: ListWords, read_cell: CellReader,
                 kind: str | None, list_title: bool):
        self.grid, self.header, self.words, self.read_cell = grid, header, words, read_cell
        self.fixed_kind = kind
        self.kind = kind or _initial_kind(grid, header)
        self.table = Table(grid, header)
        self.list_title = list_title
        self.ended = False
        self.last: Nomination | None = None
        self.last_row = -1                      # the last row that belongs to `last`
        self.typed_cols = {c for k, c in header.columns.items() if k in _TYPED}
        self.formula_rows = {_row_of(at) for at in grid.formulas}
        self.name_col = header.column("name")
        self.stt_col = header.columns.get("stt")
        self.continuing_cols = {header.column(k) for k in _CONTINUING} - {None}
        self.plans: dict[str, list[tuple[str, int, Field]]] = {}   # kind → the cells a nomination reads

    def read(self) -> Table:
        self._title()
        for r in range(self.header.data_start, self.grid.height):
            self._row(r)
        rows = {n.row - 1 for n in self.table.nominations}
        self.table.merges = sorted((m for m in self.grid.merges if self._over_nominations(m, rows)),
                                   key=lambda m: (m.first_row, m.first_col))
        return self.table

    # -- rows ------------------------------------------------------------------------
    def _title(self) -> None:
        for r in range(self.header.row):
            texts = _texts(self.grid.rows[r])
            if texts:
                self.table.title_lines.append(" ".join(texts))
                if self.list_title:
                    self._skip(r, "title", texts)

    def _row(self, r: int) -> None:
        row = self.grid.rows[r] if r < len(self.grid.rows) else []
        # Most rows are nominations: their cells are turned into text only when a check needs it.
        filled = [v for v in row if v not in ("", None) and not (isinstance(v, str) and not v.strip())]
        if not filled and r not in self.formula_rows:
            return
        stt = self.stt_col
        if stt is not None and len(filled) == 1 and stt < len(row) and row[stt] is filled[0] \
                and _NUMBERING.match(as_text(row[stt])) and r not in self.formula_rows:
            return   # only STT (the template numbers rows in advance): a blank row
        if r in self.grid.hidden_rows:
            self._skip(r, "hidden", _texts(row))
            return
        section = self.words.section(" ".join(_texts(row))) if len(filled) <= 2 else None
        if section is not None:
            if self.fixed_kind is None:
                self.kind = section
            self.ended = False
            self._skip(r, "section", _texts(row))
            return
        if self.ended:
            self._skip(r, self._trailer_kind(row) or "signature", _texts(row))
            return
        if len(filled) >= 3 and all(len(as_text(v)) <= 4 for v in filled) and self._column_numbers(_texts(row)):
            self._skip(r, "column-numbers", _texts(row))
            return
        trailer = self._trailer_kind(row)
        if trailer is not None:
            self.ended = True
            self._skip(r, trailer, _texts(row))
            return
        if self._continues(r, row):
            self._join(r)
            return
        self._nomination(r)

    def _skip(self, r: int, kind: str, texts: list[str]) -> None:
        self.table.skipped.append(SkippedRow(self.grid.name, r + 1, kind, " | ".join(texts)))

    def _column_numbers(self, texts: list[str]) -> bool:
        if len(texts) < 3 or not all(_COLUMN_NUMBER.match(fold_ascii(t)) for t in texts):
            return False
        digits = [int(re.sub(r"\D", "", t)) for t in texts if re.search(r"\d", t)]
        return digits == sorted(digits) and len(set(digits)) == len(digits)

    def _trailer_kind(self, row: list[object]) -> str | None:
        """"total", "signature", "date-line" or "note" on positive evidence, else None."""
        first = next((v for v in row if v not in ("", None)), None)
        if isinstance(first, str) and self.words.row_kind(first) == "total":
            return "total"
        if any(row[c] not in ("", None) for c in self.typed_cols if c < len(row)):
            return None
        texts = [v for v in row if isinstance(v, str) and v.strip()]
        if any(len(t) > _LONG_TEXT for t in texts):
            return None
        return next((kind for kind in map(self.words.row_kind, texts) if kind), None)

    def _continues(self, r: int, row: list[object]) -> bool:
        """A row that belongs to the nomination above: inside the vertical merge of its name,
        or holding only more text of its achievements or notes, right under it."""
        if self.last is None:
            return False
        name_col = self.name_col
        merge = self.grid.merge_at(r, name_col) if name_col is not None else None
        if merge is not None and merge.first_row < r:
            return merge.first_row == self.last.row - 1
        if self.last_row != r - 1:
            return False
        filled = {c for c, v in enumerate(row) if v not in ("", None)}
        if self.fixed_kind is not None:   # the template numbers its rows in advance: STT says nothing
            filled.discard(self.stt_col)
        return bool(filled) and filled <= self.continuing_cols

    def _join(self, r: int) -> None:
        nomination = self.last
        for key in _CONTINUING:
            col = self.header.column(key)
            if col is None:
                continue
            value = self.grid.value(r, col)
            if value in ("", None) or self.grid.merge_at(r, col) is not None:
                continue   # a merged cell's value is already the person's
            cell = nomination.cells.get(key)
            more = clean(as_text(value))
            if cell is None:
                continue
            cell.raw = f"{cell.raw}\n{more}" if cell.raw else more
            cell.value = f"{cell.value}\n{more}" if cell.value else more
        nomination.last_row = r + 1
        self.last_row = r
        self._skip(r, "continuation", _texts(self.grid.rows[r]))

    # -- a nomination ----------------------------------------------------------------
    def _plan(self, kind: str) -> list[tuple[str, int, Field]]:
        """(key, column, field) of each cell a nomination of this kind reads, in the fields' order."""
        plan = self.plans.get(kind)
        if plan is None:
            split = self.header.split_birth
            plan = self.plans[kind] = [
                (f.key, col, f) for f in _FIELDS[kind]
                if not (split and f.key in ("gender", "birth_year")) and (col := self.header.column(f.key)) is not None]
        return plan

    def _nomination(self, r: int) -> None:
        kind = self.kind
        grid, read_cell = self.grid, self.read_cell
        cells: dict[str, Cell] = {}
        if grid.merges:
            for key, col, f in self._plan(kind):
                cells[key] = self._cell(r, col, f)
        else:   # no merged area: each cell's value is its own
            for key, col, f in self._plan(kind):
                cells[key] = read_cell(grid, r, col, f, (r, col))
        if kind == INDIVIDUAL and self.header.split_birth:
            cells.update(self._split_birth(r))
        for f in _REQUIRED[kind]:
            cell = cells.get(f.key)
            if cell is not None and (cell.raw is not None or cell.formula_without_value):
                break
        else:
            return   # only STT, or nothing the list asks for: a blank row
        nomination = Nomination(kind=kind, file="", sheet=grid.name, row=r + 1, cells=cells)
        merge = grid.merge_at(r, self.name_col) if self.name_col is not None else None
        if merge is not None and merge.vertical:
            nomination.last_row = merge.last_row + 1
        self.table.nominations.append(nomination)
        self.table.kinds.add(kind)
        self.last, self.last_row = nomination, (merge.last_row if merge is not None and merge.vertical else r)

    def _cell(self, r: int, col: int, f: Field) -> Cell:
        merge = self.grid.merge_at(r, col)
        source = (merge.first_row, merge.first_col) if merge is not None else (r, col)
        return self.read_cell(self.grid, r, col, f, source)

    def _split_birth(self, r: int) -> dict[str, Cell]:
        """Năm sinh under Nam | Nữ: the column the year is in gives the gender."""
        year_field = schema.INDIVIDUAL_FIELDS[3]
        male = self._cell(r, self.header.columns[MALE], year_field)
        female = self._cell(r, self.header.columns[FEMALE], year_field)
        if male.empty and female.empty:
            return {"birth_year": male}
        if not male.empty and not female.empty:
            gender = Cell(male.ref, f"{as_text(male.raw)} | {as_text(female.raw)}",
                          problem="Năm sinh ghi ở cả cột “Nam” và cột “Nữ”; chỉ ghi vào một cột.")
            return {"birth_year": male, "gender": gender}
        year, word = (male, "Nam") if not male.empty else (female, "Nữ")
        return {"birth_year": year, "gender": Cell(year.ref, word, word)}

    def _over_nominations(self, merge: Merge, rows: set[int]) -> bool:
        return merge.first_row >= self.header.data_start and any(
            merge.first_row <= r <= merge.last_row for r in rows)


def read_table(grid: Grid, words: ListWords, read_cell: CellReader, *, kind: str | None = None,
               list_title: bool = False, header: Header | None = None) -> Table:
    """Read one grid. `kind` fixes the kind (the template's Tập thể / Cá nhân sheets); None lets the
    header and section rows decide. `list_title`: rows above the header are listed as skipped."""
    header = header or find_header(grid, words, need_name=kind is None)
    if header is None:
        return Table(grid, None)
    return _TableReader(grid, header, words, read_cell, kind, list_title).read()


def _initial_kind(grid: Grid, header: Header) -> str:
    """Before any section row: collectives when the header or the sheet says so."""
    if COLLECTIVE_NAME in header.columns and "name" not in header.columns:
        return COLLECTIVE
    name = fold_ascii(grid.name)
    if "tap the" in name and "ca nhan" not in name:
        return COLLECTIVE
    return INDIVIDUAL


def _texts(row: list[object]) -> list[str]:
    texts = (as_text(v) for v in row if v not in ("", None))
    return [t for t in texts if t]


_DIGITS = re.compile(r"\d+$")


def _row_of(at: str) -> int:
    return int(_DIGITS.search(at).group()) - 1
