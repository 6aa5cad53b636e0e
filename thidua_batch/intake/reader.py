"""Reading one unit workbook into a FileResult (workbook.md, "Reading rules").

Values come from python-calamine (fast; .xlsx, .xlsm, .xls, .ods; cached formula values,
macros never run). What calamine cannot tell — a formula cell with no cached value, an
error cell such as #NAME?, hidden rows — the safety pass found in the sheet XML of .xlsx/.xlsm
while checking it (intake/safety/sheets.py): no sheet is inflated again here.
Sheets, headers and labels are found by their text, never by position.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import posixpath
from functools import lru_cache

import python_calamine

from ..common.library_words import library_detail
from ..common.text import clean, label_key, label_key_ascii
from ..config import schema
from ..config.campaign import Campaign
from ..config.list_words import load_list_words
from ..config.schema import Field
from ..model.findings import Finding
from ..model.results import COLLECTIVE, INDIVIDUAL, OWN, TEMPLATE, FileResult
from .grid import Grid, Merge
from .lists import CellReading, add_found_tables, add_tables, column_missing
from .safety import Limits, SheetFacts, inspect_workbook
from .tables import read_table

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


class Unreadable(Exception):
    """The file cannot be opened as a workbook; the message is for the user."""


def read_workbook(data: bytes, path: str, campaign: Campaign,
                  received_at: dt.datetime | None = None) -> FileResult:
    """Read a workbook's bytes. Never raises for bad input: problems become findings."""
    result = FileResult(path=path, sha256=hashlib.sha256(data).hexdigest(), received_at=received_at)
    try:
        book = _Book.open(data, path, campaign.limits)
    except Unreadable as exc:
        result.findings.append(Finding("file-unreadable", str(exc), file=path))
        result.reject("file-unreadable")
        return result
    _WorkbookReader(book, result, campaign).read()
    return result


def _reraise_unless_calamine_failure(exc: BaseException) -> None:
    """calamine raises many types for bad input, and for some cell values (a date far out of
    range) a Rust panic, pyo3's PanicException, which derives from BaseException."""
    if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
        raise exc


class _Book:
    """An open workbook: sheet names, sheet values, and the cells calamine cannot describe."""

    def __init__(self, data: bytes, path: str, workbook: python_calamine.CalamineWorkbook,
                 facts: dict[str, SheetFacts]):
        self.data, self.path, self.workbook, self.facts = data, path, workbook, facts
        self.sheet_names: list[str] = list(workbook.sheet_names)
        self.hidden_sheets = {m.name for m in workbook.sheets_metadata if m.visible != _VISIBLE}

    @classmethod
    def open(cls, data: bytes, path: str, limits: Limits) -> "_Book":
        # Hostile or broken bytes are refused before any parser sees them.
        inspection = inspect_workbook(data, posixpath.splitext(path)[1], limits, slim=True)
        if inspection.rejection is not None:
            raise Unreadable(inspection.rejection.message)
        try:
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(inspection.slim or data))
        except python_calamine.PasswordError:
            raise Unreadable("Tệp được đặt mật khẩu nên không đọc được. "
                             "Đề nghị đơn vị gỡ mật khẩu và gửi lại.") from None
        except BaseException as exc:
            _reraise_unless_calamine_failure(exc)
            raise Unreadable("Không mở được tệp như một bảng tính Excel (tệp hỏng, bị cắt cụt hoặc không phải "
                             "tệp Excel thật). Đề nghị đơn vị mở tệp bằng Excel, lưu lại dạng .xlsx và gửi lại. "
                             f"(Chi tiết: {library_detail(exc)}.)") from None
        return cls(data, path, workbook, inspection.sheets)

    def sheet(self, name: str, nrows: int | None = None, *, details: bool = True) -> Grid:
        """A sheet's values from A1; with `details`, its merged areas, hidden rows and formula cells."""
        try:
            sheet = self.workbook.get_sheet_by_name(name)
            rows = sheet.to_python(skip_empty_area=False, nrows=nrows)
        except BaseException as exc:
            _reraise_unless_calamine_failure(exc)
            rows = self._sheet_by_openpyxl(name, nrows)
            if rows is None:
                raise Unreadable(f"Không đọc được trang “{name}”: {library_detail(exc)}.") from None
            sheet = None
        grid = Grid(name, rows, hidden=name in self.hidden_sheets)
        if details:
            grid.merges = _merges(sheet)
            grid.formulas, grid.hidden_rows, grid.hidden_cols = self.sheet_facts(name)
        return grid

    def _sheet_by_openpyxl(self, name: str, nrows: int | None) -> list[list[object]] | None:
        """The slow way, for the rare sheet calamine cannot convert (it panics on a date cell far
        out of range; openpyxl shows such a cell as "#VALUE!", which is then reported)."""
        if not self.data.startswith(b"PK"):
            return None
        import warnings

        import openpyxl
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                book = openpyxl.load_workbook(io.BytesIO(self.data), read_only=True, data_only=True)
                rows = [["" if v is None else v for v in row]
                        for row in book[name].iter_rows(min_row=1, min_col=1, max_row=nrows, values_only=True)]
                book.close()
        except Exception:  # noqa: BLE001 - then the sheet is reported unreadable
            return None
        return rows

    def sheet_facts(self, sheet_name: str) -> tuple[dict[str, str | None], frozenset[int], frozenset[int]]:
        """What calamine cannot tell, as the safety pass found it in the sheet's XML (.xlsx/.xlsm):
        the cells holding a formula without cached value (None) or an error value (its text,
        "#NAME?"), the hidden rows and the hidden columns (0-based). Nothing for other formats."""
        facts = self.facts.get(sheet_name)
        if facts is None:
            return {}, frozenset(), frozenset()
        return facts.formulas, facts.hidden_rows, facts.hidden_cols


