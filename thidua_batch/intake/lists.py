"""Lists into a FileResult, however they came: the template's sheets, the unit's own layout, a
Word table. Cells are read one way (`CellReading`); tables by the one table reader
(`tables.py`); what the unit should know about the rows goes into findings here.
"""
from __future__ import annotations

import datetime as dt

from ..common.text import clean
from ..config import schema
from ..config.list_words import ROW_KINDS
from ..config.schema import Field, Kind
from ..model.findings import Finding
from ..model.results import COLLECTIVE, INDIVIDUAL, Cell, Conversion, FileResult, SkippedRow
from .grid import Grid, column_letter, ref
from .legacy import detect_and_convert
from .tables import Table
from .values import Invalid, as_text, parse, parse_date

KIND_WORDS = {COLLECTIVE: "tập thể", INDIVIDUAL: "cá nhân"}
# Values read once per process, by the campaign's birth years and the field's kind: the text as found,
# or (type, value) for a number or a date → the reading (`CellReading._reading`).
_READ: dict[tuple[int, int], dict[Kind, dict[object, tuple]]] = {}
_CACHED_TEXT = 120      # longer text (achievements) is rarely repeated: read each time
_CACHED_VALUES = 8192   # per kind; then that cache starts again (a few MB at most)
_CACHED_TYPES = frozenset({float, int, bool, dt.date, dt.datetime})


class CellReading:
    """A cell as the tool reads it: NFC text, TCVN3/VNI converted, the value parsed for its field;
    a formula without cached value or an error value said so. Values an officer reads without
    hesitation are read, and marked `interpreted` (a full birth date gives its year; "nữ" gives Nữ).

    What a value reads as depends only on the field's kind, the value and the campaign's years, and
    the same short values ("Nữ", "Kinh", 1985, "Có", a unit's name) come back in file after file:
    short values are read once per process (`_READ`), each cell still gets its own `Cell`."""

    def __init__(self, campaign_year: int):
        self.birth_years = schema.birth_years(campaign_year)
        self._read = _READ.setdefault(self.birth_years, {})

    def __call__(self, grid: Grid, row: int, col: int, field: Field, source: tuple[int, int] | None = None) -> Cell:
        at = ref(row, col)
        if source is None or source[0] == row and source[1] == col:
            src_row, src_col, src_at = row, col, at
        else:
            src_row, src_col = source
            src_at = ref(src_row, src_col)
        formulas = grid.formulas
        if formulas and src_at in formulas:
            error_text = formulas[src_at]
            if error_text is None:
                return Cell(at, None, None, formula_without_value=True)
            return Cell(at, error_text, None, problem=f"Ô chứa lỗi công thức {error_text}. "
                                                       "Đề nghị nhập giá trị trực tiếp, không dùng công thức.")
        rows = grid.rows
        if src_row < len(rows) and src_col < len(values := rows[src_row]):
            raw = values[src_col]
            if raw == "" or raw is None:
                return Cell(at)
        else:
            return Cell(at)
        kind = field.kind
        if raw.__class__ is str:
            if len(raw) > _CACHED_TEXT:   # achievements: rarely the same twice
                return Cell(at, *self._reading(kind, raw))
            key: object = raw
        elif raw.__class__ in _CACHED_TYPES and raw:
            key = (raw.__class__, raw)   # the type: 1, 1.0 and True are equal keys otherwise
        else:   # 0 (-0.0 == 0.0 but reads "-0" as a percentage), anything unusual
            return Cell(at, *self._reading(kind, raw))
        read = self._read.get(kind)
        if read is None:
            read = self._read[kind] = {}
        known = read.get(key)
        if known is None:
            if len(read) >= _CACHED_VALUES:
                read.clear()
            known = read[key] = self._reading(kind, raw)
        return Cell(at, *known)

    def _reading(self, kind: Kind, raw: object) -> tuple[object, object, str | None, bool, Conversion | None,
                                                         str | None]:
        """(raw, value, problem, formula_without_value, legacy, interpreted): the Cell of a value not
        empty as found, after its reference."""
        legacy = value = problem = interpreted = None
        if isinstance(raw, str):
            raw = clean(raw) or None
            if raw is None:
                return None, None, None, False, None, None
            if legacy := detect_and_convert(raw):
                raw = clean(legacy.after)
            if kind is Kind.TEXT or kind is Kind.UNIT:
                return raw, raw, None, False, legacy, None   # clean(raw) is raw: text reads as itself
        try:
            value = parse(kind, raw, year_range=self.birth_years)
        except Invalid as exc:
            value, interpreted = self._as_an_officer_reads(kind, raw)
            if value is None:
                problem = str(exc)
        if kind is Kind.GENDER and value is not None and as_text(raw) != value:
            interpreted = value
        return raw, value, problem, False, legacy, interpreted

    def _as_an_officer_reads(self, kind: Kind, raw: object) -> tuple[object, str | None]:
        """A full date typed in Năm sinh gives its year (within the valid years)."""
        if kind is not Kind.YEAR:
            return None, None
        if isinstance(raw, dt.datetime):
            year = raw.year
        else:
            try:
                year = parse_date(raw).year
            except Invalid:
                return None, None
        earliest, latest = self.birth_years
        return (year, str(year)) if earliest <= year <= latest else (None, None)


