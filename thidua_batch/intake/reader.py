"""Reading one unit workbook into a FileResult (workbook.md, "Reading rules").

Values come from python-calamine (fast; .xlsx, .xlsm, .xls, .ods; cached formula values,
macros never run). What calamine cannot tell — a formula cell with no cached value, an
error cell such as #NAME? — is read from the sheet XML of .xlsx/.xlsm.
Sheets, headers and labels are found by their text, never by position.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache

import python_calamine
from defusedxml import ElementTree as SafeET

from ..common.text import clean, label_key, label_key_ascii
from ..config import schema
from ..config.campaign import Campaign
from ..config.schema import Field
from ..model.findings import Finding
from ..model.results import COLLECTIVE, INDIVIDUAL, Cell, FileResult, Nomination
from .legacy import detect_and_convert
from .safety import Limits, inspect_workbook_bytes
from .values import Invalid, parse

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_HEADER_SCAN_ROWS = 60


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


def column_letter(index: int) -> str:
    """0 → "A", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def ref(row: int, col: int) -> str:
    """0-based row and column to an A1 reference."""
    return f"{column_letter(col)}{row + 1}"


@dataclass
class _Sheet:
    name: str
    rows: list[list[object]]   # from A1, as calamine gives them

    def value(self, row: int, col: int) -> object:
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return ""


def _reraise_unless_calamine_failure(exc: BaseException) -> None:
    """calamine raises many types for bad input, and for some cell values (a date far out of
    range) a Rust panic, pyo3's PanicException, which derives from BaseException."""
    if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
        raise exc


class _Book:
    """An open workbook: sheet names, sheet values, and the cells calamine cannot describe."""

    def __init__(self, data: bytes, path: str, workbook: python_calamine.CalamineWorkbook):
        self.data, self.path, self.workbook = data, path, workbook
        self.sheet_names: list[str] = list(workbook.sheet_names)
        self._formula_parts: dict[str, str] | None = None

    @classmethod
    def open(cls, data: bytes, path: str, limits: Limits) -> "_Book":
        # Hostile or broken bytes are refused before any parser sees them.
        rejection = inspect_workbook_bytes(data, posixpath.splitext(path)[1], limits)
        if rejection is not None:
            raise Unreadable(rejection.message)
        try:
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except python_calamine.PasswordError:
            raise Unreadable("Tệp được đặt mật khẩu nên không đọc được. "
                             "Đề nghị đơn vị gỡ mật khẩu và gửi lại.") from None
        except BaseException as exc:
            _reraise_unless_calamine_failure(exc)
            raise Unreadable("Không mở được tệp như một bảng tính Excel (tệp hỏng, bị cắt cụt hoặc không phải "
                             "tệp Excel thật). Đề nghị đơn vị mở tệp bằng Excel, lưu lại dạng .xlsx và gửi lại. "
                             f"(Chi tiết kỹ thuật: {exc})") from None
        return cls(data, path, workbook)

    def sheet(self, name: str, nrows: int | None = None) -> _Sheet:
        try:
            rows = self.workbook.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=nrows)
        except BaseException as exc:
            _reraise_unless_calamine_failure(exc)
            rows = self._sheet_by_openpyxl(name, nrows)
            if rows is not None:
                return _Sheet(name, rows)
            raise Unreadable(f"Không đọc được trang “{name}”: {exc}.") from None
        return _Sheet(name, rows)

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

    def formula_cells(self, sheet_name: str) -> dict[str, str | None]:
        """Cells of an .xlsx/.xlsm sheet that hold a formula without cached value (None)
        or an error value (its text, "#NAME?"). Empty for other formats."""
        if not self.data.startswith(b"PK"):
            return {}
        try:
            with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
                part = self._sheet_parts(zf).get(sheet_name)
                if part is None:
                    return {}
                xml = zf.read(part)
        except (zipfile.BadZipFile, KeyError, OSError, SafeET.ParseError):
            return {}
        if not any(marker in xml for marker in _FORMULA_MARKERS):
            return {}
        return _scan_formula_cells(xml)

    def _sheet_parts(self, zf: zipfile.ZipFile) -> dict[str, str]:
        if self._formula_parts is None:
            self._formula_parts = {}
            try:
                book = SafeET.fromstring(zf.read("xl/workbook.xml"))
                rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
            except KeyError:
                return {}
            targets = {r.get("Id"): r.get("Target") for r in rels}
            for sheet in book.iter():
                if sheet.tag.endswith("}sheet"):
                    rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
                    target = targets.get(rid)
                    if target:
                        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                            posixpath.join("xl", target))
                        self._formula_parts[sheet.get("name")] = part
        return self._formula_parts


# A formula element or an error cell (with or without a namespace prefix); the "<formula1>"
# of data validations does not count. Plain substring tests: far cheaper than a regex here.
_FORMULA_MARKERS = (b"<f>", b"<f ", b":f>", b":f ", b't="e"')
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_ATTR_R = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_ATTR_T_ERROR = re.compile(rb'\bt="e"')
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")


def _scan_formula_cells(xml: bytes) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for match in _CELL.finditer(xml):
        attrs, body = match.group(1), match.group(2) or b""
        cell_ref = _ATTR_R.search(attrs)
        if not cell_ref:
            continue
        value = _VALUE.search(body)
        if _ATTR_T_ERROR.search(attrs):
            found[cell_ref.group(1).decode()] = value.group(1).decode("utf-8", "replace") if value else "#N/A"
        elif _FORMULA.search(body) and (value is None or not value.group(1).strip()):
            found[cell_ref.group(1).decode()] = None
    return found


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