_VISIBLE = python_calamine.SheetVisibleEnum.Visible


def _merges(sheet) -> list[Merge]:
    try:
        ranges = sheet.merged_cell_ranges if sheet is not None else None
    except Exception:  # noqa: BLE001 - a format without merge information: none known
        return []
    return [Merge(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges or ()]


def _sheet_key_matches(name: str, wanted: str) -> bool:
    (exact, bare), (wanted_exact, wanted_bare) = _keys(name), _keys(wanted)
    return exact == wanted_exact or bare == wanted_bare


_LABEL_MAX = 80   # a header or label is short; long cells (achievements) are never compared


@lru_cache(maxsize=4096)
def _keys(text: str) -> tuple[str, str]:
    return label_key(text), label_key_ascii(text)


@lru_cache(maxsize=64)
def _field_index(fields: tuple[Field, ...]) -> dict[str, Field]:
    """Both keys of each field's label → the field."""
    index: dict[str, Field] = {}
    for field in fields:
        for key in _keys(field.label):
            index.setdefault(key, field)
    return index


def _field_for(text: object, fields: tuple[Field, ...]) -> Field | None:
    if not isinstance(text, str) or not text.strip() or len(text) > _LABEL_MAX:
        return None
    exact, ascii_key = _keys(text)
    index = _field_index(fields)
    return index.get(exact) or index.get(ascii_key)


# A label's text on the Đơn vị sheet → its field, or None: the same labels in every file.
_UNIT_FIELD_OF: dict[str, Field | None] = {}


def _unit_field_for(text: object) -> Field | None:
    """`_field_for(text, schema.UNIT_FIELDS)`, once per text."""
    if not text or not isinstance(text, str) or len(text) > _LABEL_MAX:
        return None
    try:
        return _UNIT_FIELD_OF[text]
    except KeyError:
        pass
    if len(_UNIT_FIELD_OF) >= 4096:
        _UNIT_FIELD_OF.clear()
    field = _UNIT_FIELD_OF[text] = _field_for(text, schema.UNIT_FIELDS)
    return field


class _WorkbookReader:
    def __init__(self, book: _Book, result: FileResult, campaign: Campaign):
        self.book, self.result, self.campaign = book, result, campaign
        self.read_cell = CellReading(campaign.year)
        self.words = load_list_words()

    def read(self) -> None:
        try:
            self._read_identity()
            if self.result.identity or self._find_sheet(schema.SHEET_UNIT) is not None:
                self._read_template()
            else:
                self._read_own_layout()
        except Unreadable as exc:
            self.result.findings.append(Finding("file-unreadable", str(exc), file=self.result.path))
            self.result.reject("file-unreadable")

    def _read_template(self) -> None:
        self.result.layout = TEMPLATE
        for wanted in schema.REQUIRED_SHEETS:
            name = self._find_sheet(wanted)
            if name is None:
                self._sheet_missing(wanted)
            elif wanted == schema.SHEET_UNIT:
                self._read_unit_sheet(self.book.sheet(name))
            else:
                kind = COLLECTIVE if wanted == schema.SHEET_COLLECTIVES else INDIVIDUAL
                table = read_table(self.book.sheet(name), self.words, self.read_cell, kind=kind)
                column_missing(self.result, table, kind)
                add_tables(self.result, [table])

    def _read_own_layout(self) -> None:
        """No template sheets: every sheet with a list header is read (workbook.md, "The unit's own layout")."""
        tables = []
        for name in self.book.sheet_names:
            table = read_table(self.book.sheet(name), self.words, self.read_cell, list_title=True)
            if table.header is not None and table.nominations:
                tables.append(table)
        if not tables:
            present = ", ".join(f"“{n}”" for n in self.book.sheet_names) or "không có trang nào"
            self.result.findings.append(Finding(
                "sheet-missing",
                f"Không tìm thấy danh sách đề nghị trong tệp: không có các trang của mẫu (“{schema.SHEET_UNIT}”, "
                f"“{schema.SHEET_COLLECTIVES}”, “{schema.SHEET_INDIVIDUALS}”), cũng không có bảng nào có cột "
                f"“Họ và tên” hoặc “Tên tập thể” (các trang có trong tệp: {present}). Đề nghị dùng mẫu của "
                "Ban CSPL&QHLĐ và gửi lại.", file=self.result.path, sheet=schema.SHEET_UNIT))
            return
        for table in tables:
            self.result.title_lines.extend(table.title_lines)
        add_found_tables(self.result, tables, OWN)

    # -- sheets -------------------------------------------------------------------------
    def _find_sheet(self, wanted: str) -> str | None:
        return next((n for n in self.book.sheet_names if _sheet_key_matches(n, wanted)), None)

    def _sheet_missing(self, wanted: str) -> None:
        present = ", ".join(f"“{n}”" for n in self.book.sheet_names) or "không có trang nào"
        self.result.findings.append(Finding(
            "sheet-missing",
            f"Không tìm thấy trang “{wanted}” (các trang có trong tệp: {present}). "
            f"Đề nghị dùng đúng mẫu, không đổi tên hoặc xóa trang “{wanted}”.",
            file=self.result.path, sheet=wanted))

    def _read_identity(self) -> None:
        name = self._find_sheet(schema.SHEET_LISTS)
        if name is None:
            return
        sheet = self.book.sheet(name, nrows=len(schema.IDENTITY_KEYS) + 5, details=False)
        for row in sheet.rows:
            if len(row) >= 2 and isinstance(row[0], str) and row[0].strip() in schema.IDENTITY_KEYS:
                self.result.identity[row[0].strip()] = clean(str(row[1])) if row[1] not in (None, "") else ""

    # -- Đơn vị -------------------------------------------------------------------------
    def _read_unit_sheet(self, sheet: Grid) -> None:
        self.result.unit_sheet = sheet.name
        for r, row in enumerate(sheet.rows):
            for c, text in enumerate(row):
                field = _unit_field_for(text)
                if field is not None:
                    if field.key not in self.result.fields:
                        self.result.fields[field.key] = self.read_cell(sheet, r, c + 1, field)
                    break
        self.result.unit_typed = self.result.field_text("unit") or None