def add_tables(result: FileResult, tables: list[Table]) -> None:
    """The nominations of read tables into RESULT (in order), with the findings about their rows."""
    for table in tables:
        for nomination in table.nominations:
            nomination.file = result.path
            result.nominations(nomination.kind).append(nomination)
        result.skipped_rows.extend(table.skipped)
        result.findings.extend(_row_findings(result.path, table))


def add_found_tables(result: FileResult, tables: list[Table], layout: str) -> None:
    """Tables found in a list not laid out as the template (the unit's own sheets, a Word table, a table
    pasted in a mail): the file's layout, each kind's missing columns, then their rows."""
    result.layout = layout
    for table in tables:
        for kind in table.kinds:
            column_missing(result, table, kind)
    add_tables(result, tables)


def column_missing(result: FileResult, table: Table, kind: str) -> None:
    """Report the required columns a table lacks; its rows of that kind stay listed, held out."""
    missing = table.missing(kind)
    header = table.header
    where = f"dòng tiêu đề {header.row + 1}" if header is not None else "phần đầu trang"
    for field in missing:
        result.findings.append(Finding(
            "column-missing",
            f"Trang “{table.grid.name}” thiếu cột bắt buộc “{field.label}” ({where}). "
            f"Đề nghị thêm lại cột này đúng tên như trong mẫu.",
            file=result.path, sheet=table.grid.name, value=field.label))
    if missing:
        why = "Trang thiếu cột bắt buộc: " + ", ".join(f.label for f in missing)
        for nomination in table.nominations:
            if nomination.kind == kind:
                nomination.has_error, nomination.held_out = True, why