class _WorkbookReader:
    def __init__(self, book: _Book, result: FileResult, campaign: Campaign):
        self.book, self.result, self.campaign = book, result, campaign
        self.birth_years = schema.birth_years(campaign.year)

    def read(self) -> None:
        try:
            self._read_identity()
            for wanted in schema.REQUIRED_SHEETS:
                name = self._find_sheet(wanted)
                if name is None:
                    self._sheet_missing(wanted)
                elif wanted == schema.SHEET_UNIT:
                    self._read_unit_sheet(self.book.sheet(name))
                else:
                    self._read_nominations(self.book.sheet(name), wanted)
        except Unreadable as exc:
            self.result.findings.append(Finding("file-unreadable", str(exc), file=self.result.path))
            self.result.reject("file-unreadable")

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
        sheet = self.book.sheet(name, nrows=len(schema.IDENTITY_KEYS) + 5)
        for row in sheet.rows:
            if len(row) >= 2 and isinstance(row[0], str) and row[0].strip() in schema.IDENTITY_KEYS:
                self.result.identity[row[0].strip()] = clean(str(row[1])) if row[1] not in (None, "") else ""

    # -- cells --------------------------------------------------------------------------
    def _cell(self, sheet: _Sheet, formulas: dict[str, str | None], row: int, col: int, field: Field) -> Cell:
        at = ref(row, col)
        raw = sheet.value(row, col)
        if at in formulas:
            error_text = formulas[at]
            if error_text is None:
                return Cell(at, None, None, formula_without_value=True)
            return Cell(at, error_text, None, problem=f"Ô chứa lỗi công thức {error_text}. "
                                                       "Đề nghị nhập giá trị trực tiếp, không dùng công thức.")
        legacy = None
        if isinstance(raw, str):
            raw = clean(raw) or None
            if raw is not None and (legacy := detect_and_convert(raw)):
                raw = clean(legacy.after)
        elif raw == "" or raw is None:
            raw = None
        cell = Cell(at, raw, legacy=legacy)
        if raw is not None:
            try:
                cell.value = parse(field.kind, raw, year_range=self.birth_years)
            except Invalid as exc:
                cell.problem = str(exc)
        return cell

    # -- Đơn vị -------------------------------------------------------------------------
    def _read_unit_sheet(self, sheet: _Sheet) -> None:
        self.result.unit_sheet = sheet.name
        formulas = self.book.formula_cells(sheet.name)
        for r, row in enumerate(sheet.rows):
            for c, text in enumerate(row):
                field = _field_for(text, schema.UNIT_FIELDS)
                if field is not None:
                    if field.key not in self.result.fields:
                        self.result.fields[field.key] = self._cell(sheet, formulas, r, c + 1, field)
                    break
        self.result.unit_typed = self.result.field_text("unit") or None

    # -- Tập thể / Cá nhân ----------------------------------------------------------------
    def _read_nominations(self, sheet: _Sheet, wanted: str) -> None:
        fields = schema.NOMINATION_SHEETS[wanted]
        kind = COLLECTIVE if wanted == schema.SHEET_COLLECTIVES else INDIVIDUAL
        header_row, columns = _find_header(sheet, fields)
        missing = [f for f in fields if f.required and f.key not in columns]
        for field in missing:
            where = f"dòng tiêu đề {header_row + 1}" if header_row is not None else "phần đầu trang"
            self.result.findings.append(Finding(
                "column-missing",
                f"Trang “{sheet.name}” thiếu cột bắt buộc “{field.label}” ({where}). "
                f"Đề nghị thêm lại cột này đúng tên như trong mẫu.",
                file=self.result.path, sheet=sheet.name, value=field.label))
        if header_row is None:
            return
        formulas = self.book.formula_cells(sheet.name)
        required = [f for f in fields if f.required and f.key in columns]
        target = self.result.nominations(kind)
        for r in range(header_row + 1, _last_row(sheet, formulas)):
            cells = {f.key: self._cell(sheet, formulas, r, columns[f.key], f)
                     for f in fields if f.key in columns}
            if all(cells[f.key].empty and not cells[f.key].formula_without_value for f in required):
                continue
            nomination = Nomination(kind=kind, file=self.result.path, sheet=sheet.name, row=r + 1, cells=cells)
            if missing:
                nomination.has_error = True
                nomination.held_out = "Trang thiếu cột bắt buộc: " + ", ".join(f.label for f in missing)
            target.append(nomination)


def _last_row(sheet: _Sheet, formulas: dict[str, str | None]) -> int:
    """Rows to read: calamine's range ends at the last cell with a value, which can
    leave out formula cells that have none."""
    rows = [int(_ROW_DIGITS.search(at).group()) for at in formulas]
    return max([len(sheet.rows), *rows])


_ROW_DIGITS = re.compile(r"\d+$")


def _find_header(sheet: _Sheet, fields: tuple[Field, ...]) -> tuple[int | None, dict[str, int]]:
    """The row with the most contract labels (at least two) among the first rows, and its columns."""
    best_row, best = None, {}
    for r, row in enumerate(sheet.rows[:_HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for c, text in enumerate(row):
            field = _field_for(text, fields)
            if field is not None and field.key not in columns:
                columns[field.key] = c
        if len(columns) >= 2 and len(columns) > len(best):
            best_row, best = r, columns
    return best_row, best