def _row_findings(path: str, table: Table) -> list[Finding]:
    sheet = table.grid.name
    findings = [Finding("row-hidden",
                        f"Dòng {row.row} đang bị ẩn nên không được tính ({_short(row.text)}). Nếu đây là người "
                        "hoặc tập thể được đề nghị, đề nghị bỏ ẩn dòng (chuột phải vào số dòng → Unhide/Hiện) "
                        "và gửi lại; nếu không, xóa hẳn dòng này.",
                        file=path, sheet=sheet, cell=f"A{row.row}", value=_short(row.text))
                for row in table.skipped if row.kind == "hidden"]
    findings += _hidden_sheet_and_columns(path, table)
    separators = {n.row for n in table.nominations} | {r for n in table.nominations for r in
                                                        range(n.row, (n.last_row or n.row) + 1)}
    if table.header is not None:
        separators.add(table.header.row + 1)
    for block in _blocks([r for r in table.skipped if r.kind in ROW_KINDS], separators):
        first, last = block[0].row, block[-1].row
        rows = f"Dòng {first}" if first == last else f"Các dòng {first}–{last}"
        kinds = ", ".join(dict.fromkeys(ROW_KINDS[r.kind] for r in block))
        advice = _ADVICE.get(block[-1].kind, "")
        findings.append(Finding("row-not-nomination",
                                f"{rows} không phải đề nghị khen thưởng ({kinds}) nên không được tính: "
                                f"“{_short(' / '.join(r.text for r in block))}”.{advice}",
                                file=path, sheet=sheet, cell=f"A{first}", value=_short(block[0].text)))
    if table.merges:
        areas = ", ".join(m.text for m in table.merges[:8]) + (", …" if len(table.merges) > 8 else "")
        joined = sum(1 for r in table.skipped if r.kind == "continuation")
        also = f" {joined} dòng viết tiếp đã được ghép vào người ở dòng trên." if joined else ""
        findings.append(Finding("cells-merged",
                                f"Danh sách có ô gộp ({areas}); đã đọc giá trị ô gộp cho mọi dòng nó trải qua.{also} "
                                "Đề nghị không gộp ô trong danh sách: mỗi người hoặc tập thể một dòng, mỗi ô một "
                                "giá trị, thành tích dài thì viết trong một ô (Alt+Enter để xuống dòng).",
                                file=path, sheet=sheet, cell=table.merges[0].text.split(":")[0],
                                value=table.merges[0].text))
    elif any(r.kind == "continuation" for r in table.skipped):
        rows = ", ".join(str(r.row) for r in table.skipped if r.kind == "continuation")
        findings.append(Finding("cells-merged",
                                f"Dòng {rows} chỉ viết tiếp thành tích, ghi chú của người ở dòng trên nên đã được "
                                "ghép vào người đó. Đề nghị viết thành tích trong một ô (Alt+Enter để xuống dòng), "
                                "không tách sang dòng dưới.",
                                file=path, sheet=sheet, cell=f"A{rows.split(',')[0]}"))
    return findings


def _hidden_sheet_and_columns(path: str, table: Table) -> list[Finding]:
    """A hidden sheet or column is read as usual, and said (workbook.md): the unit may not know."""
    grid, found = table.grid, []
    if grid.hidden:
        found.append(Finding("row-hidden", f"Trang “{grid.name}” đang bị ẩn nhưng vẫn được đọc. Đề nghị kiểm tra nội "
                             "dung trang này; nếu không phải danh sách đề nghị thì xóa trang.",
                             file=path, sheet=grid.name))
    if table.header is not None and grid.hidden_cols:
        labels = {c: as_text(grid.value(table.header.row, c)) for c in table.header.columns.values()}
        for col in sorted(c for c in grid.hidden_cols if c in labels):
            found.append(Finding("row-hidden", f"Cột {column_letter(col)} (“{labels[col]}”) đang bị ẩn nhưng vẫn được "
                                 "đọc. Đề nghị bỏ ẩn cột để kiểm tra lại nội dung trước khi gửi.",
                                 file=path, sheet=grid.name, cell=ref(table.header.row, col), value=labels[col]))
    return found


_ADVICE = {
    "signature": " Đề nghị xóa dòng chữ ký khỏi bảng danh sách (để chữ ký ngoài bảng hoặc ở tờ trình).",
    "date-line": " Đề nghị xóa dòng chữ ký, ngày tháng khỏi bảng danh sách.",
    "total": " Đề nghị không thêm dòng cộng vào bảng; công cụ tự đếm.",
}


def _blocks(rows: list[SkippedRow], separators: set[int]) -> list[list[SkippedRow]]:
    """Skipped rows in runs: a new block starts where a nomination or the header stands between two."""
    blocks: list[list[SkippedRow]] = []
    for row in rows:
        if blocks and not any(blocks[-1][-1].row < s < row.row for s in separators):
            blocks[-1].append(row)
        else:
            blocks.append([row])
    return blocks


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
